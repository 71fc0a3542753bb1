"""The administrative units tree, the military line of command, and who holds which role where."""

import datetime

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
    # Unique among the units in force: a reorganisation hands an ended unit's code to its successor.
    code = models.CharField(_("official code"), max_length=20, help_text=_("Statistics-office code of the unit."))
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
        permissions = [("restructure_unit", _("Can reorganise units (merge, split, rename, move)"))]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(valid_to__isnull=True),
                name="unit_code_unique_in_force",
                violation_error_message=_("A unit in force already has this official code."),
            )
        ]

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

    def exists_on(self, day):
        """Whether the unit was in force on `day` (no dates: always)."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)


class FormerParent(models.Model):
    """Where a unit stood in the tree before a reorganisation moved it (reorg.services: a unit moved under
    another, the hamlets of a merged or split commune): under `parent` until `until`, its last day there.
    The tree (Unit.parent, Unit.path) says where it stands now; roll-ups, figures and completeness of a period
    that ended before the move count it where it stood then (units.selectors.placed_within_q)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="former_parents", verbose_name=_("unit"))
    parent = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit above then"))
    until = models.DateField(_("until"), help_text=_("The last day the unit stood under it."))

    class Meta:
        ordering = ["unit", "until"]
        verbose_name = _("former place in the tree")
        verbose_name_plural = _("former places in the tree")
        indexes = [models.Index(fields=["until"], name="former_parent_until")]

    def __str__(self):
        return f"{self.unit} → {self.parent} ({self.until:%d/%m/%Y})"


class CommandLinkQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(valid_from__lte=day).filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))

    def overlapping(self, start, end):
        return self.filter(valid_from__lte=end).filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=start))


class CommandLink(models.Model):
    """The military line of command where it leaves the administrative tree (tuyến chỉ huy quân sự): from
    1 July 2025 a commune's military command answers to an area defence command (Ban CHPTKV) that is not
    its administrative parent. Dated: the link in force on a day decides who sees and rolls up the unit."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="command_links", verbose_name=_("subordinate unit")
    )
    commander = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="commanded_links", verbose_name=_("commanding unit")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CommandLinkQuerySet.as_manager()

    class Meta:
        ordering = ["commander__path", "unit__path", "valid_from"]
        verbose_name = _("line of command")
        verbose_name_plural = _("lines of command")

    def __str__(self):
        return f"{self.unit} → {self.commander}"

    def clean(self):
        errors = date_errors(self, planned=["valid_from", "valid_to"])
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors.setdefault("valid_to", []).append(_("The end date must not be before the start date."))
        if self.unit_id and self.unit_id == self.commander_id:
            errors.setdefault("commander", []).append(_("A unit cannot command itself."))
        if errors:
            raise ValidationError(errors)
        if self.unit_id and self.valid_from:
            others = CommandLink.objects.filter(unit_id=self.unit_id).exclude(pk=self.pk)
            if others.overlapping(self.valid_from, self.valid_to or datetime.date.max).exists():
                raise ValidationError(
                    {"valid_from": _("The unit already answers to another command during these dates.")}
                )


class Restructuring(models.Model):
    """One reorganisation of units (merger, split, renaming, move) with its legal basis: who applied it,
    which units took part and what moved. Written by reorg.services only."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Merger")  # sáp nhập
        SPLIT = "split", _("Split")  # chia tách
        RENAME = "rename", _("Renaming")  # đổi tên
        MOVE = "move", _("Move under another unit")  # điều chỉnh trực thuộc

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    effective_on = models.DateField(_("effective from"))
    basis = models.CharField(
        _("legal basis"), max_length=255, help_text=_("Number of the resolution or decision, e.g. 1667/NQ-UBTVQH15.")
    )
    basis_date = models.DateField(_("date of the legal basis"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("applied by")
    )
    at = models.DateTimeField(_("applied at"), auto_now_add=True)
    units = models.ManyToManyField(Unit, related_name="restructurings", verbose_name=_("units"))
    summary = models.JSONField(_("what moved"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path_field = "units__path"

    class Meta:
        ordering = ["-effective_on", "-at", "-pk"]
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")

    def __str__(self):
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y} ({self.basis})"


class Assignment(models.Model):
    """A user's role at a unit (phân công): the role gives the permissions, the unit the scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("user")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    ends_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("The last day of the role, when its unit ended: after it the user still reads its records."),
    )
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
        RESTRUCTURE = "restructure", _("Reorganisation of units")

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


class DocumentCounter(models.Model):
    """The last number a unit's issuing body gave to documents of one type in one year (Decree 30/2020,
    art. 15: numbered per body and type from 01/01 to 31/12). The row is the lock numbers are allocated
    under (`units.services.documents_issue`), so they have neither gaps nor repeats."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    type_code = models.CharField(_("document type"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(fields=["unit", "type_code", "year"], name="one_document_counter_per_type_year")
        ]

    def __str__(self):
        return f"{self.unit_id} · {self.type_code} · {self.year}: {self.last}"


class IssuedDocumentQuerySet(ScopedQuerySet):
    pass


class IssuedDocument(models.Model):
    """One numbered document a unit issued (sổ đăng ký văn bản đi): its number, type, year and what it is
    about (`subject`, e.g. the call-up order of one candidate), so that printing it again shows the same
    number."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing unit"))
    type_code = models.CharField(_("document type"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    subject = models.CharField(_("subject"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=255)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("issued by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = IssuedDocumentQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["unit", "year", "type_code", "number"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(fields=["unit", "type_code", "year", "number"], name="one_number_per_document")
        ]

    def __str__(self):
        return f"{self.number:02d}/{self.type_code} ({self.year}) {self.title}"


class BackgroundJob(models.Model):
    """Work a user started that runs in the background (a batch of documents, a long export): what it is,
    how far it got, and the file it made or why it failed (units.jobs). The file is kept in the database
    until `expires_at`: web nodes keep no local files."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="background_jobs", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=255)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    error = models.TextField(_("error"), blank=True)
    content = models.BinaryField(_("file"), null=True, blank=True)
    content_type = models.CharField(_("file type"), max_length=120, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_pending(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0


class DisadvantagedPeriodQuerySet(ScopedQuerySet):
    def on(self, day):
        """The periods in force on `day`: started on or before it, not ended before it."""
        return self.filter(start__lte=day).filter(models.Q(end__isnull=True) | models.Q(end__gte=day))


class DisadvantagedPeriod(models.Model):
    """The days a commune is an especially disadvantaged commune (xã đặc biệt khó khăn, e.g. "khu vực III" of
    the list the Prime Minister approves for ethnic-minority and mountain areas), with the decision that says so.
    A rule that depends on it (the primary-education share of the call-up, Thông tư 148/2018 Điều 4 khoản 4
    điểm b) asks whether the commune was on the list on the day the rule is evaluated."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="disadvantaged_periods", verbose_name=_("commune")
    )
    start = models.DateField(_("listed from"))
    end = models.DateField(
        _("listed until"), null=True, blank=True, help_text=_("Empty while the commune is on the list.")
    )
    legal_ground = models.CharField(
        _("legal ground"),
        max_length=255,
        help_text=_("The decision that lists the commune, e.g. Quyết định 861/QĐ-TTg ngày 04/6/2021."),
    )
    history = HistoricalRecords()

    objects = DisadvantagedPeriodQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["unit__path", "start"]
        verbose_name = _("especially disadvantaged period")
        verbose_name_plural = _("especially disadvantaged communes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="disadvantaged_period_dates_in_order",
            )
        ]

    def __str__(self):
        end = self.end.strftime("%d/%m/%Y") if self.end else "…"
        return f"{self.unit}: {self.start:%d/%m/%Y} – {end}"

    def clean(self):
        errors = date_errors(self, planned=["start", "end"], order=[("start", "end")])
        if self.unit_id and not self.unit.kind.is_commune_level:
            errors.setdefault("unit", []).append(_("Only a commune or town is listed as especially disadvantaged."))
        if errors:
            raise ValidationError(errors)
        if self.unit_id and self.start:
            others = DisadvantagedPeriod.objects.filter(unit_id=self.unit_id).exclude(pk=self.pk)
            others = others.filter(models.Q(end__isnull=True) | models.Q(end__gte=self.start))
            if self.end:
                others = others.filter(start__lte=self.end)
            clash = others.order_by("start").first()
            if clash is not None:
                raise ValidationError(
                    _("%(unit)s is already listed on some of these days (%(other)s).")
                    % {"unit": self.unit.name, "other": clash}
                )


class Office(models.TextChoices):
    """The offices whose holders sign a unit's documents (Decree 30/2020, Appendix I, I.7)."""

    COMMITTEE_CHAIR = "committee_chair", _("Chair of the People's Committee")  # Chủ tịch UBND
    COMMANDER = "commander", _("Commander of the military command")  # Chỉ huy trưởng Ban CHQS

    @property
    def signing_title(self):
        """The title printed under the signature (in Vietnamese, whatever the reader's language)."""
        return {"committee_chair": "CHỦ TỊCH", "commander": "CHỈ HUY TRƯỞNG"}[self.value]


class OfficeholderQuerySet(ScopedQuerySet):
    def on(self, day):
        """The holders in office on `day`: from on or before it, not ended before it."""
        return self.filter(start__lte=day).filter(models.Q(end__isnull=True) | models.Q(end__gte=day))


class Officeholder(models.Model):
    """Who held an office of a unit, from one day until another: the chair of its People's Committee, who signs
    the calls for examination and the call-up orders, or the commander of its military command, who signs the
    command's lists, certificates, records and registers. A document is signed by the holder on its date, so a
    paper made again for an earlier day shows the name of whoever held the office then."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="officeholders", verbose_name=_("unit"))
    office = models.CharField(_("office"), max_length=20, choices=Office.choices)
    full_name = models.CharField(_("full name"), max_length=120)
    title = models.CharField(
        _("title as signed"),
        max_length=120,
        blank=True,
        help_text=_(
            "Empty for the office's own title (CHỦ TỊCH, CHỈ HUY TRƯỞNG); a deputy who signs for the head gives "
            "their own title, e.g. PHÓ CHỦ TỊCH, and signs «KT.»."
        ),
    )
    start = models.DateField(_("in office from"))
    end = models.DateField(_("in office until"), null=True, blank=True, help_text=_("Empty while in office."))
    history = HistoricalRecords()

    objects = OfficeholderQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["unit__path", "office", "-start"]
        verbose_name = _("signer")
        verbose_name_plural = _("signers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="officeholder_dates_in_order",
            )
        ]

    def __str__(self):
        end = self.end.strftime("%d/%m/%Y") if self.end else "…"
        return f"{self.full_name} · {self.get_office_display()} {self.unit}: {self.start:%d/%m/%Y} – {end}"

    @property
    def signer_title(self):
        """The title under the signature: the office's own, or a deputy's title under «KT. <the office's>»
        (Decree 30/2020, Appendix I, I.7: a deputy signs in place of the head)."""
        own = Office(self.office).signing_title
        title = " ".join(self.title.split()).upper()
        if not title or title == own:
            return own
        return f"KT. {own}\n{title}"

    def clean(self):
        errors = date_errors(self, planned=["start", "end"], order=[("start", "end")])
        if errors:
            raise ValidationError(errors)
        if self.unit_id and self.office and self.start:
            validate_one_holder(
                unit=self.unit,
                office=self.office,
                start=self.start,
                end=self.end,
                others=Officeholder.objects.filter(unit_id=self.unit_id, office=self.office).exclude(pk=self.pk),
            )


def validate_one_holder(*, unit, office, start, end, others):
    """One holder of an office of a unit on any day (a People's Committee has one chair, a military command
    one commander; a deputy signing for them is recorded by the documents, not here): the days from `start`
    to `end` (open when None) must not meet another holder's days."""
    clash = others.filter(models.Q(end__isnull=True) | models.Q(end__gte=start))
    if end:
        clash = clash.filter(start__lte=end)
    clash = clash.order_by("start").first()
    if clash is not None:
        raise ValidationError(
            _("%(holder)s holds this office of %(unit)s on some of these days; end their term first.")
            % {"holder": clash.full_name, "unit": unit.name},
            code="overlap",
        )
