"""Models of the reports app: the targets the commander dashboard colours its figures against."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.scoping import ScopedQuerySet


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
