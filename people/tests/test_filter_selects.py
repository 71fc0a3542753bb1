"""The light filter selects (people/widgets.py) render exactly what Django's selects rendered, and a list
page reads each of them with one query whatever the number of units."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.forms import PersonFilterForm
from people.widgets import ValuesSelect, lighten_filter_selects
from tests.caches import cold
from tests.factories import UnitFactory
from units.selectors import communes_visible, hamlets_visible

pytestmark = pytest.mark.django_db


def _forms(user, data):
    plain = PersonFilterForm(data, communes=communes_visible(user=user), hamlets=hamlets_visible(user=user))
    light = PersonFilterForm(data, communes=communes_visible(user=user), hamlets=hamlets_visible(user=user))
    lighten_filter_selects(light)
    return plain, light


@pytest.mark.parametrize("selected", [False, True])
def test_same_html_as_the_model_selects(commander, tree, selected):
    data = {"commune": str(tree["vinh_quang"].pk), "hamlet": str(tree["vq_hamlet"].pk)} if selected else None
    plain, light = _forms(commander, data)
    for name in ("commune", "hamlet", "ethnicity"):
        assert isinstance(light.fields[name].widget, ValuesSelect)
        assert str(light[name]) == str(plain[name])
    if selected:
        assert light.is_valid() and light.cleaned_data["hamlet"] == tree["vq_hamlet"]
        assert f'<option value="{tree["vq_hamlet"].pk}" selected>' in str(light["hamlet"])


def test_one_query_per_select_whatever_the_number_of_hamlets(commander, tree, client):
    client.force_login(commander)
    client.get("/people/")
    cold()
    with CaptureQueriesContext(connection) as before:
        assert client.get("/people/").status_code == 200
    for n in range(20):
        UnitFactory(kind_code="hamlet", parent=tree["vinh_quang"], name=f"Thôn {n}")
    cold()
    with CaptureQueriesContext(connection) as after:
        response = client.get("/people/")
    assert len(after.captured_queries) == len(before.captured_queries)
    assert response.content.decode().count("– Vĩnh Quang</option>") >= 20
