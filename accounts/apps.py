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
        name_fields(meta)


class StaticOTPConfig(AppConfig):
    name = "django_otp.plugins.otp_static"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Recovery codes")

    def ready(self):
        meta = self.get_model("StaticDevice")._meta
        meta.verbose_name = _("recovery code set")
        meta.verbose_name_plural = _("recovery code sets")
        name_fields(meta)
        meta = self.get_model("StaticToken")._meta
        meta.verbose_name = _("recovery code")
        meta.verbose_name_plural = _("recovery codes")
        name_fields(meta)


# The sign-in devices' fields, which django-otp labels in English only: (label, help text).
_DEVICE_FIELDS = {
    "user": (_("user"), _("The user that this device belongs to.")),
    "name": (_("name"), _("The human-readable name of this device.")),
    "confirmed": (_("confirmed"), _("Is this device ready for use?")),
    "throttling_failure_timestamp": (
        _("last failed attempt"),
        _("A timestamp of the last failed verification attempt. Null if last attempt succeeded."),
    ),
    "throttling_failure_count": (_("failed attempts in a row"), _("Number of successive failed attempts.")),
    "created_at": (_("created at"), _("The date and time when this device was initially created in the system.")),
    "last_used_at": (_("last used at"), _("The most recent date and time this device was used.")),
    "key": (_("secret key"), _("A hex-encoded secret key of up to 40 bytes.")),
    "step": (_("time step"), _("The time step in seconds.")),
    "t0": (_("start time"), _("The Unix time at which to begin counting steps.")),
    "digits": (_("digits"), _("The number of digits to expect in a token.")),
    "tolerance": (_("tolerance"), _("The number of time steps in the past or future to allow.")),
    "drift": (_("clock drift"), _("The number of time steps the prover is known to deviate from our clock.")),
    "last_t": (
        _("last time step used"),
        _("The t value of the latest verified token. The next token must be at a higher time step."),
    ),
    "device": (_("device"), None),
    "token": (_("code"), None),
}


def name_fields(meta):
    """Label a device model's fields through our catalog. Only the displayed `verbose_name` changes
    (migrations read `_verbose_name`); the help texts are django-otp's own, marked for translation."""
    for field in meta.get_fields():
        label, help_text = _DEVICE_FIELDS.get(field.name, (None, None))
        if label is not None and getattr(field, "concrete", False):
            field.verbose_name = label
            if help_text is not None:
                field.help_text = help_text
