"""The registers a command keeps of its forces, in the official layout (`portal_io.documents`): the
militia register (sổ danh sách dân quân tự vệ) and the reserve register (sổ danh sách quân nhân dự bị,
by reserve unit and post), each as it stood on a day. A register is kept, not issued: it has no number.

The documents are in Vietnamese whatever the interface language."""

from django.db.models import Prefetch
from django.utils import translation

from portal_io import documents as official
from portal_io import writing
from units.models import Office
from units.selectors import Signers

from .models import MilitiaMember, ReserveAgeLimit, ReservePlacement, Reservist
from .selectors import in_ranks_q, reservists_on_q

MILITIA_HEADINGS = (
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Thôn, xóm",
    "Dân tộc",
    "Đảng viên/ Đoàn viên",
    "Học vấn",
    "Lực lượng",
    "Trung đội, tiểu đội",
    "Chức vụ",
    "Ngày vào",
    "Hết hạn",
)
MILITIA_WIDTHS = (9, 42, 20, 26, 14, 20, 12, 30, 26, 24, 20, 20)
MILITIA_ALIGNS = ("c", "", "c", "", "", "c", "c", "", "", "", "c", "c")
RESERVE_HEADINGS = (
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Nơi cư trú",
    "Loại",
    "Hạng",
    "Cấp bậc",
    "CNQS",
    "Chức danh biên chế",
    "Đúng CNQS",
    "Ngày sắp xếp",
)
RESERVE_WIDTHS = (9, 42, 20, 34, 22, 10, 22, 16, 36, 14, 20)
RESERVE_ALIGNS = ("c", "", "c", "", "", "c", "", "c", "", "c", "c")
UNPLACED = "Chưa sắp xếp vào đơn vị"


def _vi(label):
    with translation.override("vi"):
        return str(label)


def _date(day):
    return official.vn_date(day)


def _home(person):
    home = person.home_unit
    return home.name if home.kind.is_commune_level else f"{home.name}, {home.parent.name}"


def _membership(person):
    return "Đảng viên" if person.is_party_member else ("Đoàn viên" if person.is_youth_union_member else "")


def militia_rows(*, user, unit, on):
    """The militia in ranks in the unit's subtree on `on`, in the order of the register (commune, platoon,
    squad, name). One query."""
    members = (
        MilitiaMember.objects.visible_to(user)
        .filter(in_ranks_q(on), unit__path__startswith=unit.path)
        .select_related(
            "person", "person__ethnicity", "person__home_unit", "person__home_unit__kind", "person__home_unit__parent"
        )
        .select_related("force_type", "unit")
        .order_by("unit__name", "platoon", "squad", "person__search_key", "pk")
    )
    rows = []
    for n, m in enumerate(members, start=1):
        p = m.person
        rows.append(
            (
                str(n),
                p.full_name,
                _date(p.birth_date),
                _home(p),
                p.ethnicity.name,
                _membership(p),
                str(p.general_education or ""),
                m.force_type.label_vi + (" (nòng cốt)" if m.is_core else ""),
                ", ".join(part for part in (m.platoon, m.squad) if part),
                _vi(m.get_position_display()),
                _date(m.joined_on),
                _date(m.term_ends_on),
            )
        )
    return rows


def reserve_groups(*, user, unit, on):
    """The reservists on the roster of the unit's subtree on `on`, grouped by the reserve unit and post each
    held that day (those not placed last): [(reserve unit name, rows)]. A reservist moved or unplaced since
    stands where they stood. Two queries (the reservists, the placements of the day)."""
    limits = ReserveAgeLimit.objects.rows()
    held = ReservePlacement.objects.filter(ReservePlacement.objects.on_q(on)).select_related(
        "post", "post__reserve_unit", "post__reserve_unit__parent"
    )
    reservists = (
        Reservist.objects.visible_to(user)
        .filter(reservists_on_q(on, limits=limits), unit__path__startswith=unit.path)
        .select_related("person", "person__home_unit", "person__home_unit__kind", "person__home_unit__parent", "unit")
        .prefetch_related(Prefetch("placements", queryset=held, to_attr="held"))
        .order_by("person__search_key", "pk")
    )
    placed = []
    for r in reservists:
        placement = r.held[0] if r.held else None
        placed.append((r, placement))
    placed.sort(
        key=lambda pair: (pair[1] is None,) + ((pair[1].post.reserve_unit.name, pair[1].post.title) if pair[1] else ())
    )
    groups = {}
    for r, placement in placed:
        name = str(placement.post.reserve_unit) if placement else UNPLACED
        groups.setdefault(name, []).append((r, placement))
    result = []
    for name, members in groups.items():
        rows = []
        for n, (r, placement) in enumerate(members, start=1):
            p = r.person
            rows.append(
                (
                    str(n),
                    p.full_name,
                    _date(p.birth_date),
                    _home(p),
                    _vi(r.get_category_display()),
                    r.tier or "",
                    _vi(r.get_rank_display()) if r.rank else "",
                    r.specialty_code,
                    placement.post.title if placement else "",
                    "x" if placement and placement.specialty_matches else "",
                    _date(placement.placed_on) if placement else "",
                )
            )
        result.append((name, rows))
    return result


def _register(*, unit, on, kind, subject, blocks, stem):
    # Signed by the commander of the unit's military command on the register's day (units.Officeholder).
    names = Signers(units=[unit], office=Office.COMMANDER).sign(official.issuing_names(unit), unit=unit, day=on)
    place = f"{official.kind_word(unit)} {unit.name}".strip()
    return official.header_of(
        names,
        number=None,
        type_code=None,
        day=on,
        document_type="SỔ DANH SÁCH",
        title=f"{subject} – {place} – ngày {_date(on)}",
        blocks=blocks,
        recipients=[],
        landscape=True,
        file_stem=official.ascii_name(f"So-danh-sach-{kind}-{unit.name}-{on:%Y-%m-%d}"),
        file_stem_utf8=f"So-danh-sach-{kind}-{unit.name}-{on:%Y-%m-%d}".replace(" ", "-"),
    )


def militia_register(*, user, unit, on):
    """(document, (headings, rows)) of the militia register of the unit on `on`."""
    rows = militia_rows(user=user, unit=unit, on=on)
    blocks = [
        official.Table(headings=MILITIA_HEADINGS, rows=rows, widths_mm=MILITIA_WIDTHS, aligns=MILITIA_ALIGNS, size=10),
        official.Text([f"Tổng số: {len(rows)} đồng chí."], indent=False, italic=True),
    ]
    doc = _register(unit=unit, on=on, kind="DQTV", subject="Dân quân tự vệ", blocks=blocks, stem="DQTV")
    return doc, (MILITIA_HEADINGS, rows)


def reserve_register(*, user, unit, on):
    """(document, (headings, rows)) of the reserve register of the unit on `on`, one section per reserve
    unit; the workbook has the reserve unit as its first column."""
    groups = reserve_groups(user=user, unit=unit, on=on)
    sections = []
    flat = []
    for index, (name, rows) in enumerate(groups, start=1):
        table = official.Table(
            headings=RESERVE_HEADINGS, rows=rows, widths_mm=RESERVE_WIDTHS, aligns=RESERVE_ALIGNS, size=10
        )
        sections.append(
            official.Section(heading=f"{official.roman(index)}. {name.upper()} ({len(rows)})", blocks=[table])
        )
        flat += [(name, *row) for row in rows]
    total = sum(len(rows) for _name, rows in groups)
    sections.append(official.Text([f"Tổng số: {total} quân nhân dự bị."], indent=False, italic=True))
    doc = _register(unit=unit, on=on, kind="DBDV", subject="Quân nhân dự bị động viên", blocks=sections, stem="DBDV")
    return doc, (("Đơn vị", *RESERVE_HEADINGS), flat)


REGISTERS = {"militia": militia_register, "reserve": reserve_register}


def register_xlsx(doc, table):
    headings, rows = table
    return writing.write_xlsx(list(headings), [list(r) for r in rows], title="Sổ danh sách")
