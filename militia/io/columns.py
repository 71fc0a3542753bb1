"""The exchange format of the rosters: one column per field, the same for export, template and import.

Headers and instructions are Vietnamese constants, not translated strings: they are the contract of a
file that travels between communes and years, and must not change with the reader's language or a
catalog edit. Choice labels (position, rank, status...) are the models' labels rendered in Vietnamese.
"""

from people.models import Sex
from portal_io.columns import (  # noqa: F401 - the roster's file format uses the shared helpers
    FILE_LANGUAGE,
    Column,
    choice_labels,
    choice_lookup,
    label,
    parse_bool_cell,
    yes_no,
)
from portal_io.writing import DATE_FORMAT, ERROR_HEADER, LINE_HEADER  # noqa: F401

from ..models import MemberStatus, Position, Rank, ReservistCategory, ReservistStatus, ReservistTier

MEMBERS, RESERVISTS = "members", "reservists"


_PERSON_HEAD = (
    Column(
        "full_name",
        "Họ và tên",
        "Bắt buộc. Họ và tên đầy đủ, có dấu.",
        required=True,
        width=26,
        aliases=("Họ tên",),
    ),
    Column(
        "national_id",
        "Số CCCD",
        "Bắt buộc. 12 chữ số; dùng để nhận ra người đã có trong sổ.",
        kind="national_id",
        required=True,
        width=16,
        aliases=("CCCD", "Số căn cước", "Số định danh"),
    ),
    Column("birth_date", "Ngày sinh", "Bắt buộc. dd/mm/yyyy", kind="date", required=True, width=12),
    Column("sex", "Giới tính", "Bắt buộc. Nam hoặc Nữ", kind="sex", required=True, width=10),
    Column(
        "ethnicity", "Dân tộc", "Bắt buộc. Tên dân tộc, ví dụ: Tày, Nùng, Mông, Kinh", kind="ethnicity", required=True
    ),
    Column("hamlet", "Thôn/xóm", "Thôn/xóm thuộc xã ở cột bên; để trống nếu chưa rõ", kind="hamlet", width=18),
    Column(
        "commune",
        "Xã/thị trấn",
        "Bắt buộc. Xã/thị trấn do bạn quản lý",
        kind="commune",
        required=True,
        width=18,
        aliases=("Xã", "Xã/phường/thị trấn"),
    ),
)
_PARTY = Column("is_party_member", "Đảng viên", "Có hoặc Không (mặc định Không)", kind="bool", width=10)

MEMBER_COLUMNS = (
    *_PERSON_HEAD,
    Column(
        "force_type", "Loại hình", "Bắt buộc. Chọn trong danh sách loại hình DQTV", kind="force_type", required=True
    ),
    Column("is_core", "Nòng cốt", "Có hoặc Không (mặc định Có)", kind="bool", width=10),
    Column("platoon", "Trung đội", "Tên hoặc số trung đội, có thể để trống", width=12),
    Column("squad", "Tiểu đội", "Tên hoặc số tiểu đội, có thể để trống", width=12),
    Column("position", "Chức vụ", "Chọn trong danh sách (mặc định Chiến sĩ)", kind="position", width=20),
    Column("joined_on", "Ngày vào", "Bắt buộc. dd/mm/yyyy", kind="date", required=True, width=12),
    Column("extension_years", "Gia hạn (năm)", "0, 1 hoặc 2 (mặc định 0)", kind="int", width=10),
    Column("extension_decision", "Số quyết định gia hạn", "Bắt buộc khi có gia hạn", width=18),
    Column("is_volunteer", "Tình nguyện", "Có hoặc Không (mặc định Không)", kind="bool", width=10),
    Column("last_trained_year", "Năm huấn luyện gần nhất", "Năm, ví dụ 2025; để trống nếu chưa", kind="int", width=12),
    _PARTY,
    Column(
        "status",
        "Trạng thái",
        "Để trống hoặc chọn trong danh sách: chỉ nhận người đang quản lý; "
        "cho thôi, hết nghĩa vụ làm trên cổng thông tin",
        kind="member_status",
        header_optional=True,
        width=16,
    ),
)

RESERVIST_COLUMNS = (
    *_PERSON_HEAD,
    Column("category", "Diện", "Bắt buộc. Chọn trong danh sách", kind="category", required=True, width=24),
    Column("tier", "Hạng", "1 hoặc 2 với hạ sĩ quan, binh sĩ; để trống với sĩ quan, QNCN", kind="tier", width=8),
    Column("rank", "Cấp bậc", "Chọn trong danh sách, có thể để trống", kind="rank", width=18),
    Column(
        "specialty_code",
        "Mã CNQS",
        "Bắt buộc. Mã chuyên nghiệp quân sự",
        required=True,
        width=12,
        aliases=("CNQS", "Mã chuyên nghiệp quân sự"),
    ),
    Column("registered_on", "Ngày đăng ký", "Bắt buộc. dd/mm/yyyy", kind="date", required=True, width=12),
    Column(
        "placement",
        "Đơn vị DBĐV / chức danh",
        "Chỉ để xem: sắp xếp vào đơn vị DBĐV làm trên cổng thông tin",
        header_optional=True,
        imported=False,
        width=30,
    ),
    Column(
        "specialty_matches",
        "Đúng CNQS",
        "Chỉ để xem (tính từ chức danh)",
        kind="bool",
        header_optional=True,
        imported=False,
        width=10,
    ),
    _PARTY,
    Column(
        "status",
        "Trạng thái",
        "Để trống hoặc chọn trong danh sách: chỉ nhận người đang quản lý; "
        "đưa ra khỏi danh sách làm trên cổng thông tin",
        kind="reservist_status",
        header_optional=True,
        width=16,
    ),
)

COLUMNS = {MEMBERS: MEMBER_COLUMNS, RESERVISTS: RESERVIST_COLUMNS}
SHEET_TITLES = {MEMBERS: "Dân quân", RESERVISTS: "Quân nhân dự bị"}
FILE_SLUGS = {MEMBERS: "dan-quan", RESERVISTS: "quan-nhan-du-bi"}

CHOICE_KINDS = {
    "sex": Sex,
    "position": Position,
    "member_status": MemberStatus,
    "category": ReservistCategory,
    "tier": ReservistTier,
    "rank": Rank,
    "reservist_status": ReservistStatus,
}


def columns_of(roster):
    return COLUMNS[roster]


def tier_text(value):
    return value or ""
