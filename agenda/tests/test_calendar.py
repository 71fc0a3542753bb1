"""The calendar page and the phone feed: the law's dates, deadlines and hand-overs of the user's units."""

import datetime

import icalendar
from django.urls import reverse

from agenda import services
from agenda.models import FeedToken
from reports import services as report_services
from tests.factories import CampaignFactory


def test_the_month_shows_the_law_and_the_deadlines(client, tree, officer):
    services.calendar_seed(year=2025)
    period = report_services.period_create(kind="year", year=2025, due_date=datetime.date(2025, 12, 15))
    report_services.period_open(period=period)
    client.force_login(officer)
    page = client.get(reverse("agenda:calendar"), {"month": "2025-12", "view": "list"}).content.decode()
    assert "Khám sức khỏe nghĩa vụ quân sự" in page
    assert "15/12/2025" in page
    april = client.get(reverse("agenda:calendar"), {"month": "2025-04"}).content.decode()
    assert "01/04/2025" not in april  # the month view shows days, not dates
    assert "Đăng ký nghĩa vụ quân sự lần đầu (tháng 4)" in april


def test_the_feed_parses_and_shows_the_handover_and_a_revoked_token_fails(client, tree, commander):
    today = datetime.date.today()
    handover = today + datetime.timedelta(days=40)
    CampaignFactory(district=tree["district"], year=handover.year, handover_date=handover)
    token = services.feed_token(user=commander).token
    response = client.get(reverse("agenda:feed", args=[token]))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    events = [e for e in calendar.walk("VEVENT")]
    starts = {e.decoded("dtstart") for e in events}
    assert handover in starts
    services.feed_token_revoke(user=commander)
    assert client.get(reverse("agenda:feed", args=[token])).status_code == 404
    assert client.get(reverse("agenda:feed", args=[FeedToken.objects.get(user=commander).token])).status_code == 200


def test_seeding_twice_keeps_one_event_each(tree):
    first = services.calendar_seed(year=2026)
    assert first == 3  # one district: registration, militia registration, examinations
    assert services.calendar_seed(year=2026) == 0


def test_a_reservist_reaching_the_age_limit_shows_in_that_month(client, tree, officer):
    from tests.factories import PersonFactory, ReservistFactory

    # A reserve soldier (man) serves to the end of 45: born 10/03/1981, he is 46 on 10/03/2027.
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(1981, 3, 10))
    ReservistFactory(person=person, unit=tree["vinh_quang"], category="hsq_bs")
    client.force_login(officer)
    march = client.get(reverse("agenda:calendar"), {"month": "2027-03", "view": "list"}).content.decode()
    assert "1 quân nhân dự bị hết độ tuổi trong tháng 03/2027" in march
    february = client.get(reverse("agenda:calendar"), {"month": "2027-02", "view": "list"}).content.decode()
    assert "hết độ tuổi" not in february
