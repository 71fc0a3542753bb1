"""Models of the reports app: report definitions, periods, reports with their values, workflow and numbers;
and the targets the commander dashboard colours its figures against."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.dates import date_errors
from units.scoping import ScopedQuerySet, get_scope
from units.selectors import placed_within_q

from .choices import PeriodKind, ReportStatus


class TargetIndicator(models.TextChoices):
    """The dashboard figures an admin may set a target for; every one is a percentage."""

    HANDOVER_RATE = "handover_rate", _("Recruitment hand-over rate against quota (%)")
    MILITIA_RATIO = "militia_ratio", _("Militia strength as a share of the population (%)")
    MILITIA_PARTY_SHARE = "militia_party_share", _("Party members in the militia (%)")
    MILITIA_TRAINED_SHARE = "militia_trained_share", _("Militia trained this year (%)")
    RESERVE_PLACED_SHARE = "reserve_placed_share", _("Reservists placed in a reserve unit (%)")
    RESERVE_MATCH_RATE = "reserve_match_rate", _("Placed reservists in a matching specialty (%)")


class TargetQuerySet(ScopedQuerySet):
    pass


class Target(models.Model):
    """A unit's target for one figure in one year (chỉ tiêu); a district's target applies to its communes
    unless a commune has its own."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="targets", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    indicator = models.CharField(_("indicator"), max_length=40, choices=TargetIndicator.choices)
    value = models.DecimalField(_("target value"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    history = HistoricalRecords()

    objects = TargetQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-year", "unit__path", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "indicator"], name="reports_target_unique_per_year")
        ]

    def __str__(self):
        return f"{self.unit} · {self.year} · {self.get_indicator_display()}: {self.value}"


# --- Report definitions (data an admin edits) ------------------------------------------------------


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum of the units below")
    WEIGHTED_AVERAGE = "weighted_avg", _("Average weighted by population")
    NONE = "none", _("Not aggregated")


class Indicator(models.Model):
    """A figure a report asks for (chỉ tiêu báo cáo), possibly filled from an automatic source."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("Vietnamese label"), max_length=255)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=30, blank=True)
    aggregation = models.CharField(
        _("aggregation up the tree"), max_length=20, choices=Aggregation.choices, default=Aggregation.SUM
    )
    min_value = models.DecimalField(_("lowest expected value"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("highest expected value"), max_digits=14, decimal_places=2, null=True, blank=True)
    decimals = models.PositiveSmallIntegerField(
        _("decimal places"), default=0, validators=[MaxValueValidator(2)], help_text=_("0 for counts, 1 for rates.")
    )
    source = models.CharField(
        _("automatic source"),
        max_length=60,
        blank=True,
        help_text=_("A figure the rosters or recruitment compute; leave empty for a figure typed by hand."),
    )
    help_text = models.CharField(_("guidance"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.label} ({self.unit_of_measure})" if self.unit_of_measure else self.label

    def clean(self):
        from units.figures import get_figure

        if self.source and get_figure(self.source) is None:
            raise ValidationError({"source": _("No automatic figure has this code.")})
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValidationError({"max_value": _("The highest value must not be below the lowest.")})


class ReportTemplate(models.Model):
    """The ordered sections and indicators of one kind of report, for a period kind and a unit level."""

    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(
        _("document title"),
        max_length=255,
        help_text=_("Printed in capitals under the number line; {period} is replaced by the period."),
    )
    period_kind = models.CharField(_("period kind"), max_length=10, choices=PeriodKind.choices)
    unit_kinds = models.ManyToManyField(
        "units.UnitKind",
        related_name="report_templates",
        verbose_name=_("unit levels"),
        help_text=_("The levels that file this report, e.g. commune and town."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period_kind", "name"]
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self):
        return self.name


class TemplateSection(models.Model):
    template = models.ForeignKey(
        ReportTemplate, on_delete=models.CASCADE, related_name="sections", verbose_name=_("template")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=255)
    guidance = models.TextField(_("guidance"), blank=True)
    indicators = models.ManyToManyField(
        Indicator, through="SectionIndicator", related_name="sections", verbose_name=_("indicators")
    )

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.heading


class SectionIndicator(models.Model):
    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["section", "order", "pk"]
        verbose_name = _("indicator of the section")
        verbose_name_plural = _("indicators of the section")
        constraints = [
            models.UniqueConstraint(fields=["section", "indicator"], name="reports_indicator_once_per_section")
        ]

    def __str__(self):
        return str(self.indicator)


class Period(models.Model):
    """A reporting period (kỳ báo cáo); opening it creates the reports each unit owes."""

    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    number = models.PositiveSmallIntegerField(
        _("number"), default=1, help_text=_("1 for a year; 1–2 for a half-year; 1–4 for a quarter; 1–12 for a month.")
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    due_date = models.DateField(_("due date"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "kind", "-number"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [models.UniqueConstraint(fields=["kind", "year", "number"], name="reports_period_unique")]
        permissions = [("change_period_dates", _("Can change a period's dates once its reports exist"))]

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.kind == PeriodKind.YEAR:
            return _("Year %(year)s") % {"year": self.year}
        labels = {
            PeriodKind.HALF: _("Half %(n)s"),
            PeriodKind.QUARTER: _("Quarter %(n)s"),
            PeriodKind.MONTH: _("Month %(n)s"),
        }
        return _("%(part)s/%(year)s") % {"part": labels[self.kind] % {"n": self.number}, "year": self.year}

    def clean(self):
        from .rules import period_errors

        errors = date_errors(self, planned=["start", "end", "due_date"])
        for name, message in period_errors(
            kind=self.kind, year=self.year, number=self.number, start=self.start, end=self.end, due_date=self.due_date
        ).items():
            if name not in errors:
                errors[name] = [message]
        if errors:
            raise ValidationError(errors)


# --- Reports and their contents ---------------------------------------------------------------------


class ReportQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The reports of the user's units, and, to read, those of periods that ended before their unit was
        moved away from the user's units (units.FormerParent): the user's roll-up of that period counted them."""
        scope = get_scope(user)
        if scope.is_all or not scope.read_paths:
            return super().visible_to(user)
        then = placed_within_q(scope.read_paths, on=models.OuterRef("period__end"), field="unit__path")
        return self.filter(scope.q(self.scope_path_field) | then)


class Report(models.Model):
    """One unit's report for one period, from draft to approval."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="reports", verbose_name=_("unit"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports", verbose_name=_("period"))
    template = models.ForeignKey(
        ReportTemplate, on_delete=models.PROTECT, related_name="reports", verbose_name=_("template")
    )
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=0, help_text=_("Goes up by one with every save."))
    last_saved_at = models.DateTimeField(_("last saved at"), null=True, blank=True)
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last saved by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    doc_number = models.PositiveIntegerField(_("document number"), null=True, blank=True, editable=False)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipients = models.TextField(
        _("recipients (Nơi nhận)"),
        blank=True,
        help_text=_("One recipient per line; the filing copy is added at the end."),
    )
    # What the signed document prints, taken when the report is approved and cleared when it is reopened:
    # the issuing body's names, place and signer, the title, the sections and the indicators' labels and
    # the previous period's figures. Editing those records later leaves an approved document as signed.
    issued = models.JSONField(_("document as approved"), null=True, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["-period__year", "period__kind", "-period__number", "unit__path"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="reports_one_report_per_unit_and_period")
        ]
        permissions = [
            ("approve_report", _("Can approve, return and reopen reports")),
            ("export_reports", _("Can export reports")),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period}"

    def template_indicators(self):
        """The template's indicators in order (one query)."""
        return [
            item.indicator
            for item in SectionIndicator.objects.filter(section__template_id=self.template_id)
            .select_related("indicator")
            .order_by("section__order", "section__pk", "order", "pk")
        ]

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES


# The states in which the unit may still change its report (a draft, or one returned to it).
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class SectionText(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="texts")
    section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("narrative"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "section"], name="reports_one_text_per_section")]

    def __str__(self):
        return f"{self.report} · {self.section}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    auto_value = models.DecimalField(
        _("automatic value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The automatic figure when the value was last saved."),
    )
    override_reason = models.CharField(_("reason for changing the automatic figure"), max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="reports_one_value_per_indicator")]

    def __str__(self):
        return f"{self.indicator.code}: {self.value}"


class ReportComment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        TemplateSection, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("section")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.author} · {self.created_at:%d/%m/%Y %H:%M}"


class ReportTransition(models.Model):
    """A step of the workflow: who moved the report from which state to which, when, and why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_path_field = "report__unit__path"

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self):
        return f"{self.report} · {self.from_status} → {self.to_status}"


class DocumentNumber(models.Model):
    """The last report number a unit issued in a year (Số: N/BC-…), allocated on approval."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="reports_one_counter_per_unit_and_year")]

    def __str__(self):
        return f"{self.unit_id} · {self.year}: {self.last}"


class IssuingBody(models.Model):
    """How a unit signs its documents (Decree 30/2020 header); without one, names derive from the unit."""

    unit = models.OneToOneField(
        "units.Unit", on_delete=models.CASCADE, related_name="issuing_body", verbose_name=_("unit")
    )
    parent_name = models.CharField(
        _("parent body"), max_length=150, blank=True, help_text=_("E.g. BỘ CHỈ HUY QUÂN SỰ TỈNH CAO BẰNG.")
    )
    name = models.CharField(
        _("issuing body"), max_length=150, blank=True, help_text=_("E.g. BAN CHỈ HUY QUÂN SỰ HUYỆN BẢO LÂM.")
    )
    abbreviation = models.CharField(
        _("abbreviation in the number"), max_length=30, blank=True, help_text=_("E.g. BCH, as in Số: 12/BC-BCH.")
    )
    place = models.CharField(_("place in the date line"), max_length=80, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipients = models.TextField(_("usual recipients"), blank=True, help_text=_("One per line."))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")

    def __str__(self):
        return self.name or str(self.unit)
