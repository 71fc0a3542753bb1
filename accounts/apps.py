"""The user's own account: two-factor sign-in, password change, ending sessions, and the admin's changes page."""

from axes.apps import AppConfig as AxesAppConfig
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


# Third-party apps under names our users read: Django titles an app without a verbose name from its
# label ("Axes", "Otp_Static") and these apps name some models in English only.


class AxesConfig(AxesAppConfig):
    """django-axes: the lock-out records of failed sign-ins."""

    verbose_name = _("Sign-in lock-outs")


class TOTPConfig(AppConfig):
    name = "django_otp.plugins.otp_totp"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Authenticator apps")

    def ready(self):
        # Only the displayed names: `original_attrs`, which migrations read, stays as the app wrote it.
        meta = self.get_model("TOTPDevice")._meta
        meta.verbose_name = _("authenticator app (TOTP)")
        meta.verbose_name_plural = _("authenticator apps (TOTP)")


class StaticOTPConfig(AppConfig):
    name = "django_otp.plugins.otp_static"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Recovery codes")

    def ready(self):
        meta = self.get_model("StaticDevice")._meta
        meta.verbose_name = _("recovery code set")
        meta.verbose_name_plural = _("recovery code sets")
        meta = self.get_model("StaticToken")._meta
        meta.verbose_name = _("recovery code")
        meta.verbose_name_plural = _("recovery codes")
