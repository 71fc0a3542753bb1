"""One function decides how a figure stands: against its target, or, for a call-up still in preparation, by
its progress and the days left before the hand-over."""

from decimal import Decimal

import pytest

from units.figures import AT_RISK, NO_DATA, OK, PREPARATION, WARNING, Preparation, figure_state


@pytest.mark.parametrize(
    ("value", "target", "state"),
    [
        (100, Decimal(100), OK),
        (Decimal("100.1"), Decimal(100), OK),
        (Decimal("99.9"), Decimal(100), WARNING),  # just below the target
        (90, Decimal(100), WARNING),  # 90 % of the target: the last warning
        (Decimal("89.9"), Decimal(100), AT_RISK),
        (0, Decimal(100), AT_RISK),
        (Decimal("1.26"), Decimal("1.4"), WARNING),
        (Decimal("1.25"), Decimal("1.4"), AT_RISK),
        (None, Decimal(100), NO_DATA),
        (50, None, NO_DATA),
    ],
)
def test_a_figure_against_its_target(value, target, state):
    assert figure_state(value, target) == state


@pytest.mark.parametrize(
    ("approved", "quota", "days", "state"),
    [
        (3, 5, 15, PREPARATION),  # short of the quota, but more than 14 days to go
        (3, 5, 14, AT_RISK),  # 14 days before the hand-over
        (3, 5, 13, AT_RISK),
        (3, 5, 0, AT_RISK),
        (5, 5, 14, PREPARATION),  # the quota is approved
        (6, 5, 1, PREPARATION),
        (0, 0, 3, PREPARATION),  # no quota yet
    ],
)
def test_a_call_up_in_preparation_is_never_a_zero_rate(approved, quota, days, state):
    preparation = Preparation(approved=approved, quota=quota, days_to_handover=days)
    assert figure_state(0, Decimal(100), preparation=preparation) == state
    assert figure_state(None, None, preparation=preparation) == state
