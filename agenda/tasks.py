"""The background work of the reminders, on Django's task framework (`django.tasks`): the daily run is
enqueued by `manage.py remind` (a timer in production) and done by the worker."""

from django.tasks import task

from . import services


@task()
def reminders_for_report(report_id):
    """The reminders of a report just submitted or returned (agenda.services.reminders_for_report)."""
    return services.reminders_for_report(report_id=report_id)


@task()
def reminders_daily(on=None):
    """Make the day's reminders and send their e-mails (agenda.services.reminders_run)."""
    import datetime

    day = datetime.date.fromisoformat(on) if on else None
    return services.reminders_run(on=day)
