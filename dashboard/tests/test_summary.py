"""The dashboard's summary table is kept by the data: after every kind of write the kept rows equal the rows
rebuilt from the records, the rows of the communes a write did not touch are left as they were, and the figures
read from it equal those the rosters and recruitment compute for the user, today and on a day in the past."""

import datetime

import pytest
from django.core.management import call_command

from dashboard import summary
from dashboard.models import UnitYearFigures
from dashboard.selectors import YearFigures
from militia import services as militia_services
from people import services as people_services
from recruitment import selectors as recruitment
from recruitment import services as recruitment_services
from tests.factories import CampaignFactory, MilitiaMemberFactory, PersonFactory, ReservistFactory
from units import services as unit_services
from units.freshness import changed
from units.models import Office

FIELDS = [*summary.FIGURES, "on"]


def _values(row):
    return {name: getattr(row, name) for name in FIELDS}


def _table():
    return {(row.unit_id, row.year): _values(row) for row in UnitYearFigures.objects.order_by()}


def _rebuilt(unit_ids, years, today):
    days = {year: summary.year_end(year, today) for year in years}
    return {(row.unit_id, row.year): _values(row) for row in summary.compute(unit_ids=unit_ids, days=days)}


@pytest.fixture
def kept(tree, district_data, district_officer, year):
    """The rows of both communes for six years, as the first dashboard leaves them (after the district officer's
    role is given: a change of what roles may do marks every row stale)."""
    units = [tree["vinh_quang"].pk, tree["ly_bon"].pk]
    years = range(year - 4, year + 2)
    summary.figures(unit_ids=units, years=years, today=datetime.date.today())
    assert len(_table()) == 12
    return units, years


def _enlist_last_year(tree, user, year):
    person = PersonFactory(home_unit=tree["vq_hamlet"], is_party_member=True)
    militia_services.member_enlist(
        user=user,
        person=person,
        unit=tree["vinh_quang"],
        force_type=MilitiaMemberFactory.build(person=person).force_type,
        joined_on=datetime.date(year - 1, 3, 1),
    )


def _end_a_membership(tree, user, year):
    member = tree["vinh_quang"].militia_members.order_by("pk").filter(status="active").first()
    militia_services.member_end(
        user=user, member=member, status="discharged", exit_date=datetime.date(year, 1, 5), exit_reason="Chuyển đi"
    )


def _move_a_member(tree, user, year):
    member = tree["vinh_quang"].militia_members.order_by("pk").filter(status="active").first()
    militia_services.member_update(user=user, member=member, unit=tree["ly_bon"])


def _join_the_party(tree, user, year):
    members = tree["vinh_quang"].militia_members.order_by("pk")
    member = members.filter(status="active", person__is_party_member=False).first()
    people_services.person_update(user=user, person=member.person, is_party_member=True)


def _register_a_placed_reservist(tree, user, year):
    placed = tree["vinh_quang"].reservists.order_by("pk").exclude(post=None).first()
    person = PersonFactory(home_unit=tree["vq_hamlet2"])
    reservist = ReservistFactory.build(person=person, post=placed.post)
    militia_services.reservist_register(
        user=user,
        person=person,
        unit=tree["vinh_quang"],
        category=reservist.category,
        tier=reservist.tier,
        rank=reservist.rank,
        specialty_code="BB-01",
        registered_on=datetime.date(year - 1, 5, 1),
        post=placed.post,
        placed_on=datetime.date(year - 1, 6, 1),
    )


def _take_a_reservist_off_the_roster(tree, user, year):
    reservist = tree["vinh_quang"].reservists.order_by("pk").exclude(post=None).first()
    militia_services.reservist_set_status(
        user=user, reservist=reservist, status="removed", reason="Chuyển đi", left_on=datetime.date(year, 1, 2)
    )


def _set_next_years_quota(tree, user, year):
    campaign = CampaignFactory(
        year=year + 1, district=tree["district"], handover_date=datetime.date(year + 1, 2, 20), status="planning"
    )
    recruitment_services.quota_set(user=user, campaign=campaign, commune=tree["ly_bon"], count=7)


def _record_training(tree, user, year):
    member = tree["ly_bon"].militia_members.order_by("pk").first()
    militia_services.members_set_last_trained(years={member.person_id: year})


WRITES = [
    _enlist_last_year,
    _end_a_membership,
    _move_a_member,
    _join_the_party,
    _register_a_placed_reservist,
    _take_a_reservist_off_the_roster,
    _set_next_years_quota,
    _record_training,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__.strip("_"))
def test_after_every_kind_of_write_the_kept_table_equals_the_rebuilt_one(
    write, kept, tree, district_officer, year, django_capture_on_commit_callbacks
):
    units, years = kept
    before = _table()
    with django_capture_on_commit_callbacks(execute=True):
        write(tree, district_officer, year)
    after = _table()
    assert not UnitYearFigures.objects.filter(stale=True).exists()
    assert after == _rebuilt(units, years, datetime.date.today())
    assert after != before  # the write changed a figure the table shows


def test_a_write_in_one_commune_leaves_the_rows_of_the_other_untouched(
    kept, tree, district_officer, year, django_capture_on_commit_callbacks
):
    lb_rows = {row.pk: row.computed_at for row in UnitYearFigures.objects.filter(unit=tree["ly_bon"])}
    vq_rows = {row.pk: row.computed_at for row in UnitYearFigures.objects.filter(unit=tree["vinh_quang"])}
    with django_capture_on_commit_callbacks(execute=True):
        _end_a_membership(tree, district_officer, year)
    assert {row.pk: row.computed_at for row in UnitYearFigures.objects.filter(unit=tree["ly_bon"])} == lb_rows
    refreshed = {row.pk: row.computed_at for row in UnitYearFigures.objects.filter(unit=tree["vinh_quang"])}
    assert all(refreshed[pk] > at for pk, at in vq_rows.items())


def _computed(unit):
    return {row.pk: (row.stale, row.computed_at) for row in UnitYearFigures.objects.filter(unit=unit)}


def test_a_write_of_records_no_figure_reads_leaves_the_rows_as_they_were(
    kept, tree, district_officer, year, django_capture_on_commit_callbacks
):
    before = _computed(tree["vinh_quang"])
    with django_capture_on_commit_callbacks(execute=True):
        changed(units=[tree["vq_hamlet"]], records={"reports"})  # a report's draft, a comment
        unit_services.officeholder_save(
            user=district_officer,
            unit=tree["vinh_quang"],
            office=Office.COMMANDER,
            full_name="Hoàng Văn Tư",
            title="Chỉ huy trưởng",
            start=datetime.date(year, 1, 1),
        )
    assert _computed(tree["vinh_quang"]) == before
    # The same place, with records the figures read: its rows are recomputed.
    with django_capture_on_commit_callbacks(execute=True):
        changed(units=[tree["vq_hamlet"]], records={"people"})
    after = _computed(tree["vinh_quang"])
    assert all(not stale and at > before[pk][1] for pk, (stale, at) in after.items())


def test_a_write_that_rolls_back_leaves_the_table_as_it_was(kept, tree, district_officer, year):
    before = _table()
    member = tree["vinh_quang"].militia_members.order_by("pk").filter(status="active").first()
    with pytest.raises(Exception):  # noqa: B017, PT011 (the service refuses a membership that has ended)
        militia_services.member_end(
            user=district_officer, member=member, status="active", exit_date=None, exit_reason=""
        )
    assert _table() == before
    assert not UnitYearFigures.objects.filter(stale=True).exists()


def test_a_change_of_everything_marks_every_row_stale_and_the_next_read_recomputes_it(kept, tree, year):
    units, years = kept
    changed(everything=True)
    assert UnitYearFigures.objects.filter(stale=True).count() == 12
    rows = summary.figures(unit_ids=units, years=years, today=datetime.date.today())
    assert len(rows) == 12
    assert not UnitYearFigures.objects.filter(stale=True).exists()
    assert _table() == _rebuilt(units, years, datetime.date.today())


def test_a_stale_row_left_by_a_failed_refresh_is_recomputed_by_the_next_reader(kept, tree, district_officer, year):
    units, years = kept
    # Inside the test's transaction the refresh after the commit never runs: the rows stay stale.
    _end_a_membership(tree, district_officer, year)
    assert UnitYearFigures.objects.filter(unit=tree["vinh_quang"], stale=True).count() == 6
    assert not UnitYearFigures.objects.filter(unit=tree["ly_bon"], stale=True).exists()
    rows = summary.figures(unit_ids=units, years=years, today=datetime.date.today())
    assert rows[(tree["vinh_quang"].pk, year)].strength == 3  # A, B, D: C left on 5 January
    assert _table() == _rebuilt(units, years, datetime.date.today())


def test_figures_computed_before_a_write_are_not_stored_over_the_rows_it_marked(kept, tree, district_officer, year):
    units, years = kept
    vq = tree["vinh_quang"]
    today = datetime.date.today()
    # A reader finds Vĩnh Quang's rows stale and computes them from the records as they are...
    changed(units=[tree["vq_hamlet"]])  # inside the test's transaction: marked, never refreshed
    seen = {(row.unit_id, row.year, row.on): row.marks for row in UnitYearFigures.objects.filter(unit=vq)}
    early = summary.compute(unit_ids=[vq.pk], days={y: summary.year_end(y, today) for y in years})
    assert next(row for row in early if row.year == year).strength == 4
    # ...while an officer ends a membership, which marks the rows again: the early figures are not stored.
    _end_a_membership(tree, district_officer, year)
    summary.store(early, seen=seen)
    row = UnitYearFigures.objects.get(unit=vq, year=year)
    assert row.stale
    # The write's own refresh stores the figures with it; so does a reader.
    summary.refresh(paths=[vq.path])
    row = UnitYearFigures.objects.get(unit=vq, year=year)
    assert (row.stale, row.strength) == (False, 3)
    assert _table() == _rebuilt(units, years, today)


def test_the_command_rebuilds_the_table_from_the_records(kept, tree, year):
    UnitYearFigures.objects.update(strength=999, stale=False)
    call_command("rebuild_figures", from_year=year - 4, to_year=year + 1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    units, years = kept
    assert _table() == _rebuilt(units, years, datetime.date.today())
    assert UnitYearFigures.objects.get(unit=tree["vinh_quang"], year=year).strength == 4


@pytest.mark.parametrize("past", [False, True], ids=["today", "a day last year"])
def test_the_kept_figures_equal_what_the_rosters_and_recruitment_compute(commander, district_data, year, past):
    today = datetime.date(year - 1, 9, 30) if past else datetime.date.today()
    years = [year - 2, year - 1] if past else [year - 1, year]
    kept = YearFigures(user=commander, years=years, today=today)
    for y in years:
        on = summary.year_end(y, today)
        live = recruitment.recruitment_figures(user=commander, year=y, on=on)
        mine = kept.recruitment(y)
        assert mine["total"] == live["total"], y
        assert sorted((r["unit_id"], r["quota"], r["handed_over"]) for r in mine["rows"]) == sorted(
            (r["unit"].pk, r["quota"], r["handed_over"]) for r in live["rows"]
        )
    members = kept.members(years)
    strength = sum(row[f"strength_{years[-1]}"] for row in members.values())
    # Last year at 30 September: A, B, C and X (who left this year); today: A, B, D and LB's E (C is there too).
    assert strength == (4 if past else 5)


@pytest.mark.parametrize("past", [False, True], ids=["today", "a day last year"])
def test_the_kept_reserve_figures_apply_the_age_of_service_on_each_day(commander, tree, district_data, year, past):
    """Reservists who pass the age of service between two year ends (a soldier at 45, a second lieutenant
    officer at 51: Military Service Law 2015 art. 37, the age-limit table) count in the first year only,
    exactly as the rosters' own filter (`reservists_on`) counts them."""
    from militia import selectors as militia

    today = datetime.date(year - 1, 9, 30) if past else datetime.date.today()
    years = [year - 3, year - 2, year - 1] if past else [year - 2, year - 1, year]
    turning = years[-1]  # they pass their limit during the last year, before its day
    soldier = PersonFactory(home_unit=tree["vq_hamlet"], sex="M", birth_date=datetime.date(turning - 46, 1, 3))
    ReservistFactory(person=soldier, registered_on=datetime.date(year - 6, 1, 1))
    officer = PersonFactory(home_unit=tree["vq_hamlet"], sex="M", birth_date=datetime.date(turning - 52, 1, 3))
    ReservistFactory(
        person=officer, category="officer", tier="", rank="thieu_uy", registered_on=datetime.date(year - 6, 1, 1)
    )
    kept = YearFigures(user=commander, years=years, today=today)
    reserve = kept.reserve(years)
    for y in years:
        day = summary.year_end(y, today)
        assert sum(row[f"total_{y}"] for row in reserve.values()) == militia.reservists_on(day, user=commander).count()
    assert (
        sum(r[f"total_{years[-2]}"] for r in reserve.values()) - sum(r[f"total_{years[-1]}"] for r in reserve.values())
        == 2
    )


def test_the_kept_alerts_are_those_the_rosters_compute(commander, officer, tree, district_data, year):
    """Terms ending, members due to leave for age, reservists over age: the dashboard's alerts from the table's
    rows name the same people in the same order, with the same counts, as `militia.alerts` for the user."""
    from militia import selectors as militia

    today = datetime.date.today()
    for n in range(7):  # more than the five shown, over both communes
        hamlet = tree["vq_hamlet"] if n % 2 else tree["lb_hamlet"]
        person = PersonFactory(home_unit=hamlet, sex="M", birth_date=datetime.date(year - 46 - n, 2, 1))
        member = MilitiaMemberFactory(person=person)
        type(member).objects.filter(pk=member.pk).update(term_ends_on=today + datetime.timedelta(days=10 + n))
        ReservistFactory(person=PersonFactory(home_unit=hamlet, sex="M", birth_date=datetime.date(year - 47 - n, 3, 1)))
    for user in (commander, officer):
        kept = YearFigures(user=user, years=[year], today=today).alerts()
        live = militia.alerts(user=user, limit=5)
        assert [(a["key"], a["count"], [i.pk for i in a["items"]]) for a in kept] == [
            (a["key"], a["count"], [i.pk for i in a["items"]]) for a in live
        ]
        assert all(a["count"] for a in kept), [(a["key"], a["count"]) for a in kept]
