"""The admin page of all changes by a user or to a unit in a period, across every history table, scoped."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people.models import Person
from tests.factories import MilitiaMemberFactory, PersonFactory, make_user_with_role
from units.roles import Role

pytestmark = pytest.mark.django_db

URL = "/admin/changes/"


def _rename(obj, name, by):
    obj.full_name = name
    obj._history_user = by
    obj.save()


def _rows(response):
    """(model label, object id, change type) of every row on the page."""
    html = response.content.decode()
    return re.findall(r'data-model="([\w.]+)" data-object-id="(\d+)" data-type="([+~-])"', html)


@pytest.fixture
def history(tree, officer, outsider):
    vq = PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"])
    lb = PersonFactory(full_name="Vàng Seo Páo", home_unit=tree["lb_hamlet"])
    _rename(vq, "Nguyễn Văn Đạt", officer)
    _rename(lb, "Vàng Seo Pao", outsider)
    member = MilitiaMemberFactory(person=vq, unit=tree["vinh_quang"])
    member.platoon = "2"
    member._history_user = officer
    member.save()
    old = PersonFactory(full_name="Lò Văn Cũ", home_unit=tree["vq_hamlet2"])
    _rename(old, "Lò Văn Mới", officer)
    long_ago = timezone.now() - datetime.timedelta(days=60)
    Person.history.filter(id=old.pk).update(history_date=long_ago)
    return {"vq": vq, "lb": lb, "member": member, "old": old}


@pytest.fixture
def scoped_staff(tree):
    """A staff user whose only role is commune officer of Vĩnh Quang: the admin, but only their commune."""
    return make_user_with_role("staffvq", tree["vinh_quang"], Role.COMMUNE_OFFICER, is_staff=True)


def test_anonymous_and_non_staff_users_cannot_open_it(client, officer):
    assert client.get(URL).url.startswith(("/login/", "/admin/login/"))
    client.force_login(officer)
    assert client.get(URL).url.startswith("/admin/login/")


def test_the_admin_index_links_to_it(client, superuser):
    client.force_login(superuser)
    assert URL in client.get("/admin/").content.decode()


def test_filter_by_user_shows_every_model_changed_by_them_with_old_and_new(client, superuser, officer, history):
    client.force_login(superuser)
    response = client.get(URL, {"user": officer.pk})
    assert response.status_code == 200
    rows = _rows(response)
    assert ("people.person", str(history["vq"].pk), "~") in rows
    assert ("militia.militiamember", str(history["member"].pk), "~") in rows
    assert ("people.person", str(history["old"].pk), "~") in rows
    assert not [r for r in rows if r[1] == str(history["lb"].pk) and r[0] == "people.person"]
    html = response.content.decode()
    assert "<del>Nguyễn Văn Đức</del> → <ins>Nguyễn Văn Đạt</ins>" in html


def test_filter_by_unit_takes_its_subtree(client, superuser, history, tree):
    client.force_login(superuser)
    rows = _rows(client.get(URL, {"unit": tree["ly_bon"].pk}))
    people = {r[1] for r in rows if r[0] == "people.person"}
    assert people == {str(history["lb"].pk)}
    units = {r[1] for r in rows if r[0] == "units.unit"}
    assert units == {str(tree["ly_bon"].pk), str(tree["lb_hamlet"].pk)}


def test_filter_by_period(client, superuser, officer, history):
    client.force_login(superuser)
    today = timezone.localdate()
    recent = _rows(
        client.get(URL, {"user": officer.pk, "date_from": (today - datetime.timedelta(days=7)).strftime("%d/%m/%Y")})
    )
    assert str(history["old"].pk) not in {r[1] for r in recent if r[0] == "people.person"}
    assert str(history["vq"].pk) in {r[1] for r in recent if r[0] == "people.person"}
    long_ago = today - datetime.timedelta(days=60)
    earlier = _rows(
        client.get(URL, {"date_from": long_ago.strftime("%d/%m/%Y"), "date_to": long_ago.strftime("%d/%m/%Y")})
    )
    assert earlier == [("people.person", str(history["old"].pk), "~"), ("people.person", str(history["old"].pk), "+")]


def test_a_period_that_ends_before_it_starts_is_an_error(client, superuser, history):
    client.force_login(superuser)
    response = client.get(URL, {"date_from": "10/01/2026", "date_to": "01/01/2026"})
    assert response.status_code == 200
    assert _rows(response) == []
    assert 'class="errorlist' in response.content.decode()


def test_scoped_staff_never_see_another_units_records(client, scoped_staff, history, tree, outsider):
    client.force_login(scoped_staff)
    response = client.get(URL)
    rows = _rows(response)
    assert rows
    html = response.content.decode()
    assert "Vàng Seo" not in html and "Lý Bôn" not in html
    assert {r[0] for r in rows} <= {"people.person", "militia.militiamember", "units.unit", "units.assignment"}
    # Asking for the other commune or its officer is refused, not answered.
    for params in ({"unit": tree["ly_bon"].pk}, {"user": outsider.pk}, {"unit": tree["district"].pk}):
        response = client.get(URL, params)
        assert _rows(response) == []
        assert "Vàng Seo" not in response.content.decode()


def test_superuser_sees_reference_data_changes_too(client, superuser, tree):
    client.force_login(superuser)
    rows = _rows(client.get(URL))
    assert any(r[0] == "units.unitkind" for r in rows) or any(r[0] == "units.unit" for r in rows)


def test_a_page_costs_the_same_queries_for_few_and_many_changes(client, superuser, officer, tree):
    client.force_login(superuser)

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"user": officer.pk})
        assert response.status_code == 200
        return len(ctx.captured_queries), len(_rows(response))

    people = [PersonFactory(home_unit=tree["vq_hamlet"]) for _ in range(3)]
    for i, person in enumerate(people):
        _rename(person, f"Tên Mới {i}", officer)
    few_queries, few_rows = count_queries()
    people += [PersonFactory(home_unit=tree["vq_hamlet2"]) for _ in range(30)]
    for i, person in enumerate(people[3:]):
        _rename(person, f"Tên Khác {i}", officer)
    many_queries, many_rows = count_queries()
    assert (few_rows, many_rows) == (3, 33)
    assert few_queries == many_queries
    assert many_queries <= 14


def test_pages_go_back_in_time(client, superuser, officer, tree):
    client.force_login(superuser)
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    for i in range(55):
        _rename(person, f"Tên {i:02d}", officer)
    first = client.get(URL, {"user": officer.pk})
    second = client.get(URL, {"user": officer.pk, "page": 2})
    assert len(_rows(first)) == 50 and len(_rows(second)) == 5
    assert "<ins>Tên 54</ins>" in first.content.decode()
    assert "<ins>Tên 00</ins>" in second.content.decode()
