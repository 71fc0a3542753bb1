"""The factory_boy factories of every app, re-exported so that `from tests.factories import ...` keeps working.

Each app keeps its own in `<app>/tests/factories.py`; new tests import from there (an app's tests may import
another app's factories)."""

from activities.tests.factories import activity_records
from militia.tests.factories import (
    MilitiaMemberFactory,
    ReservePostFactory,
    ReserveUnitFactory,
    ReservistFactory,
    bulk_militia_members,
    militia_force_type,
)
from people.tests.factories import PersonFactory, ethnicity, person_form_data
from recruitment.tests.factories import CampaignFactory, CandidateFactory, QuotaFactory, deferral_ground
from units.tests.factories import PASSWORD, UnitFactory, UserFactory, make_user_with_role, restructuring_of

__all__ = [
    "PASSWORD",
    "CampaignFactory",
    "CandidateFactory",
    "MilitiaMemberFactory",
    "PersonFactory",
    "QuotaFactory",
    "ReservePostFactory",
    "ReserveUnitFactory",
    "ReservistFactory",
    "UnitFactory",
    "UserFactory",
    "activity_records",
    "bulk_militia_members",
    "deferral_ground",
    "ethnicity",
    "make_user_with_role",
    "restructuring_of",
    "militia_force_type",
    "person_form_data",
]
