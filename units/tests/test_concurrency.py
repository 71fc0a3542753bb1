"""Two sessions editing the same record: the second save is refused with a clear message and the other
person's change shown, never a silent overwrite; saving again after seeing it is a deliberate choice."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from people.models import Person
from tests.factories import (
    CandidateFactory,
    MilitiaMemberFactory,
    PersonFactory,
    QuotaFactory,
    ReservistFactory,
    make_user_with_role,
)
from units.roles import Role

pytestmark = pytest.mark.django_db


class _Fields(HTMLParser):
    """The values a browser would post back: inputs, selected options and textareas of one form."""

    def __init__(self, form_id=None):
        super().__init__()
        self.values, self._select, self._textarea, self._in_form = {}, None, None, form_id is None
        self.form_id = form_id

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.form_id is not None:
            self._in_form = a.get("id") == self.form_id
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            else:
                self.values.setdefault(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.form_id is not None:
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.lstrip("\n") if not self.values[self._textarea] else data


def form_of(client, url, form_id=None):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Fields(form_id)
    parser.feed(response.content.decode())
    return parser.values


def two_clients(officer, tree):
    second = make_user_with_role("vinhquang2", tree["vinh_quang"], Role.COMMUNE_OFFICER)
    second.first_name, second.last_name = "Lò Văn", "Hai"
    second.save()
    clients = []
    for user in (officer, second):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_the_second_of_two_person_saves_is_refused_then_a_deliberate_save_wins(tree, officer):
    person = PersonFactory(home_unit=tree["vq_hamlet"], full_name="Tên Cũ", occupation="")
    mine, theirs = two_clients(officer, tree)
    url = reverse("people:update", args=[person.pk])
    my_form, their_form = form_of(mine, url), form_of(theirs, url)
    assert my_form["loaded_version"]
    their_form["full_name"] = "Tên Mới"
    assert theirs.post(url, their_form).status_code == 302
    my_form["occupation"] = "Làm ruộng"
    refused = mine.post(url, my_form)
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "Lò Văn Hai" in body and "Tên Mới" in body  # who changed it, and what
    assert "Làm ruộng" in body  # nothing the user typed is lost
    person.refresh_from_db()
    assert (person.full_name, person.occupation) == ("Tên Mới", "")
    # Saving the re-shown form again is a deliberate choice, and it goes through.
    again = _Fields()
    again.feed(body)
    assert mine.post(url, {**my_form, "loaded_version": again.values["loaded_version"]}).status_code == 302
    person.refresh_from_db()
    assert person.occupation == "Làm ruộng"


def test_two_saves_one_after_the_other_by_the_same_page_flow_are_fine(tree, officer):
    person = PersonFactory(home_unit=tree["vq_hamlet"], full_name="Tên Cũ")
    client = Client()
    client.force_login(officer)
    url = reverse("people:update", args=[person.pk])
    for name in ("Tên Một", "Tên Hai"):
        form = form_of(client, url)
        form["full_name"] = name
        assert client.post(url, form).status_code == 302
    assert Person.objects.get(pk=person.pk).full_name == "Tên Hai"


def test_the_second_of_two_member_saves_is_refused(tree, officer):
    member = MilitiaMemberFactory(
        person=PersonFactory(home_unit=tree["vq_hamlet"]), unit=tree["vinh_quang"], platoon="1"
    )
    mine, theirs = two_clients(officer, tree)
    url = reverse("militia:member_update", args=[member.pk])
    my_form, their_form = form_of(mine, url), form_of(theirs, url)
    their_form["platoon"] = "2"
    assert theirs.post(url, their_form).status_code == 302
    my_form["squad"] = "3"
    assert mine.post(url, my_form).status_code == 409
    member.refresh_from_db()
    assert member.platoon == "2"
    assert member.squad != "3"


def test_the_second_of_two_reservist_saves_is_refused(tree, officer):
    reservist = ReservistFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]), unit=tree["vinh_quang"])
    mine, theirs = two_clients(officer, tree)
    url = reverse("militia:reservist_update", args=[reservist.pk])
    my_form, their_form = form_of(mine, url), form_of(theirs, url)
    their_form["specialty_code"] = "111"
    assert theirs.post(url, their_form).status_code == 302
    my_form["notes"] = "ghi chú của tôi"
    assert mine.post(url, my_form).status_code == 409
    reservist.refresh_from_db()
    assert (reservist.specialty_code, reservist.notes) == ("111", "")


def test_a_stage_change_made_meanwhile_is_not_overwritten(tree, officer):
    candidate = CandidateFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]))
    QuotaFactory(campaign=candidate.campaign, commune=tree["vinh_quang"])
    mine, theirs = two_clients(officer, tree)
    detail = reverse("recruitment:candidate_detail", args=[candidate.pk])
    url = reverse("recruitment:candidate_stage", args=[candidate.pk])
    my_form, their_form = form_of(mine, detail, "stage-form"), form_of(theirs, detail, "stage-form")
    assert my_form["loaded_stage"] == "registered"
    their_form.update(to_stage="prescreened", confirm="on")
    assert theirs.post(url, their_form).status_code == 302
    my_form.update(to_stage="prescreened", confirm="on", note="lần hai")
    mine.post(url, my_form)
    candidate.refresh_from_db()
    assert candidate.stage == "prescreened"
    assert candidate.stage_changes.count() == 1


def test_a_form_without_its_loaded_version_is_refused_like_a_stale_one(tree, officer):
    person = PersonFactory(home_unit=tree["vq_hamlet"], occupation="")
    client = Client()
    client.force_login(officer)
    url = reverse("people:update", args=[person.pk])
    data = form_of(client, url)
    del data["loaded_version"]
    data["occupation"] = "Làm ruộng"
    refused = client.post(url, data)
    assert refused.status_code == 409
    assert "Làm ruộng" in refused.content.decode()  # what the user typed is kept
    assert Person.objects.get(pk=person.pk).occupation == ""
    for broken in ("", "abc", "1/x"):
        assert client.post(url, {**data, "loaded_version": broken}).status_code == 409
    assert Person.objects.get(pk=person.pk).occupation == ""


def test_a_member_form_without_its_loaded_version_is_refused(tree, officer):
    member = MilitiaMemberFactory(
        person=PersonFactory(home_unit=tree["vq_hamlet"]), unit=tree["vinh_quang"], platoon="1"
    )
    client = Client()
    client.force_login(officer)
    url = reverse("militia:member_update", args=[member.pk])
    data = form_of(client, url)
    del data["loaded_version"]
    data["platoon"] = "9"
    assert client.post(url, data).status_code == 409
    member.refresh_from_db()
    assert member.platoon == "1"


def test_saving_again_after_a_conflict_keeps_the_other_persons_change(tree, officer):
    person = PersonFactory(home_unit=tree["vq_hamlet"], phone="0912000001", occupation="")
    mine, theirs = two_clients(officer, tree)
    url = reverse("people:update", args=[person.pk])
    my_form, their_form = form_of(mine, url), form_of(theirs, url)
    their_form["phone"] = "0912999999"
    assert theirs.post(url, their_form).status_code == 302
    my_form["occupation"] = "Làm ruộng"
    refused = mine.post(url, my_form)
    assert refused.status_code == 409
    shown = _Fields()
    shown.feed(refused.content.decode())
    # The form shown is merged: their phone in the field they changed, my occupation where I typed it.
    assert shown.values["phone"] == "0912999999"
    assert shown.values["occupation"] == "Làm ruộng"
    assert mine.post(url, shown.values).status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.occupation) == ("0912999999", "Làm ruộng")


def test_re_posting_the_old_form_after_a_conflict_writes_only_what_this_user_changed(tree, officer):
    person = PersonFactory(home_unit=tree["vq_hamlet"], phone="0912000001", occupation="", full_name="Tên Cũ")
    mine, theirs = two_clients(officer, tree)
    url = reverse("people:update", args=[person.pk])
    my_form, their_form = form_of(mine, url), form_of(theirs, url)
    their_form.update(phone="0912999999", full_name="Tên Mới")
    assert theirs.post(url, their_form).status_code == 302
    my_form["occupation"] = "Làm ruộng"
    refused = mine.post(url, my_form)
    shown = _Fields()
    shown.feed(refused.content.decode())
    # Only the version is taken from the page: the rest is the form as first typed, with the old phone.
    assert mine.post(url, {**my_form, "loaded_version": shown.values["loaded_version"]}).status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.full_name, person.occupation) == ("0912999999", "Tên Mới", "Làm ruộng")


def test_a_member_saved_again_after_a_conflict_keeps_the_other_change(tree, officer):
    member = MilitiaMemberFactory(
        person=PersonFactory(home_unit=tree["vq_hamlet"]), unit=tree["vinh_quang"], platoon="1", squad="1"
    )
    mine, theirs = two_clients(officer, tree)
    url = reverse("militia:member_update", args=[member.pk])
    my_form, their_form = form_of(mine, url), form_of(theirs, url)
    their_form["platoon"] = "2"
    assert theirs.post(url, their_form).status_code == 302
    my_form["squad"] = "3"
    refused = mine.post(url, my_form)
    assert refused.status_code == 409
    shown = _Fields()
    shown.feed(refused.content.decode())
    assert mine.post(url, shown.values).status_code == 302
    member.refresh_from_db()
    assert (member.platoon, member.squad) == ("2", "3")


def test_a_stage_form_without_its_loaded_stage_is_refused(tree, officer):
    candidate = CandidateFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]))
    QuotaFactory(campaign=candidate.campaign, commune=tree["vinh_quang"])
    client = Client()
    client.force_login(officer)
    detail = reverse("recruitment:candidate_detail", args=[candidate.pk])
    data = form_of(client, detail, "stage-form")
    del data["loaded_stage"]
    data.update(to_stage="prescreened", confirm="on")
    assert client.post(reverse("recruitment:candidate_stage", args=[candidate.pk]), data).status_code == 400
    candidate.refresh_from_db()
    assert candidate.stage == "registered" and not candidate.stage_changes.exists()
