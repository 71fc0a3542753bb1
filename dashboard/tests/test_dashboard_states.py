"""The dashboard speaks with one voice: the commune cells, the "at risk" panel and the hand-over chart show the
state one function gives; the year's figures are those of the call-up handed over in that year; a call-up in
preparation shows its progress and its days to the hand-over, and never compares with last year's finished
rate."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import translation

from dashboard.selectors import dashboard
from recruitment.models import Candidate
from tests.factories import CampaignFactory, CandidateFactory, PersonFactory, QuotaFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _candidates(campaign, hamlet, stage, n, **fields):
    for _ in range(n):
        CandidateFactory(campaign=campaign, person=PersonFactory(home_unit=hamlet), stage=stage, **fields)


@pytest.fixture
def third_commune(tree):
    """A commune without a quota: no data, but still a bar (empty) and a label on the chart."""
    return UnitFactory(kind_code="commune", name="Yên Thổ", code="01318", parent=tree["district"])


@pytest.fixture
def call_ups(tree, third_commune):
    """The call-up handed over on 25/02/2026 (VQ 4 of 4, LB 1 of 5) and the 2027 one handing over on 20/02/2027
    (VQ 1 approved of 4, LB 5 approved of 5, one more registered)."""
    handed = CampaignFactory(
        district=tree["district"], year=2026, handover_date=datetime.date(2026, 2, 25), status="closed"
    )
    QuotaFactory(campaign=handed, commune=tree["vinh_quang"], count=4)
    QuotaFactory(campaign=handed, commune=tree["ly_bon"], count=5)
    _candidates(handed, tree["vq_hamlet"], "handed_over", 4)
    _candidates(handed, tree["lb_hamlet"], "handed_over", 1)
    _candidates(handed, tree["lb_hamlet"], "deferred", 1)
    preparing = CampaignFactory(
        district=tree["district"], year=2027, handover_date=datetime.date(2027, 2, 20), status="open"
    )
    QuotaFactory(campaign=preparing, commune=tree["vinh_quang"], count=4)
    QuotaFactory(campaign=preparing, commune=tree["ly_bon"], count=5)
    _candidates(preparing, tree["vq_hamlet"], "approved", 1)
    _candidates(preparing, tree["vq_hamlet"], "examined", 2)
    _candidates(preparing, tree["lb_hamlet"], "approved", 5)
    _candidates(preparing, tree["lb_hamlet"], "registered", 1)
    return handed, preparing


def _states(dash):
    """The hand-over state of each commune as the cells, the panel and the chart give it."""
    cells = {row["unit"].name: row["handover"]["cell"]["status"] for row in dash["rows"]}
    panel = {row["unit"].name for row in dash["attention"]["at_risk"]}
    chart = dash["chart_data"]["handover"]
    return cells, panel, dict(zip(chart["labels"], chart["states"], strict=True))


def _agree(dash):
    cells, panel, chart = _states(dash)
    assert chart == cells
    assert panel == {name for name, state in cells.items() if state == "at_risk"}
    assert dash["chart_data"]["handover"]["labels"] == [row["unit"].name for row in dash["rows"]]
    return cells


def test_the_year_of_a_finished_call_up_shows_its_hand_over(call_ups, commander):
    dash = dashboard(user=commander, year=2026, today=datetime.date(2026, 12, 3))
    cells = _agree(dash)
    assert cells == {"Lý Bôn": "at_risk", "Vĩnh Quang": "ok", "Yên Thổ": "no_data"}
    tile = next(t for t in dash["headline"] if t["key"] == "handover_rate")
    assert (tile["value"], tile["status"]) == (55.6, "at_risk")  # 5 handed over of a quota of 9
    assert tile["previous"] is None  # no call-up was handed over in 2025
    assert dash["chart_data"]["handover"]["values"] == [20.0, 100.0, None]
    # The 2027 call-up is being prepared: the panel shows its progress and its days to the hand-over.
    [upcoming] = dash["upcoming"]
    assert upcoming["year"] == 2027 and upcoming["state"] == "preparation"
    total = upcoming["total"]
    assert (total["registered"], total["examined"], total["approved"], total["quota"]) == (9, 8, 6, 9)
    assert total["days_to_handover"] == 79


def test_a_call_up_in_preparation_is_never_a_red_zero(call_ups, commander):
    with translation.override("vi"):
        dash = dashboard(user=commander, year=2027, today=datetime.date(2027, 1, 10))
    cells = _agree(dash)
    assert cells == {"Lý Bôn": "preparation", "Vĩnh Quang": "preparation", "Yên Thổ": "no_data"}
    assert dash["attention"]["at_risk"] == []
    tile = next(t for t in dash["headline"] if t["key"] == "handover_rate")
    assert tile["status"] == "preparation"
    assert tile["value"] == 66.7  # 6 approved of a quota of 9
    assert tile["previous"] == 55.6  # last year's finished hand-over
    assert tile["change"] is None  # progress does not compare with a finished rate
    assert tile["detail"] == "đăng ký 9 · đã khám 8 · đã duyệt 6 / chỉ tiêu 9 · còn 41 ngày đến giao quân"
    assert dash["chart_data"]["handover"]["values"] == [100.0, 25.0, None]  # approved against quota
    assert dash["trend"][-1]["handover_rate"] is None


def test_two_weeks_before_the_hand_over_a_commune_short_of_its_quota_is_at_risk(call_ups, commander):
    for today, expected in (
        (datetime.date(2027, 2, 5), "preparation"),  # 15 days before
        (datetime.date(2027, 2, 6), "at_risk"),  # 14 days before
        (datetime.date(2027, 2, 19), "at_risk"),
    ):
        dash = dashboard(user=commander, year=2027, today=today)
        cells = _agree(dash)
        assert cells["Vĩnh Quang"] == expected, today
        assert cells["Lý Bôn"] == "preparation"  # its quota is approved


def test_after_the_hand_over_the_year_compares_finished_with_finished(call_ups, commander):
    handed, preparing = call_ups
    Candidate.objects.filter(campaign=preparing, stage="approved").update(
        stage="handed_over", handover_date=preparing.handover_date
    )
    dash = dashboard(user=commander, year=2027, today=datetime.date(2027, 3, 1))
    cells = _agree(dash)
    assert cells == {"Lý Bôn": "ok", "Vĩnh Quang": "at_risk", "Yên Thổ": "no_data"}
    tile = next(t for t in dash["headline"] if t["key"] == "handover_rate")
    assert (tile["value"], tile["previous"], tile["change"]) == (66.7, 55.6, 11.1)


def test_the_page_shows_what_the_state_function_says(client, call_ups, commander):
    """The rendered page: one red cell per commune listed in the panel, every commune named on the chart."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(commander)
    response = client.get("/", {"year": 2026})
    body = response.content.decode()
    dash = response.context["dash"]
    cells = _agree(dash)
    table = body.split('id="commune-table"')[1].split("<tfoot")[0]
    at_risk = [name for name, state in cells.items() if state == "at_risk"]
    assert at_risk == ["Lý Bôn"]
    # No other figure has a target here: every red cell of the table is a hand-over cell.
    assert table.count("target-cell target-at_risk") == len(at_risk)
    panel = body.split('id="attention-title"')[1].split("</li>")[0]
    assert re.search(r"Xã có nguy cơ không đạt chỉ tiêu giao quân: " + str(len(at_risk)), panel)
    for name in at_risk:
        assert name in panel
