"""A report's automatic figures count the rosters as they stood on the period's last day, whenever the
report is opened: the 2024 report keeps the 2024 strength after 2025 changed the roster."""

import datetime

from reports.tests.test_filing_pages import client_for, codes, edit_url, form_data
from tests.factories import MilitiaMemberFactory, PersonFactory, ReservistFactory


def test_the_2024_report_is_prefilled_with_the_strength_of_31_december_2024(reports, officer, tree):
    hamlet = tree["vq_hamlet"]

    def member(birth_date=datetime.date(1995, 5, 5), **fields):
        return MilitiaMemberFactory(person=PersonFactory(home_unit=hamlet, sex="M", birth_date=birth_date), **fields)

    member(joined_on=datetime.date(2023, 3, 1))
    member(joined_on=datetime.date(2024, 12, 31))
    member(joined_on=datetime.date(2025, 1, 1))  # joined after the period
    member(joined_on=datetime.date(2022, 3, 1), status="moved", exit_date=datetime.date(2025, 2, 1), exit_reason="x")
    # 46 on 31/12/2024: out of the 2024 strength; 46 on 1/1/2025: still in it.
    member(birth_date=datetime.date(1978, 12, 31), joined_on=datetime.date(2022, 3, 1))
    member(birth_date=datetime.date(1979, 1, 1), joined_on=datetime.date(2022, 3, 1))
    for party in (True, False, False, False):
        ReservistFactory(
            person=PersonFactory(
                home_unit=hamlet, sex="M", birth_date=datetime.date(1995, 1, 1), is_party_member=party
            ),
            registered_on=datetime.date(2024, 6, 1),
        )
    ReservistFactory(person__home_unit=hamlet, registered_on=datetime.date(2025, 1, 2), person__is_party_member=True)

    data = form_data(client_for(officer).get(edit_url(reports["vinh_quang"])))
    indicators = codes()
    # Hand count: joined 2023, joined on 31/12/2024, left in 2025, turning 46 on 1/1/2025.
    assert data[f"value_{indicators['militia_active'].pk}"] == "4"
    assert data[f"value_{indicators['reserve_total'].pk}"] == "4"
    assert data[f"value_{indicators['reserve_party_share'].pk}"] == "25,0"  # Vietnamese decimal comma
