"""The administrative units tree and who holds which role where."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .dates import date_errors
from .roles import Role
from .scoping import ScopedQuerySet

PATH_STEP = 7  # six digits and a dot per level


class UnitKind(models.Model):
    """A level of the tree (province, district, commune, town, hamlet); a level is data, not code."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    is_commune_level = models.BooleanField(
        _("commune level"), default=False, help_text=_("Communes and towns: the level a commune officer works at.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Smaller is higher in the tree."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("unit kind")
        verbose_name_plural = _("unit kinds")

    def __str__(self):
        return self.name


class UnitQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(valid_to__isnull=True)

    def communes(self):
        return self.filter(kind__is_commune_level=True)


class Unit(models.Model):
    name = models.CharField(_("name"), max_length=120)
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, related_name="units", verbose_name=_("kind"))
    code = models.CharField(
        _("official code"), max_length=20, unique=True, help_text=_("Statistics-office code of the unit.")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
        help_text=_("The unit that took over after a merger."),
    )
    # Materialised path: the ancestors' ids and its own, e.g. "000001.000002.000015."
    path = models.CharField(_("tree path"), max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()
    scope_path_field = "path"

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The path is derived data: keep it (and the subtree's) in step with the parent.
        old_path = self.path
        super().save(*args, **kwargs)
        parent_path = Unit.objects.values_list("path", flat=True).get(pk=self.parent_id) if self.parent_id else ""
        new_path = f"{parent_path}{self.pk:06d}."
        if new_path == old_path:
            return
        self.path, self.depth = new_path, len(new_path) // PATH_STEP - 1
        Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
        if old_path:
            descendants = list(Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk))
            for child in descendants:
                child.path = new_path + child.path[len(old_path) :]
                child.depth = len(child.path) // PATH_STEP - 1
            Unit.objects.bulk_update(descendants, ["path", "depth"])

    def clean(self):
        errors = date_errors(self, planned=["valid_from", "valid_to"])
        if errors:
            raise ValidationError(errors)
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date must not be before the start date.")})
        if self.parent_id and self.pk:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("A unit cannot be placed under itself or its descendants.")})
                ancestor = ancestor.parent
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A unit cannot be its own successor.")})

    @property
    def is_commune_level(self):
        return self.kind.is_commune_level

    @property
    def display_name(self):
        """The unit as Vietnamese names it: its kind, then its name ("Xã Vĩnh Quang", "Huyện Bảo Lâm"). A kind
        whose name lists several words ("Xóm/Bản/Tổ dân phố") is left out: the name alone says it."""
        kind = self.kind.name
        return self.name if not kind or "/" in kind else f"{kind} {self.name}"

    def ancestors(self):
        ids = [int(part) for part in self.path.split(".") if part][:-1]
        return Unit.objects.filter(pk__in=ids).order_by("path")


class Assignment(models.Model):
    """A user's role at a unit (phân công): the role gives the permissions, the unit the scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("user")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username", "unit__path"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_assignment")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.unit}"

    def clean(self):
        if self.role == Role.COMMUNE_OFFICER and self.unit_id and not self.unit.kind.is_commune_level:
            raise ValidationError({"unit": _("A commune officer must be assigned to a commune or town.")})


class AuditEvent(models.Model):
    """One security-relevant event (nhật ký an ninh). Written by units.audit.audit_record, never edited."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        LOCKED_OUT = "locked_out", _("Locked out")
        SIGN_OUT = "sign_out", _("Signed out")
        DENIED = "denied", _("Access denied")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("user")
    )
    username = models.CharField(_("user name"), max_length=150, blank=True, db_index=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    target = models.CharField(pgettext_lazy("audit event", "target"), max_length=255, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()} {self.username}"


class Generation(models.Model):
    """The generation of one place (units.freshness): `*` shared, `tree`, `u<id>` a unit's subtree, `a<id>`
    a unit's own records, `user<id>` a user's roles. Moved to a new random value after a committed write
    changed the place; summaries cached under an older value are stale."""

    key = models.CharField(_("generation key"), max_length=40, primary_key=True)
    value = models.BigIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("generation")
        verbose_name_plural = _("generations")

    def __str__(self):
        return f"{self.key}: {self.value}"
