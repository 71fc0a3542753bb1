"""The user's own account: two-factor sign-in, password change, ending sessions, and the admin's changes page."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import signals  # noqa: F401


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    """Django's admin on our site class: it refuses an unverified user when REQUIRE_2FA is on."""

    default_site = "accounts.admin_site.PortalAdminSite"
