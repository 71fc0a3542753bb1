"""The 2025 reform applied to the demo (`seed_demo --reform-2025`), through the reorganisation services.

On 1 July 2025 the district military command of Bảo Lâm was dissolved into an area defence command (Ban Chỉ
huy Phòng thủ khu vực) under the province command, and the thirteen communes of the district became six
(Nghị quyết 1667/NQ-UBTVQH15 of the National Assembly Standing Committee, 16/06/2025, on the arrangement of
the commune-level units of Cao Bằng). The conversion is the official one, read from the data the packages ship
(reorg.official); Cốc Pàng also takes in the Cốc Pàng of the neighbouring district, outside the demo.

Before the reform the demo's annual periods are filed by the old units (2024 is added here so that a whole
year stands on the district and its thirteen communes); the 2026 period is filed again by the new communes
and the area command, since the old units no longer existed in 2026.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from reports import demo as reports_demo
from reports import services as report_services
from reports.models import IssuingBody, Period, PeriodKind, Report, ReportStatus
from units.models import CommandLink, Unit, UnitKind
from units.roles import Role
from units.services import assignment_create

from . import official
from .services import Basis, NewUnit, unit_merge

REFORM_DAY = datetime.date(2025, 7, 1)
BASIS = Basis(number="1667/NQ-UBTVQH15", date=datetime.date(2025, 6, 16))
DISTRICT_CODE, PROVINCE_CODE = "042", "04"
AREA_CODE = "04-PTKV-01"
AREA_NAME = "Bảo Lâm"
# The new communes (name, official code) and the old communes' codes they were formed from come from the
# official conversion (reorg.official): Bảo Lâm (01290) = Pác Miầu + Vĩnh Phong + Mông Ân, Lý Bôn (01294) =
# Lý Bôn + Vĩnh Quang, Nam Quang (01297) = Nam Cao + Nam Quang, Quảng Lâm (01304) = Quảng Lâm + Thạch Lâm,
# Yên Thổ (01318) = Thái Học + Thái Sơn + Yên Thổ, Cốc Pàng (01324) = Đức Hạnh (+ Cốc Pàng of Bảo Lạc).


# Accounts of the units formed by the reform; the officers of the old communes follow their commune.
NEW_ACCOUNTS = [
    ("baolam", "Ban CHQS", "Bảo Lâm", "01290", Role.COMMUNE_OFFICER),
    ("cocpang", "Ban CHQS", "Cốc Pàng", "01324", Role.COMMUNE_OFFICER),
    ("ptkv", "Ban CHPTKV", "Bảo Lâm", AREA_CODE, Role.DISTRICT_OFFICER),
    ("chqstinh", "Bộ CHQS", "tỉnh Cao Bằng", PROVINCE_CODE, Role.COMMANDER),
    # The province command's staff officer, who files its report (the commander approves it).
    ("trolytinh", "Trợ lý", "Bộ CHQS tỉnh", PROVINCE_CODE, Role.DISTRICT_OFFICER),
]
REFILED_YEAR = 2026


def mergers(old_codes):
    """[(new name, new code, [old codes of the demo])] for the demo's communes, from the official conversion."""
    return [
        (commune.name, commune.code, [code for code in commune.old_codes if code in old_codes])
        for commune in official.new_communes_of(old_codes)
    ]


def reform_applied():
    return Unit.objects.filter(code=AREA_CODE).exists()


def apply_reform(*, password):
    """Apply the reform to a seeded demo; a second call changes nothing. Returns a line for the console."""
    if reform_applied():
        return "The 2025 reform is already applied."
    district = Unit.objects.get(code=DISTRICT_CODE)
    old_communes = list(Unit.objects.filter(parent=district).order_by("code"))
    # A whole year on the old units, before the reform: 2024 (2025 and 2026 come with the default seed).
    reports_demo.seed_reports(district=district, communes=old_communes, years_back=1)
    with transaction.atomic():
        _withdraw_period(REFILED_YEAR)
        area, new_communes = _reorganise(district)
        _accounts(password)
        _issuing_bodies(area, new_communes)
    filed = _refile(area, new_communes)
    return (
        f"Reform of 01/07/2025 applied: {len(old_communes)} communes into {len(new_communes)}, the district into "
        f"{area.display_name}; {filed} reports of {REFILED_YEAR} filed by the new units."
    )


def _withdraw_period(year):
    """The demo's period of `year` was filed by the units that ended in 2025: it is seeded again for the new
    ones. Demo data only."""
    period = Period.objects.filter(kind=PeriodKind.YEAR, year=year).first()
    if period is not None:
        Report.objects.filter(period=period).delete()
        period.delete()


def _reorganise(district):
    province = Unit.objects.get(code=PROVINCE_CODE)
    kinds = {k.code: k for k in UnitKind.objects.all()}
    area = Unit(
        name=AREA_NAME, code=AREA_CODE, kind=kinds["area"], parent=province, valid_from=REFORM_DAY, population=None
    )
    area.full_clean(exclude=["path", "depth"])
    area.save()
    by_code = {u.code: u for u in Unit.objects.filter(parent=district, valid_to__isnull=True)}
    new_communes = []
    for name, code, old_codes in mergers(set(by_code)):
        target = NewUnit(name=name, code=code, kind=kinds["commune"], parent=province)
        unit_merge(sources=[by_code[c] for c in old_codes], into=target, on=REFORM_DAY, basis=BASIS)
        commune = Unit.objects.get(code=code, valid_to__isnull=True)
        CommandLink.objects.create(unit=commune, commander=area, valid_from=REFORM_DAY)
        new_communes.append(commune)
    # The district command is dissolved into the area command: its open campaigns, reserve units and staff.
    unit_merge(sources=[district], into=area, on=REFORM_DAY, basis=BASIS)
    area.refresh_from_db()
    area.population = sum(c.population or 0 for c in new_communes)
    area.save()
    return area, new_communes


def _accounts(password):
    User = get_user_model()
    password_hash = make_password(password)
    for username, first, last, code, role in NEW_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, is_staff=role == Role.DISTRICT_OFFICER)
            user.password = password_hash
            user.save()
        assignment_create(user=user, unit=Unit.objects.get(code=code, valid_to__isnull=True), role=role)


def _issuing_bodies(area, communes):
    IssuingBody.objects.get_or_create(
        unit=area,
        defaults={
            "parent_name": "BỘ CHỈ HUY QUÂN SỰ TỈNH CAO BẰNG",
            "name": "BAN CHỈ HUY PHÒNG THỦ KHU VỰC BẢO LÂM",
            "abbreviation": "PTKV",
            "place": "Bảo Lâm",
            "signer_title": "CHỈ HUY TRƯỞNG",
            "signer_name": "Nông Văn Hùng",
            "recipients": "Bộ CHQS tỉnh Cao Bằng;\nCác xã thuộc khu vực;",
        },
    )
    for index, commune in enumerate(communes):
        IssuingBody.objects.get_or_create(
            unit=commune,
            defaults={
                "parent_name": "BAN CHỈ HUY PHÒNG THỦ KHU VỰC BẢO LÂM",
                "signer_title": "CHỈ HUY TRƯỞNG",
                "signer_name": reports_demo.SIGNERS[index % len(reports_demo.SIGNERS)],
                "recipients": "Ban CHPTKV Bảo Lâm;\nĐảng ủy, UBND xã;",
            },
        )


@transaction.atomic
def _refile(area, communes):
    """The 2026 annual period of the new units: every commune's report approved by the area commander, the
    area command's report a draft that rolls them up."""
    rng = random.Random(REFILED_YEAR)
    User = get_user_model()
    commander = User.objects.get(username="chihuy")  # the district's commander, now the area command's
    area_officer = User.objects.get(username="ptkv")
    period = report_services.period_create(
        kind=PeriodKind.YEAR, year=REFILED_YEAR, due_date=datetime.date(REFILED_YEAR, 12, 15)
    )
    report_services.period_open(period=period)
    reports = {r.unit_id: r for r in Report.objects.filter(period=period)}
    filed = 0
    for index, commune in enumerate(communes):
        officer = (
            User.objects.filter(assignments__unit=commune, assignments__role=Role.COMMUNE_OFFICER)
            .order_by("username")
            .first()
        )
        report = reports_demo._fill(reports[commune.pk], officer, rng)
        report_services.report_submit(user=officer, report=report)
        report_services.report_approve(user=commander, report=report)
        when = reports_demo._at(reports_demo._seed_day(datetime.date(REFILED_YEAR, 11, 10 + index), last=_last()))
        reports_demo._backdate(report, when)
        filed += 1
    report = reports[area.pk]
    if report.status == ReportStatus.DRAFT:
        reports_demo._fill(report, area_officer, rng)
        filed += 1
    return filed


def _last():
    return datetime.date(REFILED_YEAR, 11, 27)
