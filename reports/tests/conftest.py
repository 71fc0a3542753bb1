"""Fixtures of the dashboard tests: a district with hand-countable figures."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reports.models import Target, TargetIndicator
from tests.factories import (
    CampaignFactory,
    CandidateFactory,
    MilitiaMemberFactory,
    PersonFactory,
    QuotaFactory,
    ReservePostFactory,
    ReserveUnitFactory,
    ReservistFactory,
)


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def district_data(tree, year):
    """Hand-countable figures for the running year and the one before (see each test's arithmetic)."""
    vq, lb = tree["vinh_quang"], tree["ly_bon"]
    vq.population = 2000
    vq.save()
    lb.population = 5000
    lb.save()

    def vq_person(**kw):
        return PersonFactory(home_unit=tree["vq_hamlet"], **kw)

    def lb_person(**kw):
        return PersonFactory(home_unit=tree["lb_hamlet"], full_name="Vàng Seo Páo", **kw)

    # Recruitment: the call-up handed over this year (on 1 January, so that it is over whatever today is):
    # VQ quota 4 (2 handed over, 1 approved, 1 registered), LB quota 5 (1 handed over).
    campaign = CampaignFactory(year=year, district=tree["district"], handover_date=datetime.date(year, 1, 1))
    QuotaFactory(campaign=campaign, commune=vq, count=4)
    QuotaFactory(campaign=campaign, commune=lb, count=5)
    born = datetime.date(year - 20, 6, 1)
    for stage in ("handed_over", "handed_over", "approved", "registered"):
        CandidateFactory(campaign=campaign, person=vq_person(birth_date=born), stage=stage)
    CandidateFactory(campaign=campaign, person=lb_person(birth_date=born), stage="handed_over")
    # Last year's call-up (handed over in February of last year): VQ quota 2, both handed over.
    last = CampaignFactory(
        year=year - 1, district=tree["district"], handover_date=datetime.date(year - 1, 2, 20), status="closed"
    )
    QuotaFactory(campaign=last, commune=vq, count=2)
    for _ in range(2):
        CandidateFactory(
            campaign=last, person=vq_person(birth_date=born - datetime.timedelta(days=365)), stage="handed_over"
        )

    # Militia: VQ A (Party, trained this year), B (Party), C, since last year; D joined this year;
    # X served last year and left this year. LB: E joined this year.
    long_ago = datetime.date(year - 2, 3, 1)
    this_year = datetime.date(year, 1, 15)
    MilitiaMemberFactory(person=vq_person(is_party_member=True), joined_on=long_ago, last_trained_year=year)
    MilitiaMemberFactory(person=vq_person(is_party_member=True), joined_on=long_ago)
    MilitiaMemberFactory(person=vq_person(), joined_on=long_ago, force_code="co_dong")
    MilitiaMemberFactory(person=vq_person(), joined_on=this_year)
    MilitiaMemberFactory(
        person=vq_person(), joined_on=long_ago, status="term_ended", exit_date=datetime.date(year, 1, 10)
    )
    MilitiaMemberFactory(person=lb_person(), joined_on=this_year)

    # Reserve: VQ 3 active reservists, 2 placed (one in a matching specialty), 1 not placed.
    post = ReservePostFactory(reserve_unit=ReserveUnitFactory(district=tree["district"]), specialty_code="BB-01")
    ReservistFactory(person=vq_person(), post=post, specialty_code="BB-01")
    ReservistFactory(person=vq_person(), post=post, specialty_code="TT-02")
    ReservistFactory(person=vq_person())

    Target.objects.create(
        unit=tree["district"], year=year, indicator=TargetIndicator.MILITIA_RATIO, value=Decimal("1.4")
    )
    Target.objects.create(unit=vq, year=year, indicator=TargetIndicator.MILITIA_PARTY_SHARE, value=Decimal(40))
    return {"campaign": campaign}


# --- Reports: an opened annual period with the district's and both communes' reports ---------------


@pytest.fixture
def annual_period(tree):
    """The 2024 annual period, opened: one draft report each for Bảo Lâm, Vĩnh Quang and Lý Bôn."""
    from reports import services

    period = services.period_create(kind="year", year=2024, due_date=datetime.date(2024, 12, 15))
    services.period_open(period=period)
    return period


@pytest.fixture
def reports(annual_period, tree):
    from reports.models import Report

    by_unit = {r.unit_id: r for r in Report.objects.filter(period=annual_period).select_related("unit", "period")}
    return {
        "district": by_unit[tree["district"].pk],
        "vinh_quang": by_unit[tree["vinh_quang"].pk],
        "ly_bon": by_unit[tree["ly_bon"].pk],
    }


def fill_report(report, user, values=None, texts=None):
    """Save a draft the way the form does: every section gets a narrative, the given values
    (indicator code -> Decimal) are typed (with a reason, in case they change an automatic figure); the other
    automatic figures are accepted as they are."""
    from reports import selectors, services
    from reports.models import Indicator

    live = {k: v for k, (v, _note) in selectors.live_values(report).items()}
    codes = {i.code: i.pk for i in Indicator.objects.all()}
    draft = services.Draft(
        texts={s.pk: (texts or {}).get(s.pk, f"Nội dung mục {s.order}") for s in report.template.sections.all()},
        # A typed value that differs from an automatic figure carries the reason the form asks for.
        values={codes[code]: (value, "Số liệu của đơn vị") for code, value in (values or {}).items()},
    )
    for indicator_id, value in live.items():
        draft.values.setdefault(indicator_id, (value, ""))
    return services.report_save(user=user, report=report, version=report.version, draft=draft, live=live)
