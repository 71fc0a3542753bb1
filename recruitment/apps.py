from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = _("Military-service recruitment")

    def ready(self):
        from people.panels import register

        from . import selectors  # noqa: F401  (registers the automatic figures of the reports)
        from .panels import candidacy_panel

        register(candidacy_panel)
