"""Who signs a unit's documents, stored as data (units.Officeholder): a term per holder of an office, one
holder per office and day, a deputy signing «KT.»; recorded by the unit's officers on the «Who signs» page,
within their units only, and in the admin."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.caches import places
from units.models import Office, Officeholder
from units.selectors import Signers, officeholder_on
from units.services import officeholder_save

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def chairs(tree):
    """Two chairs of Vĩnh Quang's People's Committee, one after the other."""
    commune = tree["vinh_quang"]
    return (
        Officeholder.objects.create(
            unit=commune,
            office=Office.COMMITTEE_CHAIR,
            full_name="Nông Văn Cũ",
            start=D(2021, 7, 1),
            end=D(2026, 6, 30),
        ),
        Officeholder.objects.create(
            unit=commune, office=Office.COMMITTEE_CHAIR, full_name="Hoàng Thị Mới", start=D(2026, 7, 1)
        ),
    )


def test_the_holder_on_a_day_is_the_one_whose_term_covers_it(tree, chairs):
    old, new = chairs
    commune = tree["vinh_quang"]
    assert officeholder_on(unit=commune, office=Office.COMMITTEE_CHAIR, on=D(2025, 3, 1)) == old
    assert officeholder_on(unit=commune, office=Office.COMMITTEE_CHAIR, on=D(2026, 6, 30)) == old
    assert officeholder_on(unit=commune, office=Office.COMMITTEE_CHAIR, on=D(2026, 7, 1)) == new
    assert officeholder_on(unit=commune, office=Office.COMMITTEE_CHAIR, on=D(2021, 6, 30)) is None
    assert officeholder_on(unit=commune, office=Office.COMMANDER, on=D(2026, 7, 1)) is None
    book = Signers(units=[commune], office=Office.COMMITTEE_CHAIR)
    names = {"signer_name": "", "signer_title": "CHỦ TỊCH"}
    assert book.sign(names, unit=commune, day=D(2025, 3, 1))["signer_name"] == "Nông Văn Cũ"
    assert book.sign(names, unit=commune, day=D(2026, 12, 1))["signer_name"] == "Hoàng Thị Mới"
    assert book.sign(names, unit=commune, day=D(2026, 12, 1), typed="Lò Văn Khác")["signer_name"] == "Lò Văn Khác"


def test_one_holder_per_office_and_day(tree, chairs):
    clash = Officeholder(
        unit=tree["vinh_quang"], office=Office.COMMITTEE_CHAIR, full_name="Lò Văn Ba", start=D(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert error.value.messages == [  # the message as a Vietnamese user reads it
        "Nông Văn Cũ đang giữ chức vụ này của Vĩnh Quang trong một số ngày đã chọn; "
        "hãy kết thúc nhiệm kỳ của người đó trước."
    ]
    # Another office, or another unit, the same days: fine.
    Officeholder(
        unit=tree["vinh_quang"], office=Office.COMMANDER, full_name="Lò Văn Ba", start=D(2026, 1, 1)
    ).full_clean()
    Officeholder(
        unit=tree["ly_bon"], office=Office.COMMITTEE_CHAIR, full_name="Lò Văn Ba", start=D(2026, 1, 1)
    ).full_clean()
    backwards = Officeholder(
        unit=tree["ly_bon"], office=Office.COMMANDER, full_name="Lò Văn Ba", start=D(2026, 1, 1), end=D(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        backwards.full_clean()
    assert "end" in error.value.message_dict


def test_a_deputy_signs_for_the_head(tree):
    deputy = Officeholder(unit=tree["vinh_quang"], office=Office.COMMITTEE_CHAIR, full_name="A", title="Phó Chủ tịch")
    assert deputy.signer_title == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    head = Officeholder(unit=tree["vinh_quang"], office=Office.COMMANDER, full_name="B", title="")
    assert head.signer_title == "CHỈ HUY TRƯỞNG"


# --- The service ------------------------------------------------------------------------------------------


def test_recording_a_signer_moves_the_units_places_only(moved, officer, tree):
    with moved() as keys:
        officeholder_save(
            user=officer, unit=tree["vinh_quang"], office=Office.COMMANDER, full_name="Lò Văn Ba", start=D(2026, 1, 1)
        )
    assert keys == places(tree["vinh_quang"], records={"units"})


def test_an_officer_records_no_signer_for_another_commune(moved, officer, tree):
    with moved() as keys, pytest.raises(PermissionDenied):
        officeholder_save(
            user=officer, unit=tree["ly_bon"], office=Office.COMMANDER, full_name="Lò Văn Ba", start=D(2026, 1, 1)
        )
    assert keys == set() and not Officeholder.objects.exists()


# --- The pages --------------------------------------------------------------------------------------------


def test_a_commune_officer_records_the_new_chair_and_ends_the_old_term(client, officer, tree):
    old = Officeholder.objects.create(
        unit=tree["vinh_quang"], office=Office.COMMITTEE_CHAIR, full_name="Nông Văn Cũ", start=D(2021, 7, 1)
    )
    client.force_login(officer)
    listing = client.get(reverse("signers:list")).content.decode()
    assert "Nông Văn Cũ" in listing and 'id="signer-add"' in listing
    form = {
        "unit": tree["vinh_quang"].pk,
        "office": "committee_chair",
        "full_name": "Hoàng Thị Mới",
        "title": "",
        "start": "01/07/2026",
        "end": "",
    }
    refused = client.post(reverse("signers:create"), form)
    assert refused.status_code == 200 and "end their term first" in refused.content.decode()
    ended = client.post(
        reverse("signers:update", args=[old.pk]),
        {**form, "full_name": "Nông Văn Cũ", "start": "01/07/2021", "end": "30/06/2026"},
    )
    assert ended.status_code == 302
    assert client.post(reverse("signers:create"), form).status_code == 302
    holders = list(Officeholder.objects.order_by("start").values_list("full_name", "end"))
    assert holders == [("Nông Văn Cũ", D(2026, 6, 30)), ("Hoàng Thị Mới", None)]
    assert Officeholder.objects.get(full_name="Hoàng Thị Mới").history.get().history_user == officer


def test_the_signers_of_another_commune_are_out_of_reach(client, officer, outsider, viewer, tree):
    theirs = Officeholder.objects.create(
        unit=tree["ly_bon"], office=Office.COMMANDER, full_name="Vàng Seo Lử", start=D(2024, 1, 1)
    )
    client.force_login(officer)
    assert "Vàng Seo Lử" not in client.get(reverse("signers:list")).content.decode()
    assert client.get(reverse("signers:update", args=[theirs.pk])).status_code == 404
    form = {"unit": tree["ly_bon"].pk, "office": "commander", "full_name": "X", "start": "01/01/2026"}
    response = client.post(reverse("signers:create"), form)
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert Officeholder.objects.count() == 1
    client.force_login(viewer)
    assert client.get(reverse("signers:create")).status_code == 403
    assert 'id="signer-add"' not in client.get(reverse("signers:list")).content.decode()
    client.force_login(outsider)  # Lý Bôn's officer edits Lý Bôn's
    assert client.get(reverse("signers:update", args=[theirs.pk])).status_code == 200


def test_the_admin_lists_and_keeps_the_signers(client, superuser, tree):
    holder = Officeholder.objects.create(
        unit=tree["vinh_quang"], office=Office.COMMANDER, full_name="Lò Văn Ba", start=D(2024, 1, 1)
    )
    client.force_login(superuser)
    assert "Lò Văn Ba" in client.get("/admin/units/officeholder/").content.decode()
    assert client.get(f"/admin/units/officeholder/{holder.pk}/change/").status_code == 200


def test_a_long_list_of_signers_comes_in_pages(client, officer, tree, settings):
    settings.PAGE_SIZE = 3
    for n in range(4):  # four past terms, one after the other
        Officeholder.objects.create(
            unit=tree["vinh_quang"],
            office=Office.COMMANDER,
            full_name=f"Người ký số {n}",
            start=D(2010 + 2 * n, 1, 1),
            end=D(2011 + 2 * n, 12, 31),
        )
    client.force_login(officer)
    first = client.get(reverse("signers:list")).content.decode()
    second = client.get(reverse("signers:list") + "?page=2").content.decode()
    assert first.count("Người ký số ") == 3 and second.count("Người ký số ") == 1
    assert 'rel="next"' in first
