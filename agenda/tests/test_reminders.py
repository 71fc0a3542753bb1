"""Reminders fall due on their day (and not the day before), are made once however often the run goes,
reach only the people whose units they concern, and are e-mailed once to those who asked."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from agenda import services
from agenda.models import Notification
from militia.models import MilitiaMember
from reports import services as report_services
from reports.models import Report
from tests.factories import MilitiaMemberFactory, PersonFactory

DUE = datetime.date(2025, 12, 15)


@pytest.fixture
def period(tree):
    period = report_services.period_create(kind="year", year=2025, due_date=DUE)
    report_services.period_open(period=period)
    return period


def keys(user):
    return sorted(Notification.objects.filter(user=user).values_list("key", flat=True))


def test_a_report_due_in_a_week_is_reminded_from_its_seventh_day(tree, period, officer, outsider, viewer):
    report = Report.objects.get(period=period, unit=tree["vinh_quang"])
    services.reminders_run(on=DUE - datetime.timedelta(days=8))
    assert keys(officer) == []
    services.reminders_run(on=DUE - datetime.timedelta(days=7))
    assert keys(officer) == [f"report-due7:{report.pk}"]
    # Lý Bôn's officer hears of Lý Bôn's report only; the viewer files nothing.
    assert keys(outsider) == [f"report-due7:{Report.objects.get(period=period, unit=tree['ly_bon']).pk}"]
    assert keys(viewer) == []
    services.reminders_run(on=DUE - datetime.timedelta(days=2))
    assert keys(officer) == [f"report-due7:{report.pk}"]
    services.reminders_run(on=DUE - datetime.timedelta(days=1))
    services.reminders_run(on=DUE + datetime.timedelta(days=1))
    assert keys(officer) == [f"report-due1:{report.pk}", f"report-due7:{report.pk}", f"report-overdue:{report.pk}"]


def test_running_twice_makes_each_reminder_once(tree, period, officer):
    day = DUE - datetime.timedelta(days=7)
    first = services.reminders_run(on=day)
    second = services.reminders_run(on=day)
    assert first["notifications"] >= 1 and second["notifications"] == 0
    assert Notification.objects.filter(user=officer).count() == 1


def test_a_submitted_report_waits_for_the_commanders_review_and_a_returned_one_goes_back(
    tree, period, officer, commander
):
    from reports.tests.conftest import fill_report

    report = fill_report(Report.objects.get(period=period, unit=tree["vinh_quang"]), officer)
    report_services.report_submit(user=officer, report=report)
    services.reminders_run(on=datetime.date(2025, 12, 1))
    assert [k.split(":")[0] for k in keys(commander)] == ["report-review"]
    report_services.report_return(user=commander, report=Report.objects.get(pk=report.pk), comment="Bổ sung số liệu")
    services.reminders_run(on=datetime.date(2025, 12, 2))
    returned = Notification.objects.get(user=officer, key__startswith="report-returned:")
    assert "Bổ sung số liệu" in returned.title


def test_a_militia_term_is_reminded_90_days_before_it_ends(tree, officer, outsider):
    member = MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]))
    ends = datetime.date(2026, 3, 31)
    MilitiaMember.objects.filter(pk=member.pk).update(term_ends_on=ends)
    services.reminders_run(on=ends - datetime.timedelta(days=91))
    assert not Notification.objects.filter(kind="term_ending").exists()
    services.reminders_run(on=ends - datetime.timedelta(days=90))
    assert keys(officer) == [f"term:{member.pk}:20260331"]
    assert keys(outsider) == []


def test_the_email_goes_once_to_those_who_asked(tree, period, officer, outsider):
    officer.email = "vinhquang@example.invalid"
    officer.save()
    services.preference_set(user=officer, email_mode="immediate")
    day = DUE - datetime.timedelta(days=7)
    services.reminders_run(on=day)
    services.reminders_run(on=day)
    assert [m.to for m in mail.outbox] == [["vinhquang@example.invalid"]]
    assert "Vĩnh Quang" in mail.outbox[0].subject


def test_the_bell_counts_and_a_notification_leads_to_its_record(
    client, tree, period, officer, django_assert_num_queries
):
    services.reminders_run(on=DUE - datetime.timedelta(days=7))
    client.force_login(officer)
    page = client.get(reverse("agenda:calendar")).content.decode()
    assert 'id="bell-count">1<' in page
    notification = Notification.objects.get(user=officer)
    response = client.get(reverse("agenda:notification_open", args=[notification.pk]))
    assert response.url == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'id="bell-count"' not in client.get(reverse("agenda:notifications")).content.decode()


def test_the_bell_costs_one_query_then_none_until_the_notifications_change(client, tree, period, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.reminders_run(on=DUE - datetime.timedelta(days=7))
    client.force_login(officer)

    def bell_queries():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("activities:index"))
        return sum('"agenda_notification"' in q["sql"] for q in queries)

    assert bell_queries() == 1
    assert bell_queries() == 0
    services.notifications_mark_read(user=officer)
    assert bell_queries() == 1


def test_a_submission_and_a_return_are_announced_at_once(
    tree, period, officer, commander, django_capture_on_commit_callbacks
):
    from reports.tests.conftest import fill_report

    officer.email, commander.email = "vinhquang@example.invalid", "chihuy@example.invalid"
    officer.save()
    commander.save()
    services.preference_set(user=officer, email_mode="immediate")
    services.preference_set(user=commander, email_mode="daily")
    report = fill_report(Report.objects.get(period=period, unit=tree["vinh_quang"]), officer)

    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_submit(user=officer, report=report)
    # The commander above hears of it now, not at the next daily run; the daily digest keeps its day.
    assert [k.split(":")[0] for k in keys(commander)] == ["report-review"]
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_return(
            user=commander, report=Report.objects.get(pk=report.pk), comment="Bổ sung số liệu"
        )
    returned = Notification.objects.get(user=officer, key__startswith="report-returned:")
    assert "Bổ sung số liệu" in returned.title
    assert [m.to for m in mail.outbox] == [["vinhquang@example.invalid"]]
    assert "Bổ sung số liệu" in mail.outbox[0].subject

    # The daily run finds both made already and makes neither again.
    services.reminders_run(on=datetime.date.today())
    assert Notification.objects.filter(key__startswith="report-").count() == 2


def test_a_step_rolled_back_announces_nothing(tree, period, officer, commander, django_capture_on_commit_callbacks):
    from django.db import transaction

    from reports.tests.conftest import fill_report

    report = fill_report(Report.objects.get(period=period, unit=tree["vinh_quang"]), officer)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        report_services.report_submit(user=officer, report=report)
        raise RuntimeError("the request failed after the step")
    assert keys(commander) == []
