"""Demo reports: the 2025 annual reports of every commune and the district, filed and approved, and the
2026 annual period under way (some approved, some submitted, one returned, drafts, and Vĩnh Quang's not
started: the README walkthrough has `vinhquang` fill and submit it).
A province-shaped seed (`seed_demo --scale N`, N > 1) adds the approved reports of 2022–2024 and the
other districts' reports of the past years, so every page has five years of reports to read.

Every step is dated in the order it happened: the period opens, then drafts are saved and reports
submitted, then reviewed, all before the day of the seed."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import selectors, services
from .models import (
    DocumentNumber,
    IssuingBody,
    Period,
    PeriodKind,
    Report,
    ReportComment,
    ReportStatus,
    ReportTransition,
)

PAST_YEAR, CURRENT_YEAR = 2025, 2026
# The commune officer of the README walkthrough: their 2026 report is left for them to fill and submit.
WALKTHROUGH_USER = "vinhquang"
# A review step comes the day after the submission it answers.
REVIEW_DELAY = datetime.timedelta(days=1)
SIGNERS = ["Lục Văn Thành", "Hoàng Văn Sơn", "Nông Văn Tuấn", "Lý Văn Minh", "Triệu Văn Phúc", "Ma Văn Dũng"]
# The chairs of the communes' People's Committees since the reorganisation (who sign the call-up orders).
CHAIRS = ["Hoàng Thị Hoa", "Nông Văn Quân", "Lý Thị Mai", "Ma Văn Thắng", "Đàm Văn Lực", "Triệu Thị Hằng"]
# Typed figures of the demo: indicator code -> (low, high) per commune.
TYPED = {
    "sscd_duty_shifts": (300, 700),
    "rescue_operations": (0, 6),
    "rescue_personnel": (10, 120),
    "political_sessions": (6, 20),
    "political_participants": (150, 600),
    "party_admitted": (0, 4),
    "training_good_rate": (70, 92),
    "defence_exercises": (0, 1),
    "safety_incidents": (0, 0),
    "reserve_drills": (1, 3),
    "nde_leaders": (5, 25),
    "nde_hamlet_heads": (4, 12),
    "nde_elders": (2, 10),
    "nde_religious": (0, 3),
    "nde_students": (80, 400),
    "mass_mobilisation_days": (100, 600),
    "policy_visits": (10, 60),
    "policy_gifts_value": (5, 40),
    "defence_budget_spent": (120, 450),
    "weapons_good_rate": (85, 100),
    "barracks_works": (0, 2),
    "defence_land_area": (1, 30),
    "defence_land_violations": (0, 0),
    "joint_patrols": (6, 30),
    "joint_cases": (0, 8),
    "next_recruitment_target": (4, 12),
    "next_militia_ratio_target": (13, 16),  # tenths of a percent
    "next_trained_target": (90, 100),
}
NARRATIVE = (
    "Trong năm, Ban Chỉ huy quân sự {unit} đã quán triệt và triển khai đầy đủ các chỉ thị, hướng dẫn của cấp trên "
    "về {topic}. Kết quả cụ thể được tổng hợp ở bảng dưới đây.\n\n"
    "Ưu điểm: các nhiệm vụ được triển khai đúng kế hoạch, bảo đảm an toàn. Hạn chế: một số thôn, bản ở xa "
    "còn gặp khó khăn về giao thông và nhân lực."
)


def seed_reports(*, district, communes, others=(), years_back=0):
    """Seed the periods once; a second call changes nothing. `others` are (district, communes) pairs of
    a province-shaped seed: their past years are filed by the administrator and approved by the
    province commander. Returns the number of reports filed."""
    _issuing_bodies(district, communes)
    _officeholders(district, communes)
    users = _users(district, communes)
    filed = 0
    if not Period.objects.filter(kind=PeriodKind.YEAR, year=PAST_YEAR).exists():
        filed += _seed_past(district, communes, users)
        filed += _seed_others(PAST_YEAR, others)
    if not Period.objects.filter(kind=PeriodKind.YEAR, year=CURRENT_YEAR).exists():
        filed += _seed_current(district, communes, users)
    for year in range(PAST_YEAR - years_back, PAST_YEAR):
        if not Period.objects.filter(kind=PeriodKind.YEAR, year=year).exists():
            filed += _seed_past(district, communes, users, year=year)
            filed += _seed_others(year, others)
    return filed


def _seed_others(year, others):
    """The other districts' reports of a past year: filed by the administrator, approved by the province
    commander (nobody approves their own report)."""
    if not others:
        return 0
    User = get_user_model()
    filer = User.objects.filter(is_superuser=True).order_by("pk").first()
    reviewer = User.objects.filter(username="chihuytinh").first()
    if filer is None or reviewer is None:
        return 0
    rng = random.Random(year)
    period = Period.objects.get(kind=PeriodKind.YEAR, year=year)
    filed = 0
    for other, other_communes in others:
        reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__path__startswith=other.path)}
        for unit in [*other_communes, other]:  # the communes first: the district's report rolls them up
            report = reports.get(unit.pk)
            if report is None or report.status != ReportStatus.DRAFT:
                continue
            report = _fill(report, filer, rng)
            services.report_submit(user=filer, report=report)
            services.report_approve(user=reviewer, report=report)
            # The communes on the 10th, the district (which rolls them up) after their approval.
            _backdate(report, _at(datetime.date(year, 12, 14 if unit == other else 10)))
            _number_in_year(report, year)
            filed += 1
    return filed


def _issuing_bodies(district, communes):
    IssuingBody.objects.get_or_create(
        unit=district,
        defaults={
            "parent_name": "BỘ CHỈ HUY QUÂN SỰ TỈNH CAO BẰNG",
            "name": "BAN CHỈ HUY QUÂN SỰ HUYỆN BẢO LÂM",
            "abbreviation": "BCH",
            "place": "Bảo Lâm",
            "signer_title": "CHỈ HUY TRƯỞNG",
            "signer_name": "Nông Văn Hùng",
            "recipients": "Bộ CHQS tỉnh Cao Bằng;\nThường trực Huyện ủy, UBND huyện;\nCác xã, thị trấn;",
        },
    )
    for index, commune in enumerate(communes):
        IssuingBody.objects.get_or_create(
            unit=commune,
            defaults={
                "signer_title": "CHỈ HUY TRƯỞNG",
                "signer_name": SIGNERS[index % len(SIGNERS)],
                "recipients": "Ban CHQS huyện Bảo Lâm;\nĐảng ủy, UBND xã;",
            },
        )


def _officeholders(district, communes):
    """Who signed and signs: the district's chair until the reorganisation, then each commune's chair; each
    commune's military commander (units.Officeholder)."""
    from units.models import Office, Officeholder

    Officeholder.objects.get_or_create(
        unit=district,
        office=Office.COMMITTEE_CHAIR,
        start=datetime.date(2021, 7, 1),
        defaults={"full_name": "Lương Văn Thành", "end": datetime.date(2025, 6, 30)},
    )
    for index, commune in enumerate(communes):
        Officeholder.objects.get_or_create(
            unit=commune,
            office=Office.COMMITTEE_CHAIR,
            start=datetime.date(2025, 7, 1),
            defaults={"full_name": CHAIRS[index % len(CHAIRS)]},
        )
        Officeholder.objects.get_or_create(
            unit=commune,
            office=Office.COMMANDER,
            start=datetime.date(2021, 1, 1),
            defaults={"full_name": SIGNERS[index % len(SIGNERS)]},
        )


def _users(district, communes):
    from units.demo import commune_username

    User = get_user_model()
    by_name = {u.username: u for u in User.objects.all()}
    return {
        "commander": by_name["chihuy"],
        "district": by_name["trolyhuyen"],
        **{c.pk: by_name.get(commune_username(c.name)) for c in communes},
    }


def _fill(report, user, rng):
    """Type every figure of the report (automatic ones as the rosters give them) and every narrative."""
    report.refresh_from_db()
    live = {k: v for k, (v, _note) in selectors.live_values(report).items()}
    draft = services.Draft(
        texts={
            s.pk: NARRATIVE.format(unit=report.unit.name, topic=s.heading[0].lower() + s.heading[1:])
            for s in report.template.sections.all()
        }
    )
    for indicator in report.template_indicators():
        if indicator.pk in live:
            draft.values[indicator.pk] = (live[indicator.pk], "")
        elif indicator.code in TYPED:
            low, high = TYPED[indicator.code]
            value = Decimal(rng.randint(low, high))
            if indicator.code == "next_militia_ratio_target":
                value /= 10
            if report.unit.kind.code == "district" and indicator.aggregation == "sum":
                value *= 14
            draft.values[indicator.pk] = (value, "")
    return services.report_save(user=user, report=report, version=report.version, draft=draft, live=live)


def _backdate(report, when):
    """Date the report's filing at `when` (saved, then submitted the same morning) and each later step of
    its timeline a day after the one before."""
    steps = list(ReportTransition.objects.filter(report=report).order_by("at", "pk"))
    Report.objects.filter(pk=report.pk).update(
        last_saved_at=when - datetime.timedelta(hours=1),
        submitted_at=when if report.submitted_at else None,
        first_submitted_at=when if report.first_submitted_at else None,
        approved_at=when + REVIEW_DELAY * (len(steps) - 1) if report.approved_at else None,
    )
    for offset, step in enumerate(steps):
        ReportTransition.objects.filter(pk=step.pk).update(at=when + REVIEW_DELAY * offset)


@transaction.atomic
def _number_in_year(report, year):
    """Give the report approved on a past day the number of that year: the approval just took the
    next number of this year's counter, which is handed back (Decree 30/2020, art. 15)."""
    this_year = timezone.localdate().year
    if year == this_year:
        return
    DocumentNumber.objects.filter(unit=report.unit, year=this_year, last__gt=0).update(last=F("last") - 1)
    Report.objects.filter(pk=report.pk).update(doc_number=services.allocate_number(unit=report.unit, year=year))


def _backdate_opening(period, when):
    Period.objects.filter(pk=period.pk).update(opened_at=when)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def _seed_day(day, *, last):
    """`day` of the current year's plan, moved back as a block when the seed runs before `last` has passed
    (the order of the steps is kept and every one stays in the past)."""
    latest = timezone.localdate() - datetime.timedelta(days=1)
    return day - max(datetime.timedelta(0), last - latest)


@transaction.atomic
def _seed_past(district, communes, users, year=PAST_YEAR):
    rng = random.Random(year)
    period = services.period_create(kind=PeriodKind.YEAR, year=year, due_date=datetime.date(year, 12, 15))
    services.period_open(period=period)
    _backdate_opening(period, _at(datetime.date(year, 11, 1)))
    reports = {r.unit_id: r for r in Report.objects.filter(period=period).select_related("unit", "unit__kind")}
    filed = 0
    for index, commune in enumerate(communes):
        user = users.get(commune.pk)
        if user is None:
            continue
        report = _fill(reports[commune.pk], user, rng)
        services.report_submit(user=user, report=report)
        services.report_approve(user=users["commander"], report=report)
        _backdate(report, _at(datetime.date(year, 12, 1 + index % 14 + (3 if index == 5 else 0))))
        _number_in_year(report, year)
        filed += 1
    # The district files after its communes' reports are approved: its report rolls them up.
    report = _fill(reports[district.pk], users["district"], rng)
    services.report_submit(user=users["district"], report=report)
    services.report_approve(user=users["commander"], report=report)
    _backdate(report, _at(datetime.date(year, 12, 18)))
    _number_in_year(report, year)
    return filed + 1


# The current year: opened on 1 October; the communes file from 10 November, drafts are saved from
# 20 November and the district's draft last, on 27 November.
CURRENT_OPENED = datetime.date(CURRENT_YEAR, 10, 1)
CURRENT_LAST = datetime.date(CURRENT_YEAR, 11, 27)
RETURN_COMMENT = "Đề nghị bổ sung số liệu huấn luyện dân quân và làm rõ nguyên nhân chưa hoàn thành chỉ tiêu."
SECTION_COMMENT = "Số người đạt khá, giỏi chưa khớp với kết quả kiểm tra của huyện: đề nghị rà soát lại."


@transaction.atomic
def _seed_current(district, communes, users):
    rng = random.Random(2026)
    period = services.period_create(
        kind=PeriodKind.YEAR, year=CURRENT_YEAR, due_date=datetime.date(CURRENT_YEAR, 12, 15)
    )
    services.period_open(period=period)
    _backdate_opening(period, _at(_seed_day(CURRENT_OPENED, last=CURRENT_LAST)))
    reports = {r.unit_id: r for r in Report.objects.filter(period=period).select_related("unit", "unit__kind")}
    plan = iter(["approved"] * 5 + ["submitted"] * 3 + ["returned"] + ["draft"] * 3)  # the rest not started
    filed = 0
    for index, commune in enumerate(communes):
        user = users.get(commune.pk)
        if user is None or user.username == WALKTHROUGH_USER:
            continue
        state = next(plan, None)
        if state is None:
            continue
        report = _fill(reports[commune.pk], user, rng)
        filed += 1
        if state == "draft":
            _backdate(report, _at(_seed_day(datetime.date(CURRENT_YEAR, 11, 20 + index % 7), last=CURRENT_LAST)))
            continue
        services.report_submit(user=user, report=report)
        if state == "approved":
            services.report_approve(user=users["commander"], report=report)
        elif state == "returned":
            services.report_return(user=users["commander"], report=report, comment=RETURN_COMMENT)
            _comment_section(report, users["commander"], "huấn luyện")
        when = _at(_seed_day(datetime.date(CURRENT_YEAR, 11, 10 + index), last=CURRENT_LAST))
        _backdate(report, when)
        ReportComment.objects.filter(report=report).update(created_at=when + REVIEW_DELAY)
    report = reports[district.pk]
    if report.status == ReportStatus.DRAFT:
        _fill(report, users["district"], rng)
        Report.objects.filter(pk=report.pk).update(last_saved_at=_at(_seed_day(CURRENT_LAST, last=CURRENT_LAST)))
    return filed


def _comment_section(report, reviewer, heading_word):
    """The reviewer's comment on the section whose heading names `heading_word`, besides the return's."""
    section = report.template.sections.filter(heading__icontains=heading_word).order_by("order").first()
    if section is not None:
        services.comment_add(user=reviewer, report=report, text=SECTION_COMMENT, section=section)
