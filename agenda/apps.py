from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The steps after which someone is waiting: a submitted report for its reviewers, a returned one for its filer.
REMINDED_STEPS = {"submit", "return"}


def _report_stepped(sender, *, report_id, action, **kwargs):
    if action in REMINDED_STEPS:
        from .tasks import reminders_for_report

        reminders_for_report.enqueue(report_id)


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Calendar and reminders")

    def ready(self):
        from reports.signals import report_stepped

        report_stepped.connect(_report_stepped, dispatch_uid="agenda.report_stepped")
