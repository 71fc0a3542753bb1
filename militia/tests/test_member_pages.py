"""The militia roster pages: who may see and change what, enlisting, editing, ending, filters, fixed cost."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from militia import services
from militia.models import ForceType, MemberStatus, MilitiaMember
from people.models import Person
from people.rules import years_before
from tests.caches import cold_queries
from tests.factories import (
    MilitiaMemberFactory,
    PersonFactory,
    ReservePostFactory,
    ReserveUnitFactory,
    ReservistFactory,
    ethnicity,
    person_form_data,
)
from units.concurrency import edit_token

ROW_LINK = re.compile(r'<a href="/militia/members/(\d+)/">([^<]+)</a>')
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids: the Vietnamese catalog is written separately.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def today():
    return timezone.localdate()


def dmy(day):
    return day.strftime("%d/%m/%Y")


def listed(response):
    """The names in the results table, in the order the user sees them."""
    assert response.status_code == 200
    return [name for _pk, name in ROW_LINK.findall(response.content.decode())]


@pytest.fixture
def member(tree):
    return MilitiaMemberFactory(
        person=PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"]), squad="Tiểu đội 1"
    )


@pytest.fixture
def lb_member(tree):
    return MilitiaMemberFactory(person=PersonFactory(full_name="Vàng Seo Páo", home_unit=tree["lb_hamlet"]))


READ_PAGES = ["/militia/", "/militia/members/", "/militia/members/{pk}/"]
WRITE_PAGES = ["/militia/members/new/", "/militia/members/{pk}/edit/", "/militia/members/{pk}/end/"]


# --- Who may see and change what ------------------------------------------------------------------


# One test per user, each walking every page: the arrangement is the costly part.


def test_it_redirects_anonymous_to_login(client, member):
    for page in READ_PAGES + WRITE_PAGES:
        url = page.format(pk=member.pk)
        response = client.get(url)
        assert (response.status_code, response.url) == (302, f"/login/?next={url}"), page


def test_officer_opens_every_page(client, officer, member):
    client.force_login(officer)
    for page in READ_PAGES + WRITE_PAGES:
        assert client.get(page.format(pk=member.pk)).status_code == 200, page


def test_viewer_reads_without_edit_links(client, viewer, member):
    client.force_login(viewer)
    for page in READ_PAGES:
        response = client.get(page.format(pk=member.pk))
        assert response.status_code == 200, page
        body = response.content.decode()
        assert "/militia/members/new/" not in body, page
        assert f"/militia/members/{member.pk}/edit/" not in body, page


def test_viewer_may_not_write(client, viewer, member):
    client.force_login(viewer)
    data = {"confirm": "on", "status": "moved", "exit_date": dmy(today()), "exit_reason": "x", "squad": "Đổi"}
    for page in WRITE_PAGES:
        url = page.format(pk=member.pk)
        assert client.get(url).status_code == 403, page
        assert client.post(url, data).status_code == 403, page
    member.refresh_from_db()
    assert (member.status, member.squad) == (MemberStatus.ACTIVE, "Tiểu đội 1")
    assert not MilitiaMember.objects.exclude(pk=member.pk).exists()


def test_outsider_gets_404_on_another_communes_member(client, outsider, member):
    client.force_login(outsider)
    data = {"confirm": "on", "status": "moved", "exit_date": dmy(today()), "exit_reason": "x", "squad": "Đổi"}
    for page in ["/militia/members/{pk}/", "/militia/members/{pk}/edit/", "/militia/members/{pk}/end/"]:
        url = page.format(pk=member.pk)
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 404, page
            assert "Nguyễn Văn Đức" not in response.content.decode(), page
    member.refresh_from_db()
    assert (member.status, member.squad) == (MemberStatus.ACTIVE, "Tiểu đội 1")


def test_outsider_sees_only_own_commune(client, outsider, member, lb_member):
    client.force_login(outsider)
    assert listed(client.get("/militia/members/")) == ["Vàng Seo Páo"]
    assert "Nguyễn Văn Đức" not in client.get("/militia/").content.decode()


def test_commander_reads_but_may_not_write(client, commander, member, lb_member):
    client.force_login(commander)
    assert sorted(listed(client.get("/militia/members/"))) == ["Nguyễn Văn Đức", "Vàng Seo Páo"]
    assert client.get(f"/militia/members/{member.pk}/").status_code == 200
    assert client.get("/militia/members/new/").status_code == 403
    assert client.get(f"/militia/members/{member.pk}/edit/").status_code == 403


def test_it_answers_404_for_a_missing_member(client, officer, tree):
    client.force_login(officer)
    assert client.get("/militia/members/999999/").status_code == 404


def test_detail_shows_the_person_and_the_membership(client, officer, member):
    client.force_login(officer)
    body = client.get(f"/militia/members/{member.pk}/").content.decode()
    assert "Nguyễn Văn Đức" in body and member.person.national_id in body
    assert "Local militia" in body
    assert dmy(member.joined_on) in body and dmy(member.term_ends_on) in body
    assert f'href="/militia/members/{member.pk}/edit/"' in body
    assert f'href="/militia/members/{member.pk}/end/"' in body


# --- Enlisting through the page ------------------------------------------------------------------


def member_data(unit, **overrides):
    """POST data of the enlist form as a browser sends it (no person chosen yet)."""
    data = {
        "person_national_id": "",
        "unit": unit.pk,
        "force_type": ForceType.objects.get(code="tai_cho").pk,
        "is_core": "on",
        "platoon": "Trung đội 1",
        "squad": "Tiểu đội 2",
        "position": "soldier",
        "joined_on": dmy(today() - 10 * DAY),
        "extension_years": "0",
        "extension_decision": "",
        "last_trained_year": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def new_person_data(home_unit, **overrides):
    """The embedded person form, its fields prefixed `p-`."""
    return {f"p-{key}": value for key, value in person_form_data(home_unit, **overrides).items()}


def test_officer_enlists_a_person_found_by_national_id(client, officer, tree):
    person = PersonFactory(full_name="Lục Văn Kiên", home_unit=tree["vq_hamlet2"])
    client.force_login(officer)
    response = client.post(
        "/militia/members/new/", member_data(tree["vinh_quang"], person_national_id=person.national_id)
    )
    member = MilitiaMember.objects.get()
    assert response.status_code == 302
    assert response.url == f"/militia/members/{member.pk}/"
    assert (member.person, member.unit, member.squad, member.status) == (
        person,
        tree["vinh_quang"],
        "Tiểu đội 2",
        MemberStatus.ACTIVE,
    )
    assert member.term_ends_on == years_before(member.joined_on, -4) - DAY
    assert Person.objects.count() == 1
    detail = client.get(response.url).content.decode()
    assert "Lục Văn Kiên" in detail and "created the record" in detail


def test_officer_enlists_a_new_person_in_the_same_form(client, officer, tree):
    client.force_login(officer)
    data = {
        **member_data(tree["vinh_quang"]),
        **new_person_data(tree["vq_hamlet"], full_name=" Hoàng  Văn   Thắng ", birth_date="03/02/2001"),
    }
    response = client.post("/militia/members/new/", data)
    assert response.status_code == 302
    member = MilitiaMember.objects.select_related("person").get()
    assert member.person.full_name == "Hoàng Văn Thắng"
    assert member.person.birth_date == datetime.date(2001, 2, 3)
    assert member.person.home_unit == tree["vq_hamlet"]
    assert response.url == f"/militia/members/{member.pk}/"


def test_a_17_year_old_is_refused_and_nothing_is_saved(client, officer, tree):
    client.force_login(officer)
    joined = today() - 10 * DAY
    birth = years_before(joined, 17)
    data = {
        **member_data(tree["vinh_quang"], joined_on=dmy(joined)),
        **new_person_data(tree["vq_hamlet"], full_name="Hoàng Văn Nhỏ", birth_date=dmy(birth)),
    }
    response = client.post("/militia/members/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "48/2019 art. 8.1" in body
    assert "Nothing has been saved yet." in body
    assert not Person.objects.exists()
    assert not MilitiaMember.objects.exists()
    # What the officer typed is still there to fix, and no hidden link to the person that was not saved.
    assert 'name="p-full_name" value="Hoàng Văn Nhỏ"' in body
    assert 'name="person_id" value' not in body
    data["p-birth_date"] = dmy(years_before(joined, 19))
    response = client.post("/militia/members/new/", data)
    assert response.status_code == 302
    assert MilitiaMember.objects.get().person == Person.objects.get(full_name="Hoàng Văn Nhỏ")


def test_the_refusal_names_the_rule_in_vietnamese_too(client, officer, tree):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=years_before(today(), 17))
    client.force_login(officer)
    response = client.post(
        "/militia/members/new/",
        member_data(tree["vinh_quang"], person_national_id=person.national_id, joined_on=dmy(today())),
    )
    assert response.status_code == 200
    assert "Khoản 1 Điều 8 Luật Dân quân tự vệ năm 2019" in response.content.decode()
    assert not MilitiaMember.objects.exists()


def test_a_person_placed_in_a_reserve_unit_is_refused_with_art_10_3(client, officer, tree):
    post = ReservePostFactory(reserve_unit=ReserveUnitFactory(name="Đại đội 3", district=tree["district"]))
    reservist = ReservistFactory(person__home_unit=tree["vq_hamlet"], post=post)
    client.force_login(officer)
    response = client.post(
        "/militia/members/new/", member_data(tree["vinh_quang"], person_national_id=reservist.person.national_id)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "48/2019 art. 10.3" in body and "Đại đội 3" in body
    assert not MilitiaMember.objects.exists()


def test_a_second_active_membership_is_refused(client, officer, member, tree):
    client.force_login(officer)
    response = client.post(
        "/militia/members/new/", member_data(tree["vinh_quang"], person_national_id=member.person.national_id)
    )
    assert response.status_code == 200
    assert "already has an active militia membership" in response.content.decode()
    assert MilitiaMember.objects.count() == 1


def test_a_national_id_outside_the_officers_units_is_not_found(client, officer, lb_person, tree):
    client.force_login(officer)
    response = client.post(
        "/militia/members/new/", member_data(tree["vinh_quang"], person_national_id=lb_person.national_id)
    )
    assert response.status_code == 200
    assert "No person with this national ID in your units." in response.content.decode()
    assert not MilitiaMember.objects.exists()


def test_neither_a_national_id_nor_a_new_person_is_refused(client, officer, tree):
    client.force_login(officer)
    response = client.post("/militia/members/new/", member_data(tree["vinh_quang"]))
    assert response.status_code == 200
    assert "Pick an existing person by national ID" in response.content.decode()
    assert not MilitiaMember.objects.exists() and not Person.objects.exists()


def test_officer_cannot_enlist_into_another_commune(client, officer, tree):
    client.force_login(officer)
    data = {**member_data(tree["ly_bon"]), **new_person_data(tree["vq_hamlet"])}
    response = client.post("/militia/members/new/", data)
    assert response.status_code == 200
    assert not MilitiaMember.objects.exists() and not Person.objects.exists()


def test_the_create_page_can_preset_a_person(client, officer, vq_person):
    client.force_login(officer)
    body = client.get(f"/militia/members/new/?person={vq_person.pk}").content.decode()
    assert f'name="person_id" value="{vq_person.pk}"' in body and "Nguyễn Văn Đức" in body


# --- Editing ------------------------------------------------------------------------------------


def edit_data(member, **overrides):
    data = member_data(
        member.unit,
        force_type=member.force_type.pk,
        squad=member.squad,
        platoon=member.platoon,
        joined_on=dmy(member.joined_on),
    )
    data.pop("person_national_id")
    data["loaded_version"] = edit_token(member)  # as the page fills its hidden field
    data.update(overrides)
    return data


def test_officer_edits_a_membership_and_the_history_shows_it(client, officer, member):
    officer.first_name, officer.last_name = "Hoàng Văn", "Tuấn"
    officer.save()
    client.force_login(officer)
    response = client.post(
        f"/militia/members/{member.pk}/edit/",
        edit_data(member, squad="Tiểu đội 3", extension_years="2", extension_decision="15/QĐ-UBND"),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.squad == "Tiểu đội 3"
    assert member.term_ends_on == years_before(member.joined_on, -6) - DAY
    body = client.get(f"/militia/members/{member.pk}/").content.decode()
    assert "Hoàng Văn Tuấn" in body
    assert "<del>Tiểu đội 1</del> → <ins>Tiểu đội 3</ins>" in body


def test_an_extension_beyond_two_years_is_refused_on_the_page(client, officer, member):
    client.force_login(officer)
    response = client.post(
        f"/militia/members/{member.pk}/edit/", edit_data(member, extension_years="3", extension_decision="15/QĐ")
    )
    assert response.status_code == 200
    assert "48/2019 art. 8.2" in response.content.decode()
    member.refresh_from_db()
    assert member.extension_years == 0


def test_officer_cannot_move_a_member_to_another_commune(client, officer, member, tree):
    client.force_login(officer)
    response = client.post(f"/militia/members/{member.pk}/edit/", edit_data(member, unit=tree["ly_bon"].pk))
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.unit == tree["vinh_quang"]


# --- Ending a membership ------------------------------------------------------------------------


def end_url(member):
    return f"/militia/members/{member.pk}/end/"


def end_data(**overrides):
    data = {"status": "moved", "exit_date": dmy(today()), "exit_reason": "Chuyển đến Lý Bôn", "confirm": "on"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_end_page_asks_for_confirmation(client, officer, member):
    client.force_login(officer)
    response = client.get(end_url(member))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'method="post"' in body and 'name="confirm"' in body and 'name="exit_reason"' in body
    assert "Nguyễn Văn Đức" in body


def test_a_post_without_confirmation_changes_nothing(client, officer, member):
    client.force_login(officer)
    response = client.post(end_url(member), end_data(confirm=None))
    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.status, member.exit_date, member.exit_reason) == (MemberStatus.ACTIVE, None, "")
    assert member.history.count() == 1


def test_a_post_without_a_reason_changes_nothing(client, officer, member):
    client.force_login(officer)
    assert client.post(end_url(member), end_data(exit_reason="")).status_code == 200
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE


def test_ending_before_joining_is_refused(client, officer, member):
    client.force_login(officer)
    response = client.post(end_url(member), end_data(exit_date=dmy(member.joined_on - DAY)))
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE


def test_officer_ends_a_membership_and_the_history_shows_it(client, officer, member):
    client.force_login(officer)
    response = client.post(end_url(member), end_data())
    assert response.status_code == 302
    assert response.url == f"/militia/members/{member.pk}/"
    member.refresh_from_db()
    assert (member.status, member.exit_date, member.exit_reason) == (
        MemberStatus.MOVED,
        today(),
        "Chuyển đến Lý Bôn",
    )
    body = client.get(response.url).content.decode()
    assert "Chuyển đến Lý Bôn" in body
    assert "<del>Active</del> → <ins>Moved away</ins>" in body
    assert f'href="{end_url(member)}"' not in body
    # The ended membership leaves the default roster but stays behind the status filter.
    assert listed(client.get("/militia/members/")) == []
    assert listed(client.get("/militia/members/", {"status": "moved"})) == ["Nguyễn Văn Đức"]
    # Ending twice is not possible.
    again = client.post(end_url(member), end_data(status="discharged"))
    assert again.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.MOVED


def test_a_new_membership_lists_the_earlier_one(client, officer, member, tree):
    client.force_login(officer)
    client.post(end_url(member), end_data(status="term_ended", exit_reason="Hết thời hạn"))
    response = client.post(
        "/militia/members/new/",
        member_data(tree["vinh_quang"], person_national_id=member.person.national_id, joined_on=dmy(today())),
    )
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert f'href="/militia/members/{member.pk}/"' in body


# --- Filters -------------------------------------------------------------------------------------


def joined_for_term_ending(ends_on, term_years):
    """The joining date of a term that ends on `ends_on`."""
    return years_before(ends_on + DAY, term_years)


@pytest.fixture
def roster(tree):
    """Members of both communes differing in one attribute at a time."""
    this_year = today().year
    return {
        "young": MilitiaMemberFactory(
            person=PersonFactory(
                full_name="Nguyễn Văn Đức",
                birth_date=years_before(today(), 20),
                ethnicity=ethnicity("Mông"),
                is_party_member=True,
                home_unit=tree["vq_hamlet"],
            ),
            joined_on=joined_for_term_ending(today() + 60 * DAY, 4),
            last_trained_year=this_year,
        ),
        "woman": MilitiaMemberFactory(
            person=PersonFactory(
                full_name="Nông Thị Hoa",
                sex="F",
                birth_date=years_before(today(), 30),
                ethnicity=ethnicity("Tày"),
                home_unit=tree["vq_hamlet2"],
            ),
            force_code="co_dong",
            joined_on=today() - 100 * DAY,
            last_trained_year=this_year - 1,
        ),
        "ly_bon": MilitiaMemberFactory(
            person=PersonFactory(
                full_name="Vàng Seo Páo",
                birth_date=years_before(today(), 40),
                ethnicity=ethnicity("Mông"),
                is_party_member=True,
                home_unit=tree["lb_hamlet"],
            ),
            force_code="thuong_truc",
            joined_on=today() - 200 * DAY,
            last_trained_year=this_year,
        ),
        "ended": MilitiaMemberFactory(
            person=PersonFactory(
                full_name="Hoàng Văn Đông", birth_date=years_before(today(), 25), home_unit=tree["vq_hamlet"]
            ),
            joined_on=today() - 1000 * DAY,
            status="term_ended",
            exit_date=today() - 30 * DAY,
            exit_reason="Hết thời hạn",
        ),
    }


# Each case: the query string, the members it must list. One arrangement serves every case.
MEMBER_FILTER_CASES = [
    ({}, {"young", "woman", "ly_bon"}),
    ({"status": ""}, {"young", "woman", "ly_bon", "ended"}),
    ({"status": "term_ended"}, {"ended"}),
    ({"status": "discharged"}, set()),
    ({"commune": "vinh_quang"}, {"young", "woman"}),
    ({"commune": "ly_bon"}, {"ly_bon"}),
    ({"hamlet": "vq_hamlet"}, {"young"}),
    ({"hamlet": "vq_hamlet", "status": ""}, {"young", "ended"}),
    ({"hamlet": "vq_hamlet2"}, {"woman"}),
    ({"force_type": "tai_cho"}, {"young"}),
    ({"force_type": "co_dong"}, {"woman"}),
    ({"force_type": "thuong_truc"}, {"ly_bon"}),
    ({"party": "1"}, {"young", "ly_bon"}),
    ({"party": "0"}, {"woman"}),
    ({"ethnicity": "Mông"}, {"young", "ly_bon"}),
    ({"ethnicity": "Tày"}, {"woman"}),
    ({"age": "18-25"}, {"young"}),
    ({"age": "18-25", "status": ""}, {"young", "ended"}),
    ({"age": "26-35"}, {"woman"}),
    ({"age": "36-45"}, {"ly_bon"}),
    ({"age": "46-60"}, set()),
    ({"ending_within": "3"}, {"young"}),
    ({"ending_within": "1"}, set()),
    ({"ending_within": "24"}, {"young", "ly_bon"}),
    ({"not_trained": "on"}, {"woman"}),
    ({"q": "nguyen van duc"}, {"young"}),
    ({"q": "NONG THI"}, {"woman"}),
    ({"q": "đông", "status": ""}, {"ended"}),
    ({"q": "pao"}, {"ly_bon"}),
    ({"commune": "vinh_quang", "party": "1", "force_type": "tai_cho"}, {"young"}),
]


def test_each_filter_narrows_the_roster(client, district_officer, roster, tree):
    client.force_login(district_officer)
    for params, expected in MEMBER_FILTER_CASES:
        query = {}
        for key, value in params.items():
            if key in ("commune", "hamlet"):
                value = tree[value].pk
            elif key == "ethnicity":
                value = ethnicity(value).pk
            elif key == "force_type":
                value = ForceType.objects.get(code=value).pk
            query[key] = value
        names = sorted(listed(client.get("/militia/members/", query)))
        assert names == sorted(roster[key].person.full_name for key in expected), params


def test_the_search_box_does_not_take_national_ids(client, district_officer, roster):
    """National IDs never travel in an address: they are looked up by POST on the people page."""
    client.force_login(district_officer)
    national_id = roster["woman"].person.national_id
    assert listed(client.get("/militia/members/", {"q": national_id})) == []


def test_the_filters_live_in_the_url(client, officer, roster, tree):
    client.force_login(officer)
    query = {"hamlet": tree["vq_hamlet"].pk, "party": "1", "not_trained": ""}
    body = client.get("/militia/members/", query).content.decode()
    assert re.search(r'<form method="get"[^>]*role="search"', body)
    # A sort heading and the export links keep the filters, so the filtered list can be bookmarked and exported.
    assert f'href="?hamlet={tree["vq_hamlet"].pk}&amp;party=1&amp;not_trained=&amp;sort=birth_date"' in body
    assert f'href="/militia/members/export.xlsx?hamlet={tree["vq_hamlet"].pk}&amp;party=1' in body
    assert re.search(r'<option value="1" selected>', body)


def test_an_officer_sees_only_own_commune_even_when_filtering_another(client, officer, roster, tree):
    client.force_login(officer)
    response = client.get("/militia/members/", {"commune": tree["ly_bon"].pk})
    assert "Vàng Seo Páo" not in response.content.decode()
    assert "Some filters were not understood" in response.content.decode()


def test_htmx_gets_only_the_results(client, officer, roster):
    client.force_login(officer)
    response = client.get("/militia/members/", {"q": "duc"}, headers={"HX-Request": "true", "HX-Target": "results"})
    body = response.content.decode()
    assert listed(response) == ["Nguyễn Văn Đức"]
    assert "<html" not in body and 'role="search"' not in body


def test_it_sorts(client, district_officer, roster):
    client.force_login(district_officer)
    for sort, expected in [
        ("name", ["Nguyễn Văn Đức", "Nông Thị Hoa", "Vàng Seo Páo"]),
        ("-birth_date", ["Nguyễn Văn Đức", "Nông Thị Hoa", "Vàng Seo Páo"]),
        ("birth_date", ["Vàng Seo Páo", "Nông Thị Hoa", "Nguyễn Văn Đức"]),
        ("term_ends_on", ["Nguyễn Văn Đức", "Vàng Seo Páo", "Nông Thị Hoa"]),
        ("commune", ["Vàng Seo Páo", "Nguyễn Văn Đức", "Nông Thị Hoa"]),
    ]:
        assert listed(client.get("/militia/members/", {"sort": sort})) == expected, sort


def test_it_paginates_and_keeps_the_filters(client, officer, tree):
    for n in range(settings.PAGE_SIZE + 5):
        MilitiaMemberFactory(person=PersonFactory(full_name=f"Lầu A Tủa {n:02d}", home_unit=tree["vq_hamlet"]))
    client.force_login(officer)
    first = client.get("/militia/members/", {"q": "tua"})
    assert len(listed(first)) == settings.PAGE_SIZE
    assert 'href="?q=tua&page=2"' in first.content.decode()
    assert listed(client.get("/militia/members/", {"q": "tua", "page": 2})) == [
        f"Lầu A Tủa {n:02d}" for n in range(settings.PAGE_SIZE, settings.PAGE_SIZE + 5)
    ]


# --- Cost ----------------------------------------------------------------------------------------


def make_members(tree, count, start=0):
    ethnic_groups = [ethnicity("Mông"), ethnicity("Tày"), ethnicity("Dao")]
    hamlets = [tree["vq_hamlet"], tree["vq_hamlet2"]]
    codes = ["tai_cho", "co_dong", "thuong_truc"]
    for n in range(start, start + count):
        MilitiaMemberFactory(
            person=PersonFactory(home_unit=hamlets[n % 2], ethnicity=ethnic_groups[n % 3], is_party_member=n % 4 == 0),
            force_code=codes[n % 3],
            is_volunteer=n % 5 == 0,
            last_trained_year=today().year if n % 2 else None,
        )


@pytest.mark.parametrize("params", [{}, {"q": "ly van", "party": "0", "age": "26-35", "sort": "-term_ends_on"}])
def test_the_list_costs_the_same_for_5_and_50_members(client, officer, tree, params):
    client.force_login(officer)
    make_members(tree, 5)
    client.get("/militia/members/", params)  # warm the session and the content types
    with cold_queries() as small:
        shown_small = listed(client.get("/militia/members/", params))
    make_members(tree, 45, start=5)
    with cold_queries() as large:
        shown_large = listed(client.get("/militia/members/", params))
    assert len(shown_small) < len(shown_large) == settings.PAGE_SIZE
    assert len(small) == len(large), [q["sql"] for q in large.captured_queries]


def test_an_edit_conflict_is_told_once(client, officer, member):
    """Another officer saved the membership after this one opened it: the refusal shows once on the page."""
    data = edit_data(member, squad="Tiểu đội 3")
    services.member_update(user=officer, member=member, loaded_version=edit_token(member), platoon="Trung đội 9")
    client.force_login(officer)
    response = client.post(f"/militia/members/{member.pk}/edit/", data)
    assert response.status_code == 409
    body = response.content.decode()
    assert body.count("after you opened it") == 1
