from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from units.freshness import keep

        from .summary import mark

        # The figures are made of the registry, the rosters, the call-ups and the training records.
        keep(mark, reads={"people", "militia", "recruitment", "activities"})
