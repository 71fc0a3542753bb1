"""The dashboard's summary table: one row per unit and year, the figures of the dashboard as they stood on
the row's day (31/12, or the day it was computed for the running year). Kept by the data: a write marks the
rows of the units it changed stale in its transaction and recomputes them once it commits (see
`dashboard.summary`); `manage.py rebuild_figures` recomputes the whole table from the records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitYearFigures(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    on = models.DateField(_("as of"))
    stale = models.BooleanField(_("to recompute"), default=False)
    # How many writes marked the row stale: figures computed while a write marked it again are not stored
    # over it (they may miss that write), the write's own refresh stores its figures.
    marks = models.PositiveIntegerField(_("times marked"), default=0)
    # Militia (Law 48/2019): strength on the day, Party members among them, members trained in the year;
    # by force type {force type id: strength}.
    strength = models.PositiveIntegerField(default=0)
    party = models.PositiveIntegerField(default=0)
    trained = models.PositiveIntegerField(default=0)
    by_force_type = models.JSONField(default=dict)
    # Reserve (Military Service Law 2015): reservists of the day, placed in a reserve post, in a matching one.
    reservists = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    matching = models.PositiveIntegerField(default=0)
    # The call-up handed over in `year`: the unit's quota and its candidates as they stood on the day; the
    # campaign when a single one gave the unit a quota that year.
    campaign = models.ForeignKey(
        "recruitment.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    has_quota = models.BooleanField(default=False)
    quota = models.PositiveIntegerField(default=0)
    registered = models.PositiveIntegerField(default=0)
    examined = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    handed_over = models.PositiveIntegerField(default=0)
    # The alerts of the row's day (militia.selectors.alerts_by_unit): terms ending, members due to leave for age,
    # reservists over age; kept on the rows of the latest day computed together (the running year's: today).
    alerts = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("unit figures of a year")
        verbose_name_plural = _("unit figures of the years")
        constraints = [models.UniqueConstraint(fields=["unit", "year", "on"], name="unit_year_figures_unique")]

    def __str__(self):
        return f"{self.unit_id} {self.year} ({self.on:%d/%m/%Y})"
