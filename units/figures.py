"""A registry of automatic figures: functions the rosters and recruitment apps offer to the reports.

`militia.selectors` and `recruitment.selectors` register their figures here with `@figure(...)`
(their apps import the selectors when ready); the reports app reads the registry to fill a report
with live values.

Calling convention: `func(*, unit, on)` returns a number or None. `unit` is the report's unit (its whole
subtree counts); `on` is the period's last day, and a figure counts the records as they stood on that day
(joined or registered on or before it, not yet ended, within the law's age limits that day), so a past
period's report reproduces that period's numbers whenever it is reopened. A figure about a year (a
campaign, training, terms ending) takes the year of `on`.

A figure registered with `over_period=True` counts what happened within the period instead (the records of
activities: duty days, drills, visits): it is called as `func(*, unit, start, end)` and counts the records
dated from `start` to `end`, so a past period's figures stay what they were.
"""

from dataclasses import dataclass
from decimal import Decimal

_REGISTRY = {}

# The apps whose records the figures count: the registry, the rosters, the call-ups, the records of activities,
# and the units (disadvantaged periods, former parents). A summary of figures is kept until a write of one of
# them (units.freshness.remember(..., reads=READS)).
READS = frozenset({"people", "militia", "recruitment", "activities", "units"})


@dataclass(frozen=True)
class Figure:
    code: str
    label: str  # lazy translation: where the figure comes from, shown beside the value
    func: object
    # The figure is the unit's own record, not a sum of its parts: a district's call-up is its campaign, decided
    # and counted at the district. A report takes it even where approved reports below would roll up.
    over_rollup: bool = False
    # The figure counts what happened within the period (see the module's docstring).
    over_period: bool = False

    def compute(self, *, unit, start, end):
        """The figure for the period [start, end]: evaluated on its last day, or over the whole period."""
        value = self.func(unit=unit, start=start, end=end) if self.over_period else self.func(unit=unit, on=end)
        if value is None:
            return None
        return Decimal(value).quantize(Decimal("0.1")) if not isinstance(value, int) else Decimal(value)


def figure(code, label, *, over_rollup=False, over_period=False):
    """Register `func` as the automatic figure `code` (`over_rollup`, `over_period`: see Figure)."""

    def register(func):
        _REGISTRY[code] = Figure(code=code, label=label, func=func, over_rollup=over_rollup, over_period=over_period)
        return func

    return register


def get_figure(code):
    return _REGISTRY.get(code)


def figure_choices():
    return sorted(((code, str(f.label)) for code, f in _REGISTRY.items()), key=lambda c: c[0])


# --- How a figure stands -------------------------------------------------------------------------------------
# One function decides the state of a figure; the dashboard's cells, tiles, "at risk" panel and charts all
# show what it says, so they cannot contradict each other.

OK, WARNING, AT_RISK, PREPARATION, NO_DATA = "ok", "warning", "at_risk", "preparation", "no_data"
STATES = (OK, WARNING, AT_RISK, PREPARATION, NO_DATA)
# Below the target but within this share of it: a warning rather than at risk.
NEAR_TARGET = Decimal("0.9")
# A call-up in preparation is at risk when fewer are approved than its quota this close to the hand-over.
RISK_DAYS = 14


@dataclass(frozen=True)
class Preparation:
    """Where a call-up not yet handed over stands on the day: approved against quota, days to the hand-over."""

    approved: int
    quota: int
    days_to_handover: int


def figure_state(value, target, *, preparation=None):
    """ok / warning / at_risk against the target (warning: below it but within 90 %); preparation for a
    call-up whose hand-over is still to come (at_risk when fewer than its quota are approved 14 days or less
    before it); no_data when the figure or its target is unknown."""
    if preparation is not None:
        short = preparation.quota and preparation.approved < preparation.quota
        return AT_RISK if short and preparation.days_to_handover <= RISK_DAYS else PREPARATION
    if value is None or target is None:
        return NO_DATA
    value = Decimal(str(value))
    if value >= target:
        return OK
    if value >= target * NEAR_TARGET:
        return WARNING
    return AT_RISK
