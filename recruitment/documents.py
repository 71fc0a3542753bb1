"""The papers of a recruitment year as official documents (Decree 30/2020/NĐ-CP layout, written by
`portal_io.documents`): the lists and registers a commune keeps and posts, and the personal papers handed
to each citizen (registration certificate, call for the medical examination, call-up order), and the
hand-over record. Everything comes from the records: no name is typed again.

The documents are in Vietnamese whatever the interface language (legal texts); numbered documents take
their number from the issuing unit's register (`units.services.documents_issue`), so printing one again
shows the number and date it was first issued with."""

import datetime
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext_lazy

from portal_io import documents as official
from portal_io import writing
from units.models import Office
from units.selectors import Signers
from units.services import documents_issue

from . import rules
from .models import ListKind, ListPosting, Stage

# Decree 30/2020, Appendix III gives the abbreviations of the administrative types; the orders and
# certificates of the Military Service Law are numbered in the same way with the abbreviations in use.
TYPE_LIST = "DS"  # danh sách
TYPE_CERTIFICATE = "GCN"  # giấy chứng nhận
TYPE_EXAM_ORDER = "LGKSK"  # lệnh gọi khám sức khỏe
TYPE_CALLUP_ORDER = "LGNN"  # lệnh gọi nhập ngũ
TYPE_RECORD = "BB"  # biên bản

READY_STAGES = (Stage.REGISTERED, Stage.PRESCREENED, Stage.EXAMINED, Stage.RESERVE_LIST, Stage.APPROVED)
EXAM_STAGES = (Stage.PRESCREENED, Stage.EXAMINED, Stage.RESERVE_LIST, Stage.APPROVED, Stage.HANDED_OVER)
CALLUP_STAGES = (Stage.APPROVED, Stage.HANDED_OVER)
PUBLIC_STAGES = {
    "approved": CALLUP_STAGES,
    "deferred": (Stage.DEFERRED,),
    "exempt": (Stage.EXEMPT,),
}
PUBLIC_KINDS = {"approved": ListKind.CALL_UP, "deferred": ListKind.DEFERMENT, "exempt": ListKind.EXEMPTION}
DEFAULT_BRING = (
    "Căn cước công dân, Giấy chứng nhận đăng ký nghĩa vụ quân sự, các giấy tờ về sức khỏe (nếu có) và lệnh gọi này"
)


@dataclass
class Options:
    """What the officer gives on the documents page: where and when, what to bring, who signs."""

    on: datetime.date
    when: datetime.time | None = None
    day: datetime.date | None = None
    place: str = ""
    bring: str = ""
    receiving_unit: str = ""
    signer_name: str = ""
    posted_on: datetime.date | None = None


@dataclass
class Paper:
    """A kind of document of the recruitment year: its key, title on the page, what it is made of and
    the options it asks for."""

    key: str
    label: str
    personal: bool = False
    is_list: bool = False
    numbered: bool = True
    fields: tuple = ()
    stages: tuple = ()
    extra: dict = field(default_factory=dict)


def _vi(function, *args, **kwargs):
    with translation.override("vi"):
        return function(*args, **kwargs)


def _hamlet(person):
    home = person.home_unit
    return "" if home.kind.is_commune_level else home.name


def _address(person, commune):
    hamlet = _hamlet(person)
    place = f"{official.kind_word(commune)} {commune.name}"
    return f"{hamlet}, {place}" if hamlet else place


def _place(commune):
    return f"{official.kind_word(commune)} {commune.name}"


def _date(day):
    return official.vn_date(day)


def _time(value):
    return f"{value.hour:02d} giờ {value.minute:02d}" if value else "…… giờ ……"


def _deciding_level(on):
    """Luật NVQS 2015 Điều 33, 40 (amended by Luật 98/2025/QH15): the chair of the district People's
    Committee signs the calls and orders until 30/06/2025, the commune's from 01/07/2025."""
    provision = rules.deciding_authority(on)
    body = (provision.value or {}).get("body", "") if provision else ""
    return "district" if "huyện" in body else "commune"


def _committee_unit(campaign, commune, on):
    return campaign.district if _deciding_level(on) == "district" else commune


def candidates_of(campaign, commune, stages):
    """The candidates of a commune at `stages`, in the order of the lists (name, birth date). One query."""
    return list(
        campaign.candidates.filter(commune=commune, stage__in=stages)
        .select_related("person", "person__ethnicity", "person__home_unit", "person__home_unit__kind", "ground")
        .order_by("person__search_key", "person__birth_date", "pk")
    )


def first_registrations(campaign, commune):
    """Citizens registering for the first time in the campaign's April registration (Luật NVQS 2015 Điều 12,
    16): men turning 17 in the preparation year, and women of a profession the army needs."""
    born = campaign.preparation_year - rules.FIRST_REGISTRATION_AGE
    return [
        c
        for c in candidates_of(campaign, commune, tuple(Stage))
        if (c.person.sex == "M" and c.person.birth_date.year == born) or (c.person.sex == "F" and c.matching_profession)
    ]


# --- Building the documents -------------------------------------------------------------------------


def signing_office(key, *, campaign, commune, on):
    """(unit, office) whose holder signs the paper `key` of the commune dated `on`: the chair of the deciding
    People's Committee signs the calls and orders, the commander of the district's military command the
    registration certificates, the commander of the commune's every other paper."""
    if key in ("exam_order", "callup_order"):
        return _committee_unit(campaign, commune, on), Office.COMMITTEE_CHAIR
    if key == "registration_certificate":
        return campaign.district, Office.COMMANDER
    return commune, Office.COMMANDER


def _signed(names, *, unit, office, day, opts, signers=None):
    """The body's names with the signer of the paper dated `day`: the name typed for it, else whoever held
    the office that day (units.Officeholder), else the issuing body's usual signer."""
    signers = signers or Signers(units=[unit], office=office)
    return signers.sign(names, unit=unit, day=day, typed=opts.signer_name)


def _issue(unit, type_code, year, subjects, user, on):
    return documents_issue(unit=unit, type_code=type_code, year=year, items=subjects, user=user, on=on)


def _list_document(
    *, names, unit, issued, type_code, document_type, title, headings, rows, widths, aligns, intro, file_stem, opts
):
    """A list or register of the commune's military command, signed by its commander on the list's date."""
    blocks = [official.Text([line], indent=True) for line in intro if line]
    blocks.append(official.Table(headings=headings, rows=rows, widths_mm=widths, aligns=aligns, size=11))
    blocks.append(official.Text([f"Danh sách này có {len(rows)} công dân."], indent=False, italic=True))
    day = issued.issued_on if issued else opts.on
    return official.header_of(
        _signed(names, unit=unit, office=Office.COMMANDER, day=day, opts=opts),
        number=issued.number if issued else None,
        type_code=type_code if issued else None,
        day=day,
        signer_name=opts.signer_name,
        document_type=document_type,
        title=title,
        blocks=blocks,
        recipients=official.recipient_lines("", [], names["abbreviation"]),
        file_stem=official.ascii_name(file_stem),
        file_stem_utf8=file_stem.replace(" ", "-"),
        landscape=len(headings) > 7,
    )


def registration_list(*, campaign, commune, user, opts):
    """Danh sách công dân đăng ký nghĩa vụ quân sự lần đầu (Luật NVQS 2015 Điều 16)."""
    people = first_registrations(campaign, commune)
    names = official.issuing_names(commune)
    subject = f"rec:{campaign.pk}:registration_list:{commune.pk}"
    title = f"Công dân đăng ký nghĩa vụ quân sự lần đầu năm {campaign.preparation_year}"
    issued = _issue(commune, TYPE_LIST, opts.on.year, [(subject, title)], user, opts.on)[subject]
    headings = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Thôn, xóm", "Học vấn", "Nghề nghiệp")
    rows = [
        (
            str(n),
            c.person.full_name,
            _date(c.person.birth_date),
            "Nam" if c.person.sex == "M" else "Nữ",
            c.person.ethnicity.name,
            _hamlet(c.person),
            str(c.education or c.person.general_education or ""),
            c.matching_profession or c.person.occupation,
        )
        for n, c in enumerate(people, start=1)
    ]
    doc = _list_document(
        names=names,
        unit=commune,
        issued=issued,
        type_code=TYPE_LIST,
        document_type="DANH SÁCH",
        title=f"{title} – {official.kind_word(commune)} {commune.name}",
        headings=headings,
        rows=rows,
        widths=(12, 55, 25, 18, 22, 35, 18, 45),
        aligns=("c", "", "c", "c", "", "", "c", ""),
        intro=["Căn cứ Luật Nghĩa vụ quân sự năm 2015, Điều 12 và Điều 16;"],
        file_stem=f"DS-dang-ky-lan-dau-{campaign.preparation_year}-{commune.name}",
        opts=opts,
    )
    return [doc], (headings, rows)


def ready_register(*, campaign, commune, user, opts):
    """Sổ đăng ký công dân sẵn sàng nhập ngũ: the commune's register, unnumbered (a register, not a
    document issued)."""
    people = candidates_of(campaign, commune, READY_STAGES)
    names = official.issuing_names(commune)
    headings = (
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Số CCCD",
        "Dân tộc",
        "Thôn, xóm",
        "Học vấn",
        "Đảng viên/ Đoàn viên",
        "Sức khỏe",
        "Tình trạng",
    )
    rows = [
        (
            str(n),
            c.person.full_name,
            _date(c.person.birth_date),
            c.person.national_id,
            c.person.ethnicity.name,
            _hamlet(c.person),
            str(c.education or c.person.general_education or ""),
            "Đảng viên" if c.person.is_party_member else ("Đoàn viên" if c.person.is_youth_union_member else ""),
            f"Loại {c.health_class}" if c.health_class else "",
            _vi(lambda c=c: str(Stage(c.stage).label)),
        )
        for n, c in enumerate(people, start=1)
    ]
    doc = _list_document(
        names=names,
        unit=commune,
        issued=None,
        type_code=None,
        document_type="SỔ ĐĂNG KÝ",
        title=f"Công dân sẵn sàng nhập ngũ – tuyển quân năm {campaign.year} – {_place(commune)}",
        headings=headings,
        rows=rows,
        widths=(10, 48, 22, 30, 18, 30, 14, 22, 16, 30),
        aligns=("c", "", "c", "c", "", "", "c", "c", "c", ""),
        intro=[],
        file_stem=f"So-dang-ky-san-sang-nhap-ngu-{campaign.year}-{commune.name}",
        opts=opts,
    )
    return [doc], (headings, rows)


def exam_list(*, campaign, commune, user, opts):
    """Danh sách công dân được gọi khám sức khỏe (Luật NVQS 2015 Điều 40)."""
    people = candidates_of(campaign, commune, EXAM_STAGES)
    names = official.issuing_names(commune)
    subject = f"rec:{campaign.pk}:exam_list:{commune.pk}"
    title = f"Công dân được gọi khám sức khỏe thực hiện nghĩa vụ quân sự năm {campaign.year}"
    issued = _issue(commune, TYPE_LIST, opts.on.year, [(subject, title)], user, opts.on)[subject]
    headings = ("STT", "Họ và tên", "Ngày sinh", "Dân tộc", "Thôn, xóm", "Học vấn", "Ghi chú")
    rows = [
        (
            str(n),
            c.person.full_name,
            _date(c.person.birth_date),
            c.person.ethnicity.name,
            _hamlet(c.person),
            str(c.education or c.person.general_education or ""),
            "",
        )
        for n, c in enumerate(people, start=1)
    ]
    when = f"Thời gian khám: {_time(opts.when)} ngày {_date(opts.day) or '……/……/……'}" if opts.day else ""
    doc = _list_document(
        names=names,
        unit=commune,
        issued=issued,
        type_code=TYPE_LIST,
        document_type="DANH SÁCH",
        title=f"{title} – {official.kind_word(commune)} {commune.name}",
        headings=headings,
        rows=rows,
        widths=(12, 50, 24, 20, 30, 15, 24),
        aligns=("c", "", "c", "", "", "c", ""),
        intro=[when, f"Địa điểm khám: {opts.place}" if opts.place else ""],
        file_stem=f"DS-goi-kham-suc-khoe-{campaign.year}-{commune.name}",
        opts=opts,
    )
    return [doc], (headings, rows)


PUBLIC_TITLES = {
    "approved": "Công dân được gọi nhập ngũ",
    "deferred": "Công dân được tạm hoãn gọi nhập ngũ",
    "exempt": "Công dân được miễn gọi nhập ngũ",
}


def _posting(campaign, commune, which, user, opts):
    """The posting of the list at the commune (Luật NVQS 2015 Điều 41 khoản 4): the recorded one, or the day
    and place given now, which are recorded."""
    kind = PUBLIC_KINDS[which]
    posting = ListPosting.objects.filter(campaign=campaign, commune=commune, kind=kind).first()
    if opts.posted_on and (posting is None or posting.posted_on != opts.posted_on or opts.place != posting.place):
        from .services import list_posting_record

        posting = list_posting_record(
            user=user, campaign=campaign, commune=commune, kind=kind, posted_on=opts.posted_on, place=opts.place
        )
    return posting


def public_list(which, *, campaign, commune, user, opts):
    """A list posted publicly for 20 days: called up, deferred or exempt, each ground in words."""
    people = candidates_of(campaign, commune, PUBLIC_STAGES[which])
    names = official.issuing_names(commune)
    subject = f"rec:{campaign.pk}:public_{which}:{commune.pk}"
    title = f"{PUBLIC_TITLES[which]} năm {campaign.year}"
    issued = _issue(commune, TYPE_LIST, opts.on.year, [(subject, title)], user, opts.on)[subject]
    posting = _posting(campaign, commune, which, user, opts)
    if which == "approved":
        headings = ("STT", "Họ và tên", "Ngày sinh", "Dân tộc", "Thôn, xóm", "Học vấn", "Sức khỏe")
        rows = [
            (
                str(n),
                c.person.full_name,
                _date(c.person.birth_date),
                c.person.ethnicity.name,
                _hamlet(c.person),
                str(c.education or ""),
                f"Loại {c.health_class}" if c.health_class else "",
            )
            for n, c in enumerate(people, start=1)
        ]
        widths, aligns = (12, 52, 24, 22, 32, 15, 18), ("c", "", "c", "", "", "c", "c")
    else:
        headings = ("STT", "Họ và tên", "Ngày sinh", "Thôn, xóm", "Lý do", "Căn cứ")
        if which == "deferred":
            headings += ("Đến ngày",)
        rows = []
        for n, c in enumerate(people, start=1):
            row = (
                str(n),
                c.person.full_name,
                _date(c.person.birth_date),
                _hamlet(c.person),
                c.ground.label_vi if c.ground else c.reason,
                _vi(rules.ground_in_words, c.ground.code) if c.ground else "",
            )
            if which == "deferred":
                row += (_date(c.ground_ends_on),)
            rows.append(row)
        widths = (10, 42, 22, 26, 50, 36, 22)[: len(headings)]
        aligns = ("c", "", "c", "", "", "", "c")[: len(headings)]
    law = rules.provision("public_posting", opts.on)
    if posting is not None:
        ends = rules.posting_ends_on(posted_on=posting.posted_on)
        place = posting.place or f"trụ sở Ủy ban nhân dân {official.kind_word(commune)} {commune.name}"
        posted = f"Niêm yết công khai tại {place} từ ngày {_date(posting.posted_on)} đến ngày {_date(ends)}."
    else:
        days = (law.value or {}).get("days", 20) if law else 20
        posted = (
            f"Niêm yết công khai tại trụ sở Ủy ban nhân dân {_place(commune)} trong {days} ngày, "
            "từ ngày ……/……/…… đến ngày ……/……/……."
        )
    doc = _list_document(
        names=names,
        unit=commune,
        issued=issued,
        type_code=TYPE_LIST,
        document_type="DANH SÁCH",
        title=f"{title} – {official.kind_word(commune)} {commune.name}",
        headings=headings,
        rows=rows,
        widths=widths,
        aligns=aligns,
        intro=[f"Căn cứ {law.citation};" if law else "", posted],
        file_stem=f"DS-{which}-{campaign.year}-{commune.name}",
        opts=opts,
    )
    return [doc], (headings, rows)


def _personal(
    *, campaign, commune, user, opts, candidates, key, type_code, unit, office, names, document_type, title, body, stem
):
    subjects = [
        (f"rec:{campaign.pk}:{key}:c{c.pk}", f"{title or document_type} – {c.person.full_name}") for c in candidates
    ]
    issued = _issue(unit, type_code, opts.on.year, subjects, user, opts.on) if subjects else {}
    signers = Signers(units=[unit], office=office)
    docs = []
    for c, (subject, _title) in zip(candidates, subjects, strict=True):
        record = issued[subject]
        docs.append(
            official.header_of(
                # Each paper signed by whoever held the office on its own date (a paper made again keeps it).
                _signed(names, unit=unit, office=office, day=record.issued_on, opts=opts, signers=signers),
                number=record.number,
                type_code=type_code,
                day=record.issued_on,
                signer_name=opts.signer_name,
                document_type=document_type,
                title=title,
                blocks=body(c),
                recipients=official.recipient_lines("", [f"Công dân {c.person.full_name}"], names["abbreviation"]),
                file_stem=official.ascii_name(f"{stem}-{record.number:03d}-{c.person.full_name}"),
                file_stem_utf8=f"{stem}-{record.number:03d}-{c.person.full_name}".replace(" ", "-"),
            )
        )
    return docs


def _person_lines(c, commune):
    p = c.person
    return [
        official.Text([f"Họ và tên: {p.full_name}"], indent=False, bold=True),
        official.Text(
            [
                f"Ngày, tháng, năm sinh: {_date(p.birth_date)}",
                f"Số định danh cá nhân: {p.national_id or '……………………'}",
                f"Dân tộc: {p.ethnicity.name}",
                f"Nơi cư trú: {_address(p, commune)}",
            ],
            indent=False,
            align="left",
        ),
    ]


def registration_certificates(*, campaign, commune, user, opts):
    """Giấy chứng nhận đăng ký nghĩa vụ quân sự, one per citizen registering for the first time
    (Luật NVQS 2015 Điều 16; issued by the military command that keeps the register)."""
    people = first_registrations(campaign, commune)
    unit = campaign.district
    names = official.issuing_names(unit)

    def body(c):
        return [
            official.Text([f"{names['name']} chứng nhận:"], indent=False),
            *_person_lines(c, commune),
            official.Text(
                [
                    f"Đã đăng ký nghĩa vụ quân sự lần đầu năm {campaign.preparation_year} "
                    f"tại Ban Chỉ huy quân sự {official.kind_word(commune)} {commune.name}."
                ],
            ),
            official.Text(
                ["Công dân có trách nhiệm giữ gìn giấy chứng nhận này và xuất trình khi cơ quan có thẩm quyền yêu cầu."]
            ),
        ]

    return _personal(
        campaign=campaign,
        commune=commune,
        user=user,
        opts=opts,
        candidates=people,
        key="certificate",
        type_code=TYPE_CERTIFICATE,
        unit=unit,
        office=Office.COMMANDER,
        names=names,
        document_type="GIẤY CHỨNG NHẬN",
        title="Đăng ký nghĩa vụ quân sự",
        body=body,
        stem="GCN-dang-ky-NVQS",
    ), None


def _committee(campaign, commune, opts):
    unit = _committee_unit(campaign, commune, opts.on)
    return unit, official.committee_names(unit)


def exam_orders(*, campaign, commune, user, opts):
    """Lệnh gọi khám sức khỏe nghĩa vụ quân sự, one per citizen called (Luật NVQS 2015 Điều 40): the time,
    the place and what to bring; signed by the chair of the deciding People's Committee."""
    people = candidates_of(campaign, commune, (Stage.PRESCREENED,))
    unit, names = _committee(campaign, commune, opts)
    chair = f"CHỦ TỊCH {names['name']}"

    def body(c):
        return [
            official.Text([chair], indent=False, align="center", bold=True),
            official.Text(["Căn cứ Luật Nghĩa vụ quân sự năm 2015;"]),
            official.Text(["Gọi công dân:"], indent=False, bold=True),
            *_person_lines(c, commune),
            official.Text(
                [
                    f"Có mặt lúc {_time(opts.when)} ngày {_date(opts.day) or '……/……/……'} "
                    f"tại {opts.place or '……………………………………'} để khám sức khỏe thực hiện nghĩa vụ quân sự."
                ]
            ),
            official.Text([f"Khi đi mang theo: {opts.bring or DEFAULT_BRING}."]),
            official.Text(
                [
                    "Công dân không chấp hành lệnh gọi khám sức khỏe mà không có lý do chính đáng "
                    "sẽ bị xử lý theo quy định của pháp luật."
                ],
                italic=True,
            ),
        ]

    return _personal(
        campaign=campaign,
        commune=commune,
        user=user,
        opts=opts,
        candidates=people,
        key="exam_order",
        type_code=TYPE_EXAM_ORDER,
        unit=unit,
        office=Office.COMMITTEE_CHAIR,
        names=names,
        document_type="LỆNH GỌI KHÁM SỨC KHỎE",
        title="Thực hiện nghĩa vụ quân sự",
        body=body,
        stem="LGKSK",
    ), None


def callup_orders(*, campaign, commune, user, opts, candidates=None):
    """Lệnh gọi công dân nhập ngũ, one per citizen called up (Luật NVQS 2015 Điều 33): hand-over time and
    place; signed by the chair of the district People's Committee until 30/06/2025, of the commune's from
    01/07/2025."""
    people = candidates if candidates is not None else candidates_of(campaign, commune, CALLUP_STAGES)
    unit, names = _committee(campaign, commune, opts)
    chair = f"CHỦ TỊCH {names['name']}"
    day = opts.day or campaign.handover_date

    def body(c):
        return [
            official.Text([chair], indent=False, align="center", bold=True),
            official.Text(["Căn cứ Luật Nghĩa vụ quân sự năm 2015;"]),
            official.Text([f"Căn cứ kết quả xét duyệt tuyển quân năm {campaign.year},"]),
            official.Text(["Gọi công dân:"], indent=False, bold=True),
            *_person_lines(c, commune),
            official.Text(
                [f"Có mặt lúc {_time(opts.when)} ngày {_date(day)} tại {opts.place or '……………………………………'} để nhập ngũ."]
            ),
            official.Text(
                [
                    "Công dân không chấp hành lệnh gọi nhập ngũ mà không có lý do chính đáng "
                    "sẽ bị xử lý theo quy định của pháp luật."
                ],
                italic=True,
            ),
        ]

    return _personal(
        campaign=campaign,
        commune=commune,
        user=user,
        opts=opts,
        candidates=people,
        key="callup_order",
        type_code=TYPE_CALLUP_ORDER,
        unit=unit,
        office=Office.COMMITTEE_CHAIR,
        names=names,
        document_type="LỆNH GỌI CÔNG DÂN NHẬP NGŨ",
        title="",
        body=body,
        stem="LGNN",
    ), None


def handover_record(*, campaign, commune, user, opts):
    """Biên bản giao nhận quân between the commune and the receiving unit, with the list of the citizens
    handed over (those approved or handed over, of the receiving unit given, or all)."""
    people = candidates_of(campaign, commune, CALLUP_STAGES)
    if opts.receiving_unit:
        wanted = opts.receiving_unit.strip().casefold()
        people = [c for c in people if not c.receiving_unit or c.receiving_unit.strip().casefold() == wanted]
    names = official.issuing_names(commune)
    receiver = opts.receiving_unit or next((c.receiving_unit for c in people if c.receiving_unit), "")
    subject = f"rec:{campaign.pk}:handover:{commune.pk}:{official.ascii_name(receiver)[:40]}"
    title = f"Giao nhận quân năm {campaign.year}"
    issued = _issue(commune, TYPE_RECORD, opts.on.year, [(subject, title)], user, opts.on)[subject]
    day = opts.day or campaign.handover_date
    headings = ("STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Thôn, xóm", "Sức khỏe", "Ghi chú")
    rows = [
        (
            str(n),
            c.person.full_name,
            _date(c.person.birth_date),
            c.person.national_id,
            _hamlet(c.person),
            f"Loại {c.health_class}" if c.health_class else "",
            "",
        )
        for n, c in enumerate(people, start=1)
    ]
    blocks = [
        official.Text(
            [f"Hôm nay, hồi {_time(opts.when)} ngày {_date(day)}, tại {opts.place or '……………………'}, chúng tôi gồm:"]
        ),
        official.Text(
            [f"Bên giao: Ban Chỉ huy quân sự {_place(commune)}."],
            indent=False,
            bold=True,
        ),
        official.Text([f"Bên nhận: {receiver or '……………………………………'}."], indent=False, bold=True),
        official.Text(
            [
                f"Hai bên thống nhất giao, nhận {len(rows)} công dân nhập ngũ "
                f"của {official.kind_word(commune)} {commune.name} theo danh sách dưới đây:"
            ]
        ),
        official.Table(
            headings=headings,
            rows=rows,
            widths_mm=(10, 45, 22, 30, 28, 15, 15),
            aligns=("c", "", "c", "c", "", "c", ""),
            size=11,
        ),
        official.Text(
            ["Biên bản được lập thành 02 bản có giá trị như nhau, mỗi bên giữ 01 bản."],
        ),
    ]
    names = _signed(names, unit=commune, office=Office.COMMANDER, day=issued.issued_on, opts=opts)
    doc = official.header_of(
        names,
        number=issued.number,
        type_code=TYPE_RECORD,
        day=issued.issued_on,
        signer_prefix="ĐẠI DIỆN BÊN GIAO",
        signer_title=names["signer_title"] or official.DEFAULT_SIGNER_TITLE,
        signer_name=opts.signer_name,
        document_type="BIÊN BẢN",
        title=title,
        blocks=blocks,
        recipients=[],
        cosigner_prefix="ĐẠI DIỆN BÊN NHẬN",
        cosigner_title=(receiver or "").upper(),
        file_stem=official.ascii_name(f"BB-giao-nhan-quan-{campaign.year}-{commune.name}"),
        file_stem_utf8=f"BB-giao-nhan-quan-{campaign.year}-{commune.name}".replace(" ", "-"),
    )
    return [doc], (headings, rows)


# --- The catalogue ----------------------------------------------------------------------------------

# What each paper is called on the page, and what it is for.
LABELS = {
    "registration_list": (
        gettext_lazy("List of first-time registrations"),
        gettext_lazy("Men turning 17 in the year and women of a profession the army needs."),
    ),
    "registration_certificate": (
        gettext_lazy("Registration certificates"),
        gettext_lazy("One certificate per citizen registering for the first time."),
    ),
    "ready_register": (
        gettext_lazy("Register of citizens ready for service"),
        gettext_lazy("The commune's register of candidates who may be called up."),
    ),
    "exam_list": (
        gettext_lazy("List of citizens called for the medical examination"),
        gettext_lazy("Candidates pre-screened or further."),
    ),
    "exam_order": (
        gettext_lazy("Calls for the medical examination"),
        gettext_lazy("One call per pre-screened candidate: time, place and what to bring."),
    ),
    "public_approved": (
        gettext_lazy("Public list: called up"),
        gettext_lazy("Posted at the commune for 20 days."),
    ),
    "public_deferred": (
        gettext_lazy("Public list: deferred"),
        gettext_lazy("Posted at the commune for 20 days, each ground in words."),
    ),
    "public_exempt": (
        gettext_lazy("Public list: exempt"),
        gettext_lazy("Posted at the commune for 20 days, each ground in words."),
    ),
    "callup_order": (
        gettext_lazy("Call-up orders"),
        gettext_lazy("One order per approved candidate, with the hand-over time and place."),
    ),
    "handover_record": (
        gettext_lazy("Hand-over record"),
        gettext_lazy("Between the commune and the receiving unit, with the list."),
    ),
}


PAPERS = {
    "registration_list": Paper("registration_list", "Danh sách đăng ký NVQS lần đầu", is_list=True),
    "registration_certificate": Paper(
        "registration_certificate", "Giấy chứng nhận đăng ký NVQS", personal=True, fields=("signer_name",)
    ),
    "ready_register": Paper("ready_register", "Sổ đăng ký công dân sẵn sàng nhập ngũ", is_list=True, numbered=False),
    "exam_list": Paper("exam_list", "Danh sách gọi khám sức khỏe", is_list=True, fields=("day", "when", "place")),
    "exam_order": Paper(
        "exam_order",
        "Lệnh gọi khám sức khỏe",
        personal=True,
        fields=("day", "when", "place", "bring", "signer_name"),
    ),
    "public_approved": Paper(
        "public_approved", "Danh sách gọi nhập ngũ (niêm yết)", is_list=True, fields=("posted_on", "place")
    ),
    "public_deferred": Paper(
        "public_deferred", "Danh sách tạm hoãn (niêm yết)", is_list=True, fields=("posted_on", "place")
    ),
    "public_exempt": Paper("public_exempt", "Danh sách miễn (niêm yết)", is_list=True, fields=("posted_on", "place")),
    "callup_order": Paper(
        "callup_order", "Lệnh gọi nhập ngũ", personal=True, fields=("day", "when", "place", "signer_name")
    ),
    "handover_record": Paper(
        "handover_record",
        "Biên bản giao nhận quân",
        fields=("receiving_unit", "day", "when", "place", "signer_name"),
    ),
}

BUILDERS = {
    "registration_list": registration_list,
    "registration_certificate": registration_certificates,
    "ready_register": ready_register,
    "exam_list": exam_list,
    "exam_order": exam_orders,
    "public_approved": lambda **kw: public_list("approved", **kw),
    "public_deferred": lambda **kw: public_list("deferred", **kw),
    "public_exempt": lambda **kw: public_list("exempt", **kw),
    "callup_order": callup_orders,
    "handover_record": handover_record,
}


def build(key, *, campaign, commune, user, opts):
    """(documents, table) of a paper for a commune: the documents (one, or one per citizen) and, for a list,
    its (headings, rows) for the Excel file."""
    return BUILDERS[key](campaign=campaign, commune=commune, user=user, opts=opts)


def list_xlsx(doc, table):
    """A list as a workbook: the same headings and rows as the document."""
    headings, rows = table
    return writing.write_xlsx(list(headings), [list(r) for r in rows], title=doc.document_type.title()[:31])


def render_file(paper, docs, table, fmt):
    """(bytes, content type, extension) of the documents in the format asked for."""
    if fmt == "xlsx":
        return list_xlsx(docs[0], table), writing.XLSX_TYPE, "xlsx"
    if fmt == "zip":
        return official.render_docx_zip(docs), official.ZIP_TYPE, "zip"
    if fmt == "docx":
        return official.render_docx(docs[0]), official.DOCX_TYPE, "docx"
    if paper.personal:
        return official.render_pdf_batch(docs), official.PDF_TYPE, "pdf"
    return official.render_pdf(docs[0]), official.PDF_TYPE, "pdf"


def batch_stem(paper, campaign, commune):
    return f"{paper.key.replace('_', '-')}-{campaign.year}-{commune.name}"
