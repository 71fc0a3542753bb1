from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities of the year")

    def ready(self):
        from . import figures  # noqa: F401  (registers the automatic figures of the reports)
