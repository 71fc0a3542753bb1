"""A registry of automatic figures: functions the rosters and recruitment apps offer to the reports.

`militia.selectors` and `recruitment.selectors` register their figures here with `@figure(...)`
(their apps import the selectors when ready); the reports app reads the registry to fill a report
with live values. Each function takes the unit (its whole subtree counts) and the period's first
and last day, and returns a number or None.
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
        value = self.func(unit=unit, start=start, end=end)
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
