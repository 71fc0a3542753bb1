from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "baolam_portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import middleware  # noqa: F401  (connects the sign-in signal)
