"""The light filter selects (people/widgets.py) offer what Django's model selects offered, and a list page
reads each of them with one query whatever the number of units."""

import lxml.html
import pytest

from people.forms import PersonFilterForm
from people.widgets import lighten_filter_selects
from tests.caches import cold_queries
from tests.factories import UnitFactory
from units.selectors import communes_visible, hamlets_visible
from units.widgets import FastSelect

pytestmark = pytest.mark.django_db


def _forms(user, data):
    plain = PersonFilterForm(data, communes=communes_visible(user=user), hamlets=hamlets_visible(user=user))
    light = PersonFilterForm(data, communes=communes_visible(user=user), hamlets=hamlets_visible(user=user))
    lighten_filter_selects(light)
    return plain, light


def _select(html):
    """A select as its name, its classes and its options: (value, label, selected)."""
    select = lxml.html.fragment_fromstring(html)
    options = [(o.get("value"), o.text_content(), o.get("selected") is not None) for o in select.iter("option")]
    return select.get("name"), select.get("class"), options


@pytest.mark.parametrize("selected", [False, True])
def test_same_options_as_the_model_selects(commander, tree, selected):
    data = {"commune": str(tree["vinh_quang"].pk), "hamlet": str(tree["vq_hamlet"].pk)} if selected else None
    plain, light = _forms(commander, data)
    # Both offer the hamlets of the commune chosen (people.forms.CommuneHamletFilterMixin).
    plain.fields["hamlet"].queryset = plain.fields["hamlet"].options_queryset
    for name in ("commune", "hamlet", "ethnicity"):
        assert isinstance(light.fields[name].widget, FastSelect)
        assert _select(str(light[name])) == _select(str(plain[name]))
    if selected:
        assert light.is_valid() and light.cleaned_data["hamlet"] == tree["vq_hamlet"]
        assert f'<option value="{tree["vq_hamlet"].pk}" selected>' in str(light["hamlet"])


def test_one_query_per_select_whatever_the_number_of_hamlets(commander, tree, client):
    url = f"/people/?commune={tree['vinh_quang'].pk}"
    client.force_login(commander)
    client.get(url)
    with cold_queries() as before:
        assert client.get(url).status_code == 200
    for n in range(20):
        UnitFactory(kind_code="hamlet", parent=tree["vinh_quang"], name=f"Thôn {n}")
    with cold_queries() as after:
        response = client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)
    assert response.content.decode().count("– Vĩnh Quang</option>") >= 20


# --- The hamlet select follows the commune (people.forms.CommuneHamletFilterMixin) ------------------------


def _hamlet_options(response):
    page = response.content.decode()
    select = page[page.index('name="hamlet"') : page.index("</select>", page.index('name="hamlet"'))]
    return select


def test_with_several_communes_the_hamlet_select_waits_for_a_commune(commander, tree, client):
    client.force_login(commander)
    select = _hamlet_options(client.get("/people/"))
    assert "Choose a commune first" in select or "Chọn xã trước" in select
    assert "Nà Đoỏng" not in select and "Nà Ké" not in select

    select = _hamlet_options(client.get("/people/", {"commune": tree["vinh_quang"].pk}))
    assert "Nà Đoỏng – Vĩnh Quang" in select and "Bản Tìn – Vĩnh Quang" in select
    assert "Nà Ké" not in select


def test_a_commune_officer_gets_the_hamlets_of_their_commune_at_once(officer, tree, client):
    client.force_login(officer)
    select = _hamlet_options(client.get("/people/"))
    assert "Nà Đoỏng – Vĩnh Quang" in select and "Bản Tìn – Vĩnh Quang" in select


def test_a_hamlet_left_from_the_commune_chosen_before_is_dropped(commander, tree, client, vq_person, lb_person):
    client.force_login(commander)
    response = client.get("/people/", {"commune": tree["ly_bon"].pk, "hamlet": tree["vq_hamlet"].pk})
    page = response.content.decode()
    assert lb_person.full_name in page and vq_person.full_name not in page
    assert " selected>" not in _hamlet_options(response)

    # A saved address with a hamlet alone still filters by it, and shows it chosen.
    response = client.get("/people/", {"hamlet": tree["vq_hamlet"].pk})
    page = response.content.decode()
    assert vq_person.full_name in page and lb_person.full_name not in page
    assert f'<option value="{tree["vq_hamlet"].pk}" selected>' in _hamlet_options(response)


@pytest.mark.parametrize("url", ["/people/", "/militia/members/", "/militia/reservists/"])
def test_results_refreshed_by_htmx_bring_the_hamlets_of_the_commune_chosen(commander, tree, client, url):
    client.force_login(commander)
    response = client.get(url, {"commune": tree["ly_bon"].pk}, headers={"HX-Request": "true", "HX-Target": "results"})
    page = response.content.decode()
    oob = page[page.index("<select", page.index("results-body")) :]
    assert 'hx-swap-oob="true"' in oob and 'id="id_hamlet"' in oob
    assert "Nà Ké – Lý Bôn" in oob and "Nà Đoỏng" not in oob
    # The whole page carries the select in the form, not a second one to swap.
    assert 'hx-swap-oob="true"' not in client.get(url).content.decode()


@pytest.mark.parametrize("url", ["/people/", "/militia/members/", "/militia/reservists/"])
@pytest.mark.parametrize("value", ["-99999999999999999999", "99999999999999999999", "0", "-1"])
def test_an_id_beyond_any_database_integer_is_no_commune(client, district_officer, url, value):
    """A hostile commune or hamlet id in a list's address answers the list, on SQLite too (which refuses
    to compare a column with a number beyond 64 bits)."""
    client.force_login(district_officer)
    assert client.get(url, {"commune": value}).status_code == 200
    assert client.get(url, {"hamlet": value}).status_code == 200
