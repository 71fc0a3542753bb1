"""The unit pages and the reorganisation forms: preview first, then confirm; the right role only."""

import pytest

from units.models import Restructuring, Unit

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def _merge_data(world, **extra):
    data = {
        "others": [world["ly_bon"].pk],
        "into": "",
        "new_name": "Lý Bôn",
        "new_code": "01294",
        "new_kind": world["ly_bon"].kind_id,
        "new_parent": world["district"].pk,
        "on": "01/07/2025",
        "basis_number": "1667/NQ-UBTVQH15",
        "basis_date": "16/06/2025",
    }
    data.update(extra)
    return data


def test_it_requires_login(client, world):
    response = client.get(f"/units/{world['vinh_quang'].pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_district_officer_sees_the_actions(client, world):
    response = _client(client, world["district_officer"]).get(f"/units/{world['vinh_quang'].pk}/")
    assert response.status_code == 200
    assert 'id="unit-actions"' in response.content.decode()


def test_commune_officer_sees_no_action_and_is_refused(client, world):
    c = _client(client, world["vq_officer"])
    response = c.get(f"/units/{world['vinh_quang'].pk}/")
    assert response.status_code == 200 and 'id="unit-actions"' not in response.content.decode()
    assert c.get(f"/units/{world['vinh_quang'].pk}/merge/").status_code == 403
    assert c.post(f"/units/{world['vinh_quang'].pk}/merge/", _merge_data(world, confirm="1")).status_code == 403
    assert Unit.objects.get(pk=world["vinh_quang"].pk).valid_to is None


def test_an_outsider_gets_404(client, world):
    c = _client(client, world["lb_officer"])
    assert c.get(f"/units/{world['vinh_quang'].pk}/").status_code == 404


def test_preview_then_confirm(client, world):
    c = _client(client, world["district_officer"])
    url = f"/units/{world['vinh_quang'].pk}/merge/"
    assert c.get(url).status_code == 200
    response = c.post(url, _merge_data(world, preview="1"))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="plan-moves"' in page
    assert "Lò Văn Dũng" in page  # the serving militia member, by name
    assert Unit.objects.get(pk=world["vinh_quang"].pk).valid_to is None  # nothing written yet
    response = c.post(url, _merge_data(world, confirm="1"))
    new = Unit.objects.get(code="01294", valid_to__isnull=True)
    assert response.status_code == 302 and response["Location"] == f"/units/{new.pk}/"
    assert Restructuring.objects.get().by == world["district_officer"]
    page = c.get(f"/units/{new.pk}/").content.decode()
    assert "Vĩnh Quang" in page and "1667/NQ-UBTVQH15" in page


def test_bad_input_shows_a_vietnamese_message(client, world):
    c = _client(client, world["district_officer"])
    response = c.post(f"/units/{world['vinh_quang'].pk}/merge/", _merge_data(world, new_code="", preview="1"))
    assert response.status_code == 200
    assert "Nhập mã" in response.content.decode()
    assert Unit.objects.get(pk=world["vinh_quang"].pk).valid_to is None
