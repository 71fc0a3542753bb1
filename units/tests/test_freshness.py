"""Cached summaries (units.freshness): a committed change moves the generations of its places — the unit, its
ancestors, never the neighbours — a rolled-back one moves nothing, a page read after a write shows it, and a
page read twice costs fewer queries the second time."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from people.models import Person
from tests.caches import cold_queries
from tests.factories import PersonFactory, UserFactory, person_form_data
from units import freshness
from units.freshness import ALL_UNITS, changed, remember, scope_units
from units.models import Generation
from units.roles import Role
from units.scoping import get_scope
from units.services import assignment_create


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _generations():
    return dict(Generation.objects.values_list("key", "value"))


def _moved(before):
    after = _generations()
    return {key for key, value in after.items() if before.get(key) != value}


class Counter:
    """A summary that counts how often it was computed."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


# --- Which generations a change moves ---------------------------------------------------------------------------


def test_a_hamlets_change_moves_it_its_commune_district_and_province_but_not_the_neighbours(tree):
    keys = freshness.changed_keys(units=[tree["vq_hamlet"]])
    found = {"tree", f"a{tree['vq_hamlet'].pk}"} | {
        f"u{tree[name].pk}" for name in ("province", "district", "vinh_quang", "vq_hamlet")
    }
    expected = found | {f"{key}/any" for key in found}  # a write that does not say which records changed
    assert keys == expected
    # A write that says which apps' records it changed moves the places' keys of those apps.
    assert freshness.changed_keys(units=[tree["vq_hamlet"]], records={"reports"}) == found | {
        f"{key}/reports" for key in found
    }
    assert f"u{tree['ly_bon'].pk}" not in keys
    assert f"u{tree['vq_hamlet2'].pk}" not in keys
    # Given by id or by tree path, the same places.
    assert freshness.changed_keys(units=[tree["vq_hamlet"].pk]) == expected
    assert freshness.changed_keys(units=[tree["vq_hamlet"].path]) == expected


def test_a_summary_of_a_commune_changes_with_its_district_own_records_not_with_a_neighbour(tree):
    keys = freshness.summary_keys(units=[tree["vinh_quang"]])
    assert keys == {"*", f"u{tree['vinh_quang'].pk}", f"a{tree['district'].pk}", f"a{tree['province'].pk}"}
    # A district's campaign marks the district: the commune's summaries change key too.
    assert keys & freshness.changed_keys(units=[tree["district"]])
    # A neighbour's registration does not.
    assert not keys & freshness.changed_keys(units=[tree["lb_hamlet"]])
    # Everything (reference data, the tree) changes every summary.
    assert keys & freshness.changed_keys(everything=True)
    assert freshness.summary_keys(units=ALL_UNITS) == {"*", "tree"}


def test_a_summary_of_some_apps_records_changes_with_them_and_with_writes_that_do_not_say(tree):
    keys = freshness.summary_keys(units=[tree["vinh_quang"]], reads={"militia", "people"})
    vq = f"u{tree['vinh_quang'].pk}"
    assert {f"{vq}/any", f"{vq}/militia", f"{vq}/people", "*"} <= keys
    assert vq not in keys
    assert not keys & freshness.changed_keys(units=[tree["vq_hamlet"]], records={"reports"})
    assert keys & freshness.changed_keys(units=[tree["vq_hamlet"]], records={"people"})
    assert keys & freshness.changed_keys(units=[tree["vq_hamlet"]])
    assert keys & freshness.changed_keys(everything=True)
    # Any summary of the place changes with a write of any records there.
    assert freshness.summary_keys(units=[tree["vinh_quang"]]) & freshness.changed_keys(
        units=[tree["vq_hamlet"]], records={"reports"}
    )
    with pytest.raises(ValueError, match="militai"):
        freshness.summary_keys(units=[tree["vinh_quang"]], reads={"militai"})


def test_a_scope_is_summarised_by_its_subtrees(tree, officer, superuser, commander):
    assert scope_units(get_scope(officer)) == [tree["vinh_quang"].path]
    assert scope_units(get_scope(superuser)) is ALL_UNITS
    # A district's campaign as seen by a commune officer: their commune only; by the commander: the district.
    assert scope_units(get_scope(officer), within=tree["district"]) == [tree["vinh_quang"].path]
    assert scope_units(get_scope(commander), within=tree["district"]) == [tree["district"].path]


# --- The generations move after the commit, and only then (real transactions) -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_moves_its_generations_and_a_rolled_back_one_does_not(tree):
    before = _generations()
    with transaction.atomic():
        changed(units=[tree["vq_hamlet"]])
        assert _moved(before) == set()  # not yet: other requests cannot see the change before the commit
    assert _moved(before) == freshness.changed_keys(units=[tree["vq_hamlet"]])

    before = _generations()
    with pytest.raises(RuntimeError), transaction.atomic():
        changed(units=[tree["lb_hamlet"]], everything=True)
        raise RuntimeError
    assert _moved(before) == set()


@pytest.mark.django_db(transaction=True)
def test_a_summary_is_kept_until_its_places_change_and_no_longer(tree):
    district, ly_bon = Counter(), Counter()
    assert remember(("probe",), district, units=[tree["district"]]) == 1
    assert remember(("probe",), ly_bon, units=[tree["ly_bon"]]) == 1
    changed(units=[tree["vq_hamlet"]])  # outside a transaction: committed at once
    freshness.forget()  # as at the next request
    assert remember(("probe",), district, units=[tree["district"]]) == 2
    assert remember(("probe",), ly_bon, units=[tree["ly_bon"]]) == 1  # the neighbour's is still good
    with transaction.atomic():
        changed(units=[tree["district"]])  # the district's own records (a campaign): seen by every commune
    freshness.forget()
    assert remember(("probe",), ly_bon, units=[tree["ly_bon"]]) == 2


@pytest.mark.django_db(transaction=True)
def test_with_a_shared_cache_a_worker_keeps_what_it_read_until_a_write_moves_the_key(tree, settings):
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {
        "default": {"BACKEND": locmem, "LOCATION": "shared-probe"},
        "local": {"BACKEND": locmem, "LOCATION": "local-probe"},
    }
    calls = Counter()
    assert remember(("probe",), calls, units=[tree["vinh_quang"]]) == 1
    caches["default"].clear()  # the shared copy is gone (evicted, or another node's cache)
    freshness.forget()
    assert remember(("probe",), calls, units=[tree["vinh_quang"]]) == 1  # this worker's own copy
    changed(units=[tree["vq_hamlet"]])  # committed at once
    freshness.forget()
    assert remember(("probe",), calls, units=[tree["vinh_quang"]]) == 2  # a new key: computed again
    caches["default"].clear()
    freshness.forget()
    assert remember(("probe",), calls, units=[tree["vinh_quang"]]) == 2


@pytest.mark.django_db(transaction=True)
def test_a_summary_of_some_apps_is_kept_across_writes_of_other_records(tree):
    figures, page = Counter(), Counter()
    assert remember(("figures",), figures, units=[tree["vinh_quang"]], reads={"militia", "people"}) == 1
    assert remember(("page",), page, units=[tree["vinh_quang"]]) == 1
    changed(units=[tree["vq_hamlet"]], records={"reports"})  # a report's draft
    freshness.forget()
    assert remember(("figures",), figures, units=[tree["vinh_quang"]], reads={"militia", "people"}) == 1
    assert remember(("page",), page, units=[tree["vinh_quang"]]) == 2
    changed(units=[tree["vq_hamlet"]], records={"militia"})
    freshness.forget()
    assert remember(("figures",), figures, units=[tree["vinh_quang"]], reads={"militia", "people"}) == 2
    changed(units=[tree["vq_hamlet"]])  # a write that does not say what it changed
    freshness.forget()
    assert remember(("figures",), figures, units=[tree["vinh_quang"]], reads={"militia", "people"}) == 3


@pytest.mark.django_db(transaction=True)
def test_a_new_person_registered_on_the_page_shows_in_the_list_and_its_count_at_once(client, officer, tree):
    PersonFactory.create_batch(2, home_unit=tree["vq_hamlet"])
    client.force_login(officer)
    assert "2 people" in client.get("/people/").content.decode()
    assert "2 people" in client.get("/people/").content.decode()  # from the cache

    data = person_form_data(tree["vq_hamlet"], full_name="Lò Văn Mới")
    assert client.post("/people/new/", data).status_code == 302
    page = client.get("/people/").content.decode()
    assert "3 people" in page
    assert "Lò Văn Mới" in page


@pytest.mark.django_db(transaction=True)
def test_a_role_given_shows_at_the_next_request(client, viewer, tree):
    client.force_login(viewer)
    assert "Register a person" not in client.get("/people/").content.decode()
    assignment_create(user=viewer, unit=tree["vinh_quang"], role=Role.COMMUNE_OFFICER)
    assert "Register a person" in client.get("/people/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_permission_given_to_a_group_in_the_admin_shows_at_the_next_request(client, viewer, tree):
    group = Group.objects.create(name="Extra")
    viewer.groups.add(group)
    client.force_login(viewer)
    assert "Register a person" not in client.get("/people/").content.decode()
    viewer.assignments.update(role=Role.COMMUNE_OFFICER)  # the write role's scope, without its permission
    changed(users=[viewer])

    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    staff = type(client)()
    staff.force_login(admin)
    permission = Permission.objects.get(codename="add_person")
    response = staff.post(f"/admin/auth/group/{group.pk}/change/", {"name": "Extra", "permissions": [permission.pk]})
    assert response.status_code == 302
    assert "Register a person" in client.get("/people/").content.decode()


# --- Inside a transaction: its own writes ----------------------------------------------------------------------


def test_a_transaction_that_changed_a_place_reads_its_own_writes_not_the_cache(tree):
    vinh_quang, ly_bon = Counter(), Counter()
    assert remember(("probe",), vinh_quang, units=[tree["vinh_quang"]]) == 1
    assert remember(("probe",), ly_bon, units=[tree["ly_bon"]]) == 1
    with transaction.atomic():
        Person.objects.filter(home_unit=tree["vq_hamlet"]).update(is_party_member=True)
        changed(units=[tree["vq_hamlet"]])
        assert remember(("probe",), vinh_quang, units=[tree["vinh_quang"]]) == 2
        assert remember(("probe",), vinh_quang, units=[tree["vinh_quang"]]) == 3  # never cached before the commit
        assert remember(("probe",), ly_bon, units=[tree["ly_bon"]]) == 1


def test_a_person_registered_through_the_page_is_listed_at_once(client, officer, tree):
    client.force_login(officer)
    assert "Trần Văn Mới" not in client.get("/people/").content.decode()
    data = person_form_data(tree["vq_hamlet2"], full_name="Trần Văn Mới")
    assert client.post("/people/new/", data).status_code == 302
    assert "Trần Văn Mới" in client.get("/people/").content.decode()


# --- What the cache saves ----------------------------------------------------------------------------------------


def _cold_queries(client, url):
    with cold_queries() as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def _warm_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_the_second_read_of_the_people_list_skips_the_count_the_scope_and_the_permissions(client, officer, tree):
    PersonFactory.create_batch(30, home_unit=tree["vq_hamlet"])
    url = f"/people/?hamlet={tree['vq_hamlet'].pk}"  # a filtered list: its rows are counted
    client.force_login(officer)
    client.get(url)  # the session
    first = _cold_queries(client, url)
    second = _warm_queries(client, url + "&page=2")  # another page of the same list: the same count
    assert any("COUNT(*)" in sql for sql in first)
    assert not any("COUNT(*)" in sql for sql in second)
    assert not any("units_assignment" in sql or "auth_permission" in sql for sql in second)
    assert len(second) <= len(first) - 6, second


def test_the_dashboard_read_again_costs_a_handful_of_queries(client, commander, tree):
    client.force_login(commander)
    client.get("/")
    first = _cold_queries(client, "/")
    second = [sql for sql in _warm_queries(client, "/") if "SAVEPOINT" not in sql]
    assert len(first) > 20  # the figures and alerts from the dashboard's summary table, the reports...
    # The session, the user, the generations of the user's roles and of the units read, the session's save:
    # nothing that grows with the data.
    assert len(second) == 5, "\n".join(second)
