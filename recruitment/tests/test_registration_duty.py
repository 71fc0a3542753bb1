"""Who must register (Luật NVQS 2015 Điều 12, 16, 30): the year's first registration with the women whose
profession the army needs (Nghị định 14/2016/NĐ-CP as a dated provision), and the people of a campaign's
communes who had to register by its day and have not, on a campaign in preparation and on a past one."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from people.rules import years_before
from recruitment import rules, selectors, services
from recruitment.models import Candidate, LegalProvision
from tests.factories import CampaignFactory, CandidateFactory, PersonFactory, deferral_ground

from .conftest import HANDOVER

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
ON = datetime.date(2026, 11, 1)  # the 2027 call-up in preparation


def person(tree, name, born, sex="M", occupation="", hamlet="vq_hamlet"):
    return PersonFactory(full_name=name, home_unit=tree[hamlet], birth_date=born, sex=sex, occupation=occupation)


# --- The list of professions -----------------------------------------------------------------------------


def test_an_occupation_matches_a_listed_profession_in_whole_words():
    assert rules.listed_profession("Y sĩ đa khoa", on=ON) == "Y sĩ"
    assert rules.listed_profession("điều dưỡng viên", on=ON) == "Điều dưỡng"
    assert rules.listed_profession("DUOC SI", on=ON) == "Dược sĩ"  # case and diacritics do not matter
    assert rules.listed_profession("Kỹ sư công nghệ thông tin", on=ON) == "Công nghệ thông tin"
    assert rules.listed_profession("Làm ruộng", on=ON) == ""
    assert rules.listed_profession("Luật sư", on=ON) == "Luật"
    assert rules.listed_profession("Luật", on=ON) == "Luật"
    assert rules.listed_profession("Buôn bán", on=ON) == ""  # "bán" is not "báo chí"
    assert rules.listed_profession("", on=ON) == ""


def test_the_list_is_the_version_in_force_on_the_day(tree):
    """An admin who adds a profession from a day on: the day before it is not on the list, the day of it is."""
    current = LegalProvision.objects.get(rule="women_professions")
    switch = datetime.date(2026, 7, 1)
    current.valid_to = switch - DAY
    current.save()
    LegalProvision.objects.create(
        rule="women_professions",
        valid_from=switch,
        citation="Nghị định mới",
        value={"professions": current.value["professions"] + ["Thú y"]},
    )
    assert rules.listed_profession("Bác sĩ thú y", on=switch - DAY) == "Bác sĩ"
    assert rules.listed_profession("Thú y viên", on=switch - DAY) == ""
    assert rules.listed_profession("Thú y viên", on=switch) == "Thú y"
    assert rules.listed_profession("Thú y viên", on=switch + DAY) == "Thú y"


def test_a_woman_registers_only_with_a_profession_on_the_list():
    on = datetime.date(2026, 4, 1)
    born = years_before(on, 18)
    rules.validate_registration(sex="F", birth_date=born, on=on, matching_profession="Điều dưỡng viên")
    with pytest.raises(ValidationError) as exc:
        rules.validate_registration(sex="F", birth_date=born, on=on, matching_profession="Bán hàng")
    assert exc.value.code == "registration_profession_list"
    assert "Nghị định 14/2016/NĐ-CP" in exc.value.messages[0]


# --- The year's first registration ------------------------------------------------------------------------


def test_the_first_registration_lists_men_of_17_and_women_of_18_with_a_listed_profession(campaign, tree, officer):
    turns_18 = years_before(ON, 18)  # 2008-11-01
    man = person(tree, "Sùng Văn Lử", datetime.date(2009, 12, 31))
    nurse = person(tree, "Lý Thị Mai", turns_18, sex="F", occupation="Điều dưỡng")
    person(tree, "Lý Thị Hoa", turns_18 + DAY, sex="F", occupation="Điều dưỡng")  # 18 the day after
    person(tree, "Lò Thị Lan", datetime.date(2008, 3, 1), sex="F", occupation="Làm ruộng")  # not on the list
    person(tree, "Vàng Thị Dính", datetime.date(2007, 3, 1), sex="F", occupation="Y sĩ")  # turned 18 in 2025
    person(tree, "Lầu Văn Chứ", datetime.date(2010, 1, 1))  # 17 next year
    due, professions = selectors.first_registrations(campaign=campaign, user=officer, on=ON)
    assert [p.full_name for p in due] == ["Lý Thị Mai", "Sùng Văn Lử"]
    assert professions == {nurse.pk: "Điều dưỡng"}
    assert man in due


def test_registering_the_year_records_the_womans_profession(campaign, tree, officer):
    nurse = person(tree, "Lý Thị Mai", datetime.date(2008, 1, 5), sex="F", occupation="Y sĩ đa khoa")
    person(tree, "Sùng Văn Lử", datetime.date(2009, 4, 4))
    created = services.candidate_register_seventeen(user=officer, campaign=campaign)
    assert {c.person.full_name: c.matching_profession for c in created} == {"Lý Thị Mai": "Y sĩ", "Sùng Văn Lử": ""}
    assert Candidate.objects.get(person=nurse).stage_changes.get().note.startswith("First registration at 18")


def test_the_first_registration_page_shows_the_women_and_their_profession(client, campaign, tree, officer):
    person(tree, "Lý Thị Mai", datetime.date(2008, 1, 5), sex="F", occupation="Kế toán viên")
    client.force_login(officer)
    page = client.get(f"/recruitment/campaigns/{campaign.pk}/register-17/").content.decode()
    assert "Lý Thị Mai" in page and "Kế toán" in page


# --- Not registered ---------------------------------------------------------------------------------------


@pytest.fixture
def district_people(campaign, tree):
    """Hand count for the 2027 call-up evaluated on 01/11/2026: due and not registered are Lử (17 this year),
    Páo (Lý Bôn), Mai (a nurse of 20); registered earlier: Đức; excluded by art. 13: Dình; too old: Chờ."""
    earlier = CampaignFactory(
        district=tree["district"], year=2026, handover_date=datetime.date(2026, 2, 25), status="closed"
    )
    registered = person(tree, "Nguyễn Văn Đức", datetime.date(2005, 3, 1))
    CandidateFactory(person=registered, campaign=earlier, commune=tree["vinh_quang"], stage="handed_over")
    excluded = person(tree, "Lò Văn Dình", datetime.date(2006, 3, 1))
    services.registration_exclusion_record(
        user=_superuser(), campaign=campaign, person=excluded, ground=deferral_ground("13.1b")
    )
    # 25 on the hand-over day 20/02/2027 if born on 21/02/2001; 26 if born the day before.
    person(tree, "Lù Văn Chờ", years_before(HANDOVER, 26))
    return {
        "Sùng Văn Lử": person(tree, "Sùng Văn Lử", datetime.date(2009, 12, 31)),
        "Vàng Seo Páo": person(tree, "Vàng Seo Páo", years_before(HANDOVER, 26) + DAY, hamlet="lb_hamlet"),
        "Lý Thị Mai": person(tree, "Lý Thị Mai", datetime.date(2006, 5, 5), sex="F", occupation="Điều dưỡng"),
        "Lý Thị Hoa": person(tree, "Lý Thị Hoa", datetime.date(2006, 5, 5), sex="F", occupation="Buôn bán"),
        "Lầu Văn Chứ": person(tree, "Lầu Văn Chứ", datetime.date(2010, 1, 1)),
    }


def _superuser():
    from tests.factories import UserFactory

    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_not_registered_lists_who_had_to_register_and_did_not(campaign, tree, commander, district_people):
    due, professions = selectors.not_registered(campaign=campaign, user=commander, on=ON)
    assert sorted(p.full_name for p in due) == ["Lý Thị Mai", "Sùng Văn Lử", "Vàng Seo Páo"]
    assert professions == {district_people["Lý Thị Mai"].pk: "Điều dưỡng"}


def test_not_registered_of_a_past_campaign_on_its_hand_over_day(tree, commander):
    """The call-up handed over on 25/02/2024: men born in 2006 or earlier, 25 at most on 25/02/2024."""
    past = CampaignFactory(district=tree["district"], year=2024, handover_date=datetime.date(2024, 2, 25))
    person(tree, "Sùng Văn Lử", datetime.date(2006, 12, 31))  # 17 in 2023, the preparation year
    person(tree, "Lầu Văn Chứ", datetime.date(2007, 1, 1))  # 17 in 2024: not yet due
    person(tree, "Lù Văn Chờ", datetime.date(1998, 2, 25))  # 26 on the hand-over day
    person(tree, "Lò Văn Páo", datetime.date(1998, 2, 26))  # 25 on it
    assert selectors.registration_day(past) == datetime.date(2024, 2, 25)
    due, _professions = selectors.not_registered(campaign=past, user=commander)
    assert sorted(p.full_name for p in due) == ["Lò Văn Páo", "Sùng Văn Lử"]


def test_the_not_registered_page_keeps_to_the_users_communes(client, campaign, tree, officer, district_people):
    client.force_login(officer)
    url = f"/recruitment/campaigns/{campaign.pk}/not-registered/"
    page = client.get(url).content.decode()
    assert "Sùng Văn Lử" in page and "Lý Thị Mai" in page and "Điều dưỡng" in page
    assert "Vàng Seo Páo" not in page  # Lý Bôn is not the officer's commune
    assert "Nguyễn Văn Đức" not in page and "Lò Văn Dình" not in page
    campaign_page = client.get(f"/recruitment/campaigns/{campaign.pk}/").content.decode()
    assert f'href="{url}"' in campaign_page


def test_the_not_registered_page_pages_and_filters_by_commune(client, campaign, tree, commander, settings):
    settings.PAGE_SIZE = 2
    for day in range(1, 6):
        person(tree, f"Người {day}", datetime.date(2009, 1, day))
    person(tree, "Vàng Seo Páo", datetime.date(2009, 2, 1), hamlet="lb_hamlet")
    client.force_login(commander)
    url = f"/recruitment/campaigns/{campaign.pk}/not-registered/"
    first = client.get(url)
    assert first.context["page"].paginator.count == 6
    assert len(first.context["page"].object_list) == 2
    filtered = client.get(url, {"commune": tree["ly_bon"].pk})
    assert [p.full_name for p in filtered.context["page"].object_list] == ["Vàng Seo Páo"]
    assert client.get(url, {"page": "999", "commune": "x"}).status_code == 200


def test_the_not_registered_list_exports_to_excel(client, campaign, tree, district_officer, district_people):
    client.force_login(district_officer)
    url = f"/recruitment/campaigns/{campaign.pk}/not-registered/export.xlsx"
    response = client.get(url, {"commune": tree["vinh_quang"].pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Họ và tên" and rows[0][-1] == "Ngành nghề phù hợp"
    assert sorted(r[1] for r in rows[1:]) == ["Lý Thị Mai", "Sùng Văn Lử"]
    assert [r[-1] for r in rows[1:] if r[1] == "Lý Thị Mai"] == ["Điều dưỡng"]


def test_the_not_registered_pages_need_a_login(client, campaign, viewer):
    url = f"/recruitment/campaigns/{campaign.pk}/not-registered/"
    assert client.get(url).status_code == 302
    assert client.get(url + "export.xlsx").status_code == 302
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    assert client.get(url + "export.csv").status_code == 200
    assert client.get(url + "export.pdf").status_code == 404


def test_a_woman_picked_from_the_list_comes_with_her_profession_to_confirm(client, campaign, tree, officer):
    nurse = person(tree, "Lý Thị Mai", datetime.date(2006, 5, 5), sex="F", occupation="Điều dưỡng viên")
    client.force_login(officer)
    response = client.get(f"/recruitment/campaigns/{campaign.pk}/register/", {"person": nurse.pk})
    page = response.content.decode()
    assert response.context["form"].initial["matching_profession"] == "Điều dưỡng"
    assert '<datalist id="women-professions">' in page and '<option value="Kế toán">' in page
