"""A district before the 2025 reform with one record of every kind in Vĩnh Quang and Lý Bôn."""

import datetime
from decimal import Decimal

import pytest

from militia.models import MilitiaDutyRecord
from recruitment.models import DeferralGround, ListPosting, RegistrationExclusion
from reorg.services import Basis
from reports import services as report_services
from reports.models import Report, ReportStatus, Target, TargetIndicator
from tests.factories import (
    CampaignFactory,
    CandidateFactory,
    MilitiaMemberFactory,
    PersonFactory,
    QuotaFactory,
    ReserveUnitFactory,
    ReservistFactory,
    make_user_with_role,
)
from units.roles import Role

REFORM_DAY = datetime.date(2025, 7, 1)
BASIS = Basis(number="1667/NQ-UBTVQH15", date=datetime.date(2025, 6, 16))


@pytest.fixture
def world(tree):
    """Vĩnh Quang and Lý Bôn with people, militia (serving and left), a reservist, duty records, an open and
    a closed campaign, reports of 2024 (approved) and 2026 (draft), targets, roles and a reserve unit."""
    vq, lb, district = tree["vinh_quang"], tree["ly_bon"], tree["district"]
    at_commune = PersonFactory(full_name="Ma Văn Chung", home_unit=vq)
    hamlet_people = [PersonFactory(home_unit=tree["vq_hamlet"]) for _ in range(3)]
    serving = MilitiaMemberFactory(person=PersonFactory(full_name="Lò Văn Dũng", home_unit=tree["vq_hamlet"]))
    left = MilitiaMemberFactory(
        person=PersonFactory(full_name="Lò Văn Tám", home_unit=tree["vq_hamlet2"]),
        status="term_ended",
        exit_date=datetime.date(2024, 12, 31),
        joined_on=datetime.date(2020, 1, 1),
    )
    reservist = ReservistFactory(person=PersonFactory(full_name="Nông Văn Hải", home_unit=tree["vq_hamlet2"]))
    duty_now = MilitiaDutyRecord.objects.create(
        person=hamlet_people[0], unit=vq, kind="registration", recorded_on=datetime.date(2025, 4, 10)
    )
    duty_old = MilitiaDutyRecord.objects.create(
        person=hamlet_people[1], unit=vq, kind="registration", recorded_on=datetime.date(2023, 4, 10)
    )
    open_campaign = CampaignFactory(district=district, year=2027)
    closed_campaign = CampaignFactory(
        district=district, year=2025, handover_date=datetime.date(2025, 2, 20), status="closed"
    )
    candidate = CandidateFactory(
        person=PersonFactory(
            full_name="Hoàng Văn Nam", home_unit=tree["vq_hamlet"], birth_date=datetime.date(2006, 6, 1)
        ),
        campaign=open_campaign,
    )
    old_candidate = CandidateFactory(
        person=PersonFactory(
            full_name="Hoàng Văn Bắc", home_unit=tree["vq_hamlet"], birth_date=datetime.date(2004, 6, 1)
        ),
        campaign=closed_campaign,
    )
    quotas = [
        QuotaFactory(campaign=open_campaign, commune=vq, count=4),
        QuotaFactory(campaign=open_campaign, commune=lb, count=6),
        QuotaFactory(campaign=closed_campaign, commune=vq, count=3),
    ]
    posting = ListPosting.objects.create(
        campaign=open_campaign, commune=vq, kind="deferment", posted_on=datetime.date(2026, 11, 20)
    )
    exclusion = RegistrationExclusion.objects.create(
        campaign=open_campaign,
        person=PersonFactory(full_name="Thào Văn Dế", home_unit=tree["vq_hamlet"]),
        commune=vq,
        ground=DeferralGround.objects.filter(code__startswith="13.").order_by("code").first(),
    )
    reserve_unit = ReserveUnitFactory(district=district)
    p2024 = report_services.period_create(kind="year", year=2024, due_date=datetime.date(2024, 12, 15))
    report_services.period_open(period=p2024)
    Report.objects.filter(period=p2024).update(status=ReportStatus.APPROVED)
    p2026 = report_services.period_create(kind="year", year=2026, due_date=datetime.date(2026, 12, 15))
    report_services.period_open(period=p2026)
    targets = [
        Target.objects.create(unit=vq, year=2024, indicator=TargetIndicator.MILITIA_RATIO, value=Decimal("1.5")),
        Target.objects.create(unit=vq, year=2026, indicator=TargetIndicator.MILITIA_RATIO, value=Decimal("1.6")),
    ]
    return {
        **tree,
        "at_commune": at_commune,
        "hamlet_people": hamlet_people,
        "serving": serving,
        "left": left,
        "reservist": reservist,
        "duty_now": duty_now,
        "duty_old": duty_old,
        "open_campaign": open_campaign,
        "closed_campaign": closed_campaign,
        "candidate": candidate,
        "old_candidate": old_candidate,
        "quotas": quotas,
        "posting": posting,
        "exclusion": exclusion,
        "reserve_unit": reserve_unit,
        "p2024": p2024,
        "p2026": p2026,
        "targets": targets,
        "vq_officer": make_user_with_role("vinhquang", vq, Role.COMMUNE_OFFICER),
        "lb_officer": make_user_with_role("lybon", lb, Role.COMMUNE_OFFICER),
        "district_officer": make_user_with_role("trolyhuyen", district, Role.DISTRICT_OFFICER),
    }
