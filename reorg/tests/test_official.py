"""Mergers proposed from the official conversion of 2025: the Bảo Lâm tree (load_reference, thirteen communes
by their official codes) gets the six groups of the reform, each opening the merge preview filled in; one
applied shows as done."""

import datetime
import io

import lxml.html
import pytest
from django.core.management import call_command

from reorg import official, proposals
from tests.factories import UnitFactory, UserFactory, make_user_with_role
from units.models import Restructuring, Unit
from units.roles import Role

pytestmark = pytest.mark.django_db

URL = "/units/official/"
BASIS = {"on": "01/07/2025", "basis_number": "1667/NQ-UBTVQH15", "basis_date": "16/06/2025"}
# The conversion of the issue (Nghị quyết 1667/NQ-UBTVQH15): new commune (code, name) ← old communes' codes.
REFORM = {
    ("01290", "Bảo Lâm"): {"01290", "01309", "01312"},  # Pác Miầu + Vĩnh Phong + Mông Ân
    ("01294", "Lý Bôn"): {"01294", "01300"},  # Lý Bôn + Vĩnh Quang
    ("01297", "Nam Quang"): {"01296", "01297"},  # Nam Cao + Nam Quang
    ("01304", "Quảng Lâm"): {"01303", "01304"},  # Quảng Lâm + Thạch Lâm
    ("01318", "Yên Thổ"): {"01315", "01316", "01318"},  # Thái Học + Thái Sơn + Yên Thổ
    ("01324", "Cốc Pàng"): {"01291"},  # Đức Hạnh (+ Cốc Pàng of Bảo Lạc, not in the portal)
}


@pytest.fixture
def baolam(db):
    call_command("load_reference", stdout=io.StringIO())
    district = Unit.objects.get(code="042")
    return {
        "province": Unit.objects.get(code="04"),
        "district": district,
        "officer": make_user_with_role("trolyhuyen", district, Role.DISTRICT_OFFICER),
    }


def _proposed(items):
    return {(p.commune.code, p.commune.name): {u.code for u in p.merged_units} for p in items if p.state == "pending"}


def test_the_official_data_gives_the_six_groups_of_the_reform():
    old_codes = {code for group in REFORM.values() for code in group}
    communes = {(c.code, c.name): set(c.old_codes) for c in official.new_communes_of(old_codes)}
    assert {key: codes - {"01324"} for key, codes in communes.items()} == REFORM
    coc_pang = official.new_commune("01324")
    assert [(o.code, o.name, o.district) for o in coc_pang.olds] == [
        ("01291", "Xã Đức Hạnh", "Huyện Bảo Lâm"),
        ("01324", "Xã Cốc Pàng", "Huyện Bảo Lạc"),
    ]
    assert coc_pang.full_name == "Xã Cốc Pàng" and coc_pang.province == "Tỉnh Cao Bằng"
    assert coc_pang.other_source == ()  # both packages agree


def test_a_divided_ward_and_a_disagreement_of_the_two_lists_are_said():
    # Long Bình (Cần Thơ): the old Xã Long Bình of Long Mỹ was divided; the second list leaves out 31744.
    commune = official.new_commune("31473")
    divided = {o.code: o for o in commune.olds}["31474"]
    assert divided.divided and divided.default and divided.shared_with == ("31741",)
    assert not {o.code: o for o in commune.olds}["31744"].default
    assert commune.other_source == ("31473", "31474", "31475")


def test_the_district_officer_is_proposed_the_six_mergers(baolam):
    items = proposals.proposals_for(user=baolam["officer"])
    assert _proposed(items) == REFORM
    lybon = next(p for p in items if p.commune.code == "01294")
    assert lybon.first.name == "Lý Bôn"  # the unit that keeps the code carries the merger
    assert lybon.parent == baolam["district"]  # the province is not among the officer's units
    coc_pang = next(p for p in items if p.commune.code == "01324")
    outside = next(s for s in coc_pang.sources if s.old.code == "01324")
    assert outside.unit is None and not outside.merged


def test_an_administrator_places_the_new_communes_under_the_province(baolam):
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    items = proposals.proposals_for(user=admin)
    assert {p.parent for p in items} == {baolam["province"]}


def _proposal_form(page, code):
    """The proposal's form on the page: its address and the fields it posts."""
    form = lxml.html.fromstring(page).xpath(f'//li[@data-code="{code}"]//form')[0]
    data = {}
    for field in form.xpath(".//input"):
        data.setdefault(field.get("name"), []).append(field.get("value"))
    data["preview"] = ["1"]
    return form.get("action"), data


def test_a_proposal_opens_the_preview_filled_in_and_then_shows_as_done(client, baolam):
    client.force_login(baolam["officer"])
    response = client.get(URL, BASIS)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đề xuất sắp xếp theo dữ liệu chính thức" in page
    assert len(lxml.html.fromstring(page).xpath('//ul[@id="proposals-pending"]//form')) == 6
    action, data = _proposal_form(page, "01294")
    preview = client.post(action, data)
    body = preview.content.decode()
    assert preview.status_code == 200 and 'id="plan-moves"' in body  # the preview, nothing written yet
    assert "Vĩnh Quang" in body and "Lý Bôn" in body and "01/07/2025" in body
    assert not Restructuring.objects.exists()
    confirm = {**{k: v for k, v in data.items() if k != "preview"}, "confirm": ["1"]}
    assert client.post(action, confirm).status_code == 302
    new = Unit.objects.get(code="01294", valid_to__isnull=True)
    assert (new.name, new.valid_from, new.parent) == ("Lý Bôn", datetime.date(2025, 7, 1), baolam["district"])
    assert set(new.predecessors.values_list("code", flat=True)) == {"01294", "01300"}
    page = client.get(URL).content.decode()
    tree = lxml.html.fromstring(page)
    assert tree.xpath('//ul[@id="proposals-done"]/li/@data-code') == ["01294"]
    assert len(tree.xpath('//ul[@id="proposals-pending"]//form')) == 5
    assert "đã xong" in tree.xpath('//ul[@id="proposals-done"]/li')[0].text_content()
    assert "đã mang mã mới" not in tree.xpath('//ul[@id="proposals-done"]/li')[0].text_content()


def test_the_rest_of_a_group_merges_into_the_commune_already_formed(baolam):
    from reorg import services
    from reorg.services import Basis, NewUnit

    sources = [Unit.objects.get(code="01290", valid_to__isnull=True)]
    kind = Unit.objects.get(code="01291").kind
    basis = Basis(number="1667/NQ-UBTVQH15", date=datetime.date(2025, 6, 16))
    into = NewUnit(name="Bảo Lâm", code="01290", kind=kind, parent=baolam["district"])
    services.unit_merge(sources=sources, into=into, on=datetime.date(2025, 7, 1), basis=basis)
    formed = Unit.objects.get(code="01290", valid_to__isnull=True)
    proposal = next(p for p in proposals.proposals_for(user=baolam["officer"]) if p.commune.code == "01290")
    assert proposal.state == proposals.PENDING and proposal.into == formed
    assert {u.code for u in proposal.merged_units} == {"01309", "01312"}
    assert dict(proposal.hidden_fields())["into"] == formed.pk


def test_the_basis_typed_on_the_page_is_carried_and_a_missing_one_asked_for(client, baolam):
    client.force_login(baolam["officer"])
    page = client.get(URL).content.decode()
    action, data = _proposal_form(page, "01297")
    assert data["on"] == ["01/07/2025"] and data["basis_number"] == [""]
    response = client.post(action, data)
    assert response.status_code == 200 and 'id="plan-moves"' not in response.content.decode()
    assert response.context["form"].errors["basis_number"]
    assert not Restructuring.objects.exists()


def test_only_an_officer_who_may_reorganise_opens_the_page(client, baolam):
    commune_officer = make_user_with_role("lybon", Unit.objects.get(code="01294"), Role.COMMUNE_OFFICER)
    client.force_login(commune_officer)
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_another_provinces_officer_is_proposed_nothing_of_bao_lam(client, baolam):
    other = UnitFactory(kind_code="district", name="Mèo Vạc", code="027")
    UnitFactory(kind_code="commune", name="Pả Vi", code="00730", parent=other)
    officer = make_user_with_role("meovac", other, Role.DISTRICT_OFFICER)
    items = proposals.proposals_for(user=officer)
    assert [p.commune.code for p in items] and all(
        {s.old.code for s in p.sources if s.unit} == {"00730"} for p in items
    )


def test_the_page_costs_the_same_queries_for_thirteen_communes_or_more(client, baolam, django_assert_max_num_queries):
    client.force_login(baolam["officer"])
    client.get(URL)
    with django_assert_max_num_queries(14) as few:
        client.get(URL)
    # Bảo Lạc's communes in the officer's district: more proposals, Cốc Pàng now with both its old communes.
    for code, name in [("01321", "Bảo Lạc"), ("01324", "Cốc Pàng"), ("01327", "Thượng Hà"), ("01330", "Cô Ba")]:
        UnitFactory(kind_code="commune", name=name, code=code, parent=baolam["district"])
    with django_assert_max_num_queries(14) as many:
        response = client.get(URL)
    assert len(few.captured_queries) == len(many.captured_queries)
    assert len(lxml.html.fromstring(response.content).xpath('//ul[@id="proposals-pending"]/li')) > 6
