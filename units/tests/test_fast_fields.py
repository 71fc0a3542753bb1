"""`|fast_field` renders the list filters exactly as crispy's `|as_crispy_field` did, without templates."""

import re
from contextlib import contextmanager

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.signals import template_rendered

from militia.forms import MemberFilterForm, ReservistFilterForm
from militia.models import ForceType
from people.forms import NationalIdLookupForm, PersonFilterForm
from people.models import Ethnicity
from people.selectors import people_visible
from people.widgets import lighten_filter_selects
from recruitment.forms import CandidateFilterForm, StageChangeForm
from recruitment.models import DeferralGround
from recruitment.selectors import campaign_communes
from tests.factories import CampaignFactory, CandidateFactory, PersonFactory, QuotaFactory
from units.selectors import communes_visible, hamlets_visible
from units.templatetags import fast_fields
from units.templatetags.fast_fields import fast_field

pytestmark = pytest.mark.django_db


@contextmanager
def _templates_rendered():
    names = []

    def record(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    try:
        yield names
    finally:
        template_rendered.disconnect(record)


def _assert_same_html(make_form, state):
    """Every field of a fresh form renders through `fast_field` as through `as_crispy_field` on another
    fresh form (crispy keeps the classes it adds on the widget), and `fast_field` renders no template."""
    fast_form, crispy_form = make_form(), make_form()
    page = []
    for name in fast_form.fields:
        with _templates_rendered() as fast_templates:
            html = fast_field(fast_form[name])
        with _templates_rendered() as crispy_templates:
            crispy_html = as_crispy_field(crispy_form[name])
        assert fast_templates == [] and crispy_templates, name
        assert html == crispy_html, name
        # Rendered again (a second include of the same form), both still agree.
        assert fast_field(fast_form[name]) == as_crispy_field(crispy_form[name]), name
        page.append(html)
    page = "".join(page)
    if state == "valid":  # a value chosen or typed shows
        assert fast_form.is_valid(), fast_form.errors
        assert re.search(r'<option value="[^"]+" selected>|<input [^>]*value="[^"]+"', page)
    elif state == "invalid":
        assert fast_form.errors
        assert "is-invalid" in page and 'class="invalid-feedback"' in page


@pytest.fixture
def no_fallback(monkeypatch):
    """The forms of the list pages must take the Python path, not crispy's templates."""

    def fallback(field, *args, **kwargs):
        raise AssertionError(f"fast_field fell back to crispy for {field.name}")

    monkeypatch.setattr(fast_fields, "as_crispy_field", fallback)


def _people_filter(user, data):
    form = PersonFilterForm(data, communes=communes_visible(user=user), hamlets=hamlets_visible(user=user))
    lighten_filter_selects(form)
    return form


def _roster_filter(form_class, user, data):
    form = form_class(data, communes=communes_visible(user=user), hamlets=hamlets_visible(user=user))
    lighten_filter_selects(form)
    form.is_valid()  # the list view applies the filters before the page shows them
    return form


@pytest.fixture
def campaign(tree):
    campaign = CampaignFactory(district=tree["district"])
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"])
    QuotaFactory(campaign=campaign, commune=tree["ly_bon"])
    return campaign


@pytest.mark.parametrize("state", ["unbound", "valid", "invalid"])
def test_people_filter_form(commander, tree, state, no_fallback):
    data = {
        "unbound": None,
        "valid": {
            "q": "Đức <b>",
            "commune": str(tree["vinh_quang"].pk),
            "hamlet": str(tree["vq_hamlet"].pk),
            "sex": "F",
            "ethnicity": str(Ethnicity.objects.get(name="Mông").pk),
            "age": "18-25",
            "party": "1",
        },
        "invalid": {
            "q": "x" * 101,
            "commune": "0",
            "hamlet": "abc",
            "sex": "Z",
            "ethnicity": "0",
            "age": "old",
            "party": "7",
        },
    }[state]
    _assert_same_html(lambda: _people_filter(commander, data), state)


@pytest.mark.parametrize("state", ["unbound", "valid", "invalid"])
def test_national_id_lookup_form(commander, vq_person, state, no_fallback):
    data = {
        "unbound": None,
        "valid": {"national_id": vq_person.national_id},
        "invalid": {"national_id": "12345"},
    }[state]

    def make_form():
        form = NationalIdLookupForm(data, people=people_visible(user=commander))
        form.is_valid()
        return form

    _assert_same_html(make_form, state)


@pytest.mark.parametrize("state", ["first visit", "valid", "invalid"])
def test_member_filter_form(commander, tree, state, no_fallback):
    data = {
        "first visit": {"status": "active"},
        "valid": {
            "q": "Páo",
            "commune": str(tree["ly_bon"].pk),
            "hamlet": str(tree["lb_hamlet"].pk),
            "party": "0",
            "age": "18-25",
            "force_type": str(ForceType.objects.get(code="tai_cho").pk),
            "status": "term_ended",
            "core": "1",
            "ending_within": "6",
            "not_trained": "on",
        },
        "invalid": {"commune": "0", "status": "lost", "core": "2", "ending_within": "-3", "force_type": "x"},
    }[state]
    _assert_same_html(lambda: _roster_filter(MemberFilterForm, commander, data), state)


@pytest.mark.parametrize("state", ["first visit", "valid", "invalid"])
def test_reservist_filter_form(commander, tree, state, no_fallback):
    data = {
        "first visit": {"status": "active"},
        "valid": {"q": "Sình", "category": "officer", "status": "over_age", "placed": "1", "mismatch": "on"},
        "invalid": {"category": "general", "status": "?", "placed": "maybe", "hamlet": "0"},
    }[state]
    _assert_same_html(lambda: _roster_filter(ReservistFilterForm, commander, data), state)


@pytest.mark.parametrize("state", ["unbound", "valid", "invalid"])
def test_candidate_filter_form(commander, campaign, tree, state, no_fallback):
    data = {
        "unbound": {},
        "valid": {
            "q": "Đức",
            "commune": str(tree["vinh_quang"].pk),
            "stage": "examined",
            "health_class": "2",
            "ground": str(DeferralGround.objects.first().pk),
            "age": "18-20",
            "education": "upper",
            "flagged": "on",
        },
        "invalid": {"commune": "0", "stage": "won", "health_class": "9", "ground": "x", "education": "phd"},
    }[state]

    def make_form():
        form = CandidateFilterForm(data, communes=campaign_communes(campaign=campaign, user=commander))
        form.is_valid()
        return form

    _assert_same_html(make_form, state)


@pytest.mark.parametrize("state", ["unbound", "valid", "invalid"])
def test_candidate_bulk_form(state, no_fallback):
    data = {
        "unbound": None,
        "valid": {
            "bulk-to_stage": "deferred",
            "bulk-health_class": "3",
            "bulk-ground": str(DeferralGround.objects.first().pk),
            "bulk-ground_ends_on": "01/03/2027",
            "bulk-reason": "Đang học",
            "bulk-confirm": "on",
            "bulk-loaded_stage": "registered",
        },
        # No confirmation: the required checkbox shows its error.
        "invalid": {"bulk-to_stage": "won", "bulk-health_class": "9", "bulk-ground_ends_on": "31/02/2027"},
    }[state]

    def make_form():
        form = StageChangeForm(data, prefix="bulk")
        form.is_valid()
        return form

    _assert_same_html(make_form, state)


class _OtherFieldsForm(forms.Form):
    choice = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    upload = forms.FileField()
    email = forms.EmailField(help_text="We <em>never</em> share it.")


class _HelpedForm(forms.Form):
    name = forms.CharField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.field_template = "bootstrap5/layout/inline_field.html"


@pytest.mark.parametrize("form_class", [_OtherFieldsForm, _HelpedForm])
@pytest.mark.parametrize("data", [None, {"choice": "b", "email": "x"}])
def test_other_fields_render_as_crispy_renders_them(form_class, data):
    """Radio buttons, files, other inputs and forms with a FormHelper: crispy's own rendering, or the same."""
    fast_form, crispy_form = form_class(data), form_class(data)
    for name in fast_form.fields:
        assert fast_field(fast_form[name]) == as_crispy_field(crispy_form[name]), name


def test_people_list_shows_the_chosen_commune_and_search(client, commander, tree, vq_person):
    client.force_login(commander)
    commune = tree["vinh_quang"]

    response = client.get("/people/", {"q": "Đức", "commune": commune.pk})

    page = response.content.decode()
    assert '<input type="search" name="q" value="Đức"' in page
    assert f'<option value="{commune.pk}" selected>Vĩnh Quang</option>' in page
    assert f'<option value="{tree["ly_bon"].pk}">Lý Bôn</option>' in page
    assert "Nguyễn Văn Đức" in page


def test_member_roster_shows_a_ticked_filter(client, commander, tree):
    client.force_login(commander)

    page = client.get("/militia/members/", {"not_trained": "on", "ending_within": "6"}).content.decode()

    assert (
        '<input type="checkbox" name="not_trained" class="checkboxinput form-check-input" id="id_not_trained" checked>'
        in page
    )
    assert 'name="ending_within" value="6"' in page


def test_candidate_list_shows_the_filters_and_the_bulk_form(client, officer, campaign, tree):
    CandidateFactory(campaign=campaign, person=PersonFactory(home_unit=tree["vq_hamlet"]), flagged_duplicate=True)
    client.force_login(officer)

    response = client.get(f"/recruitment/campaigns/{campaign.pk}/candidates/", {"stage": "registered", "flagged": "on"})

    page = response.content.decode()
    assert '<option value="registered" selected>' in page
    assert 'name="flagged" class="checkboxinput form-check-input" id="id_flagged" checked>' in page
    assert 'name="bulk-to_stage"' in page
