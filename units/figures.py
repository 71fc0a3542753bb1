"""A registry of automatic figures: functions the rosters and recruitment apps offer to the reports.

`militia.selectors` and `recruitment.selectors` register their figures here with `@figure(...)`
(their apps import the selectors when ready); the reports app reads the registry to fill a report
with live values.

Calling convention: `func(*, unit, on)` returns a number or None. `unit` is the report's unit (its whole
subtree counts); `on` is the period's last day, and a figure counts the records as they stood on that day
(joined or registered on or before it, not yet ended, within the law's age limits that day), so a past
period's report reproduces that period's numbers whenever it is reopened. A figure about a year (a
campaign, training, terms ending) takes the year of `on`.
"""

from dataclasses import dataclass
from decimal import Decimal

_REGISTRY = {}


@dataclass(frozen=True)
class Figure:
    code: str
    label: str  # lazy translation: where the figure comes from, shown beside the value
    func: object

    def compute(self, *, unit, start, end):
        """The figure for the period [start, end]: evaluated on its last day."""
        value = self.func(unit=unit, on=end)
        if value is None:
            return None
        return Decimal(value).quantize(Decimal("0.1")) if not isinstance(value, int) else Decimal(value)


def figure(code, label):
    """Register `func` as the automatic figure `code`."""

    def register(func):
        _REGISTRY[code] = Figure(code=code, label=label, func=func)
        return func

    return register


def get_figure(code):
    return _REGISTRY.get(code)


def figure_choices():
    return sorted(((code, str(f.label)) for code, f in _REGISTRY.items()), key=lambda c: c[0])
