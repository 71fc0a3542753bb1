"""The recruitment figures of a report period: the call-up handed over in the period's year, counted as the
records stood on the period's last day (hand-overs on or before it, stage changes made by its end)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from recruitment import selectors
from recruitment.models import StageChange
from tests.factories import CampaignFactory, CandidateFactory, PersonFactory, QuotaFactory
from units.figures import get_figure

pytestmark = pytest.mark.django_db

YEAR_2025 = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
YEAR_2026 = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def figure(code, unit, period):
    start, end = period
    return get_figure(code).compute(unit=unit, start=start, end=end)


def _candidate(campaign, hamlet, stage, **fields):
    return CandidateFactory(campaign=campaign, person=PersonFactory(home_unit=hamlet), stage=stage, **fields)


def _changed(candidate, to_stage, at):
    """A stage change recorded at `at` (local time)."""
    change = StageChange.objects.create(candidate=candidate, from_stage="", to_stage=to_stage)
    StageChange.objects.filter(pk=change.pk).update(at=timezone.make_aware(at))


@pytest.fixture
def two_call_ups(tree):
    """The call-up handed over on 25/02/2025 (VQ quota 4, 3 handed over) and the one handed over on 25/02/2026
    (VQ quota 5, 5 handed over)."""
    vq = tree["vq_hamlet"]
    handed_2025 = CampaignFactory(
        district=tree["district"], year=2025, handover_date=datetime.date(2025, 2, 25), district_quota=4
    )
    QuotaFactory(campaign=handed_2025, commune=tree["vinh_quang"], count=4)
    for _ in range(3):
        _candidate(handed_2025, vq, "handed_over", handover_date=datetime.date(2025, 2, 25))
    handed_2026 = CampaignFactory(
        district=tree["district"], year=2026, handover_date=datetime.date(2026, 2, 25), district_quota=5
    )
    QuotaFactory(campaign=handed_2026, commune=tree["vinh_quang"], count=5)
    for _ in range(5):
        _candidate(handed_2026, vq, "handed_over", handover_date=datetime.date(2026, 2, 25))
    return handed_2025, handed_2026


def test_a_2025_period_shows_the_february_2025_hand_over(two_call_ups, tree):
    district, vq = tree["district"], tree["vinh_quang"]
    assert figure("recruitment.quota", district, YEAR_2025) == 4
    assert figure("recruitment.handed_over", district, YEAR_2025) == 3
    assert figure("recruitment.handover_rate", district, YEAR_2025) == Decimal("75.0")
    assert figure("recruitment.handover_rate", vq, YEAR_2025) == Decimal("75.0")
    # The 2026 report takes the February 2026 hand-over, not the call-up being prepared in 2026.
    assert figure("recruitment.handed_over", district, YEAR_2026) == 5
    assert figure("recruitment.handover_rate", district, YEAR_2026) == Decimal("100.0")


def test_hand_overs_count_on_or_before_the_periods_last_day(tree):
    campaign = CampaignFactory(district=tree["district"], year=2026, handover_date=datetime.date(2026, 2, 25))
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=10)
    for day in (datetime.date(2026, 3, 30), datetime.date(2026, 3, 31), datetime.date(2026, 4, 1)):
        _candidate(campaign, tree["vq_hamlet"], "handed_over", handover_date=day)
    first_quarter = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert figure("recruitment.handed_over", tree["district"], first_quarter) == 2  # the day before and the day of
    # The one handed over the day after was approved by then (no stage change says otherwise).
    assert figure("recruitment.approved", tree["district"], first_quarter) == 3
    assert figure("recruitment.handed_over", tree["district"], YEAR_2026) == 3


def test_a_hand_over_without_its_own_date_counts_from_the_campaigns(tree):
    campaign = CampaignFactory(district=tree["district"], year=2026, handover_date=datetime.date(2026, 2, 25))
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=2)
    _candidate(campaign, tree["vq_hamlet"], "handed_over")
    assert figure("recruitment.handed_over", tree["district"], (YEAR_2026[0], datetime.date(2026, 2, 24))) == 0
    assert figure("recruitment.handed_over", tree["district"], (YEAR_2026[0], datetime.date(2026, 2, 25))) == 1


def test_stages_count_as_they_stood_at_the_end_of_the_periods_last_day(tree, commander):
    campaign = CampaignFactory(district=tree["district"], year=2026, handover_date=datetime.date(2026, 2, 25))
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=5)
    hamlet = tree["vq_hamlet"]
    registered_late = _candidate(campaign, hamlet, "registered")
    _changed(registered_late, "registered", datetime.datetime(2026, 1, 1, 0, 10))  # just after 2025 ended
    approved_in_time = _candidate(campaign, hamlet, "approved")
    _changed(approved_in_time, "registered", datetime.datetime(2025, 4, 15, 9, 0))
    _changed(approved_in_time, "approved", datetime.datetime(2025, 12, 31, 23, 30))  # the last evening of 2025
    deferred_later = _candidate(campaign, hamlet, "deferred")
    _changed(deferred_later, "registered", datetime.datetime(2025, 4, 15, 9, 0))
    _changed(deferred_later, "approved", datetime.datetime(2025, 11, 28, 9, 0))
    _changed(deferred_later, "deferred", datetime.datetime(2026, 1, 5, 9, 0))  # approved at the end of 2025
    legacy = _candidate(campaign, hamlet, "approved")  # no stage change recorded: its stage stands

    end_2025 = datetime.date(2025, 12, 31)
    figures = selectors.recruitment_figures(user=commander, year=2026, on=end_2025)["total"]
    assert (figures["registered"], figures["approved"], figures["handed_over"]) == (3, 3, 0)
    assert figures["handed_over_on"] is False and figures["days_to_handover"] == 56
    on_new_year = selectors.recruitment_figures(user=commander, year=2026, on=datetime.date(2026, 1, 1))["total"]
    assert (on_new_year["registered"], on_new_year["approved"]) == (4, 3)
    after = selectors.recruitment_figures(user=commander, year=2026, on=datetime.date(2026, 1, 5))["total"]
    assert after["approved"] == 2  # approved_in_time and legacy; the other one is deferred by then
    assert legacy.stage == "approved"


def test_a_past_report_opens_with_the_hand_over_of_its_year(two_call_ups, tree):
    from reports import selectors as report_selectors
    from reports import services
    from reports.models import Report

    period = services.period_create(kind="year", year=2025, due_date=datetime.date(2025, 12, 15))
    services.period_open(period=period)
    report = Report.objects.get(period=period, unit=tree["district"])
    live = report_selectors.live_values(report)
    by_source = {i.source: live[i.pk][0] for i in report.template_indicators() if i.source.startswith("recruitment.")}
    assert by_source["recruitment.quota"] == 4
    assert by_source["recruitment.handed_over"] == 3
    assert by_source["recruitment.handover_rate"] == Decimal("75.0")


def test_the_district_report_takes_its_campaigns_figures_over_the_communes_reports(tree, officer, commander):
    """Section 4 of the district's 2024 report: the campaign handed over on 26/02/2024 as it stood on
    31/12/2024, whatever the one approved commune report typed (a roll-up would give 1 of quota 2)."""
    from reports import selectors as report_selectors
    from reports import services
    from reports.models import Indicator, Report
    from reports.tests.conftest import fill_report

    campaign = CampaignFactory(
        district=tree["district"], year=2024, handover_date=datetime.date(2024, 2, 26), district_quota=6
    )
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=2)
    QuotaFactory(campaign=campaign, commune=tree["ly_bon"], count=4)
    for hamlet in ("vq_hamlet", "lb_hamlet", "lb_hamlet"):
        _candidate(campaign, tree[hamlet], "handed_over", handover_date=datetime.date(2024, 2, 26))
    _candidate(campaign, tree["lb_hamlet"], "handed_over", handover_date=datetime.date(2025, 1, 2))  # after 2024

    period = services.period_create(kind="year", year=2024, due_date=datetime.date(2024, 12, 15))
    services.period_open(period=period)
    commune_report = Report.objects.get(period=period, unit=tree["vinh_quang"])
    typed = {"recruitment_quota": Decimal(2), "recruitment_handed_over": Decimal(1), "political_sessions": Decimal(7)}
    commune_report = fill_report(commune_report, officer, values=typed)
    services.report_submit(user=officer, report=commune_report)
    services.report_approve(user=commander, report=Report.objects.get(pk=commune_report.pk))

    district_report = Report.objects.get(period=period, unit=tree["district"])
    live = report_selectors.live_values(district_report)
    by_code = {i.code: live[i.pk][0] for i in Indicator.objects.filter(code__startswith="recruitment_")}
    assert by_code["recruitment_quota"] == 6  # the district quota, not the approved commune's 2
    assert by_code["recruitment_handed_over"] == 3  # hand-overs by 31/12/2024
    assert by_code["recruitment_handover_rate"] == Decimal("50.0")
    # An indicator typed by hand still rolls up from the approved commune reports.
    sessions = Indicator.objects.get(code="political_sessions")
    assert live[sessions.pk][0] == 7
