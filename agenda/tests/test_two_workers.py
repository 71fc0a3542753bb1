"""Two workers running the day's reminders at the same moment make each reminder, and send each e-mail,
once (PostgreSQL: the unique key and the row locks decide)."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, connections

from agenda import services
from agenda.models import Notification
from reports import services as report_services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL")
def test_two_runs_at_once_make_each_reminder_once(tree, officer, outsider):
    due = datetime.date(2025, 12, 15)
    period = report_services.period_create(kind="year", year=2025, due_date=due)
    report_services.period_open(period=period)
    for user in (officer, outsider):
        user.email = f"{user.username}@example.invalid"
        user.save()
        services.preference_set(user=user, email_mode="immediate")
    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            start.wait()
            services.reminders_run(on=due - datetime.timedelta(days=7))
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Notification.objects.filter(user=officer).count() == 1
    assert Notification.objects.filter(user=outsider).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["lybon@example.invalid", "vinhquang@example.invalid"]
