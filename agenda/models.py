"""The calendar of the year (dated events per unit), the feed tokens of the phones, and the reminders each
person receives (the bell and the e-mails)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.dates import date_errors
from units.scoping import ScopedQuerySet


class EventKind(models.TextChoices):
    REGISTRATION = "registration", _("First military-service registration")  # đăng ký NVQS lần đầu
    MILITIA_REGISTRATION = "militia_registration", _("Militia duty registration")  # đăng ký NV DQTV
    EXAMINATIONS = "examinations", _("Health examinations for the call-up")  # khám sức khỏe NVQS
    LIST_POSTING = "list_posting", _("Posting of lists")  # niêm yết công khai
    HANDOVER = "handover", _("Hand-over day")  # giao nhận quân
    REPORT_DEADLINE = "report_deadline", _("Report deadline")  # hạn nộp báo cáo
    TERMS_ENDING = "terms_ending", _("Militia terms ending")  # hết thời hạn tham gia DQTV
    DEFERMENTS_ENDING = "deferments_ending", _("Deferments ending")  # hết thời hạn tạm hoãn
    AGE_LIMITS = "age_limits", _("Reservists reaching their age limit")  # hết độ tuổi DBĐV
    TARGETS_DUE = "targets_due", _("Targets due")  # hạn hoàn thành chỉ tiêu
    OTHER = "other", _("Other")


class Event(models.Model):
    """A dated event of a unit's year; the law's yearly dates are seeded (agenda.services.calendar_seed) and
    stay editable."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="events", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    law_ref = models.CharField(_("legal basis"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Set on the events seeded from the law ("registration:2026"): seeding again finds them and leaves them.
    seed_key = models.CharField(max_length=60, blank=True, editable=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "seed_key"], condition=~models.Q(seed_key=""), name="one_seeded_event_per_unit"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_on:%d/%m/%Y})"

    def clean(self):
        errors = date_errors(self, planned=["starts_on", "ends_on"], order=[("starts_on", "ends_on")])
        if errors:
            raise ValidationError(errors)


def _new_token():
    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """The secret in the address of a user's calendar feed (iCalendar); revoking it makes a new one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token", verbose_name=_("user")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self):
        return str(self.user)


class EmailMode(models.TextChoices):
    OFF = "off", _("No e-mail")
    DAILY = "daily", _("A daily digest")
    IMMEDIATE = "immediate", _("Each reminder at once")


class ReminderPreference(models.Model):
    """How a user wants their reminders by e-mail (they always see them under the bell)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference", verbose_name=_("user")
    )
    email_mode = models.CharField(_("e-mail"), max_length=10, choices=EmailMode.choices, default=EmailMode.OFF)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self):
        return f"{self.user}: {self.get_email_mode_display()}"


class Notification(models.Model):
    """One reminder to one person about one occasion (`key`): made once, whatever the number of runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    key = models.CharField(_("occasion"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=255)
    url = models.CharField(_("link"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_occasion")]
        indexes = [models.Index(fields=["user", "read_at"], name="agenda_notification_unread")]

    def __str__(self):
        return self.title
