"""The exchange format of the people registry: one column per field, the same for the export, the import
template and the import (so an exported list, corrected, imports back).

Headers and instructions are Vietnamese constants, not translated strings: they are the contract of a file
that travels between communes and years (see `portal_io.columns`). Choice labels are the models' labels in
Vietnamese; the import also takes the English labels and the stored codes.
"""

import datetime

from portal_io.columns import Column

from .models import Qualification, Religion, Sex

SHEET_TITLE = "Danh sách công dân"

COLUMNS = (
    Column("number", "STT", "Số thứ tự; không đọc khi nhập", kind="int", imported=False, width=6),
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
        aliases=("CCCD", "Số căn cước", "Số định danh", "Số định danh cá nhân"),
    ),
    Column("birth_date", "Ngày sinh", "Bắt buộc. dd/mm/yyyy", kind="date", required=True, width=12),
    Column("sex", "Giới tính", "Bắt buộc. Nam hoặc Nữ", kind="sex", required=True, width=10),
    Column(
        "ethnicity",
        "Dân tộc",
        "Bắt buộc với người mới. Tên dân tộc, ví dụ: Tày, Nùng, Mông, Kinh",
        kind="ethnicity",
        width=14,
    ),
    Column(
        "religion",
        "Tôn giáo",
        "Chọn trong danh sách; để trống là Không",
        kind="religion",
        header_optional=True,
        width=14,
    ),
    Column(
        "hamlet",
        "Thôn/xóm",
        "Thôn/xóm thuộc xã ở cột bên; để trống nếu chưa rõ",
        kind="hamlet",
        width=18,
        aliases=("Thôn", "Xóm", "Thôn/bản", "Thôn, xóm"),
    ),
    Column(
        "commune",
        "Xã/thị trấn",
        "Bắt buộc. Xã/thị trấn do bạn quản lý",
        kind="commune",
        required=True,
        width=18,
        aliases=("Xã", "Xã/phường/thị trấn"),
    ),
    Column(
        "general_education",
        "Học vấn (lớp)",
        "Lớp đã học xong, từ 0 đến 12; có thể để trống",
        kind="grade",
        header_optional=True,
        width=10,
        aliases=("Trình độ văn hóa (lớp)", "Trình độ văn hóa", "Học vấn", "Văn hóa"),
    ),
    Column(
        "qualification",
        "Trình độ chuyên môn",
        "Chọn trong danh sách; để trống là Không",
        kind="qualification",
        header_optional=True,
        width=18,
    ),
    Column("occupation", "Nghề nghiệp", "Có thể để trống", header_optional=True, width=18),
    Column(
        "is_party_member",
        "Đảng viên",
        "Có hoặc Không (mặc định Không)",
        kind="bool",
        header_optional=True,
        width=10,
    ),
    Column(
        "party_joined_on",
        "Ngày vào Đảng",
        "dd/mm/yyyy; chỉ với đảng viên, có thể để trống",
        kind="date",
        header_optional=True,
        width=12,
    ),
    Column(
        "is_youth_union_member",
        "Đoàn viên",
        "Có hoặc Không (mặc định Không)",
        kind="bool",
        header_optional=True,
        width=10,
    ),
    Column(
        "phone",
        "Số điện thoại",
        "Có thể để trống; ví dụ 0912 345 678",
        header_optional=True,
        width=14,
        aliases=("Điện thoại", "SĐT"),
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
CHOICES = {"sex": Sex, "religion": Religion, "qualification": Qualification}

# The template's example row, shown under the instructions: the reader skips it if it is left in the file.
EXAMPLE = {
    "number": 1,
    "full_name": "Hoàng Văn Mẫu",
    "national_id": "004205000000",
    "birth_date": datetime.date(2005, 3, 15),
    "sex": "Nam",
    "ethnicity": "Tày",
    "religion": "Không",
    "hamlet": "",
    "commune": "",
    "general_education": 12,
    "qualification": "Không",
    "occupation": "Làm ruộng",
    "is_party_member": "Không",
    "party_joined_on": None,
    "is_youth_union_member": "Có",
    "phone": "0912 345 678",
}
