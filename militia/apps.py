from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MilitiaConfig(AppConfig):
    name = "militia"
    verbose_name = _("Militia and reserve forces")

    def ready(self):
        from people.panels import register

        from . import selectors  # noqa: F401  (registers the automatic figures of the reports)
        from .panels import roster_panel

        register(roster_panel)
