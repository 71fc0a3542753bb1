"""The audit trail: who signed in, failed, was locked out, signed out, was denied, exported."""

from tests.factories import PASSWORD
from units.models import AuditEvent


def kinds(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("pk").values_list("kind", flat=True))


def test_sign_in_failure_lockout_and_sign_out_are_recorded(client, officer):
    for _ in range(5):
        client.post("/login/", {"username": officer.username, "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    recorded = kinds(username=officer.username)
    assert recorded.count("sign_in_failed") == 5
    assert recorded.count("locked_out") == 1
    event = AuditEvent.objects.filter(kind="sign_in_failed").first()
    assert event.address == "10.0.0.7"

    client.post("/login/", {"username": "xemvq-nobody", "password": "x"}, REMOTE_ADDR="10.0.0.8")
    assert kinds(username="xemvq-nobody") == ["sign_in_failed"]


def test_a_successful_sign_in_and_sign_out(client, viewer):
    response = client.post("/login/", {"username": viewer.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302
    client.post("/logout/")
    assert kinds(user=viewer) == ["sign_in", "sign_out"]


def test_reaching_into_another_commune_is_recorded_without_personal_data(client, outsider, vq_person):
    client.force_login(outsider)
    assert client.get(f"/people/{vq_person.pk}/").status_code == 404
    event = AuditEvent.objects.get(kind="denied")
    assert event.user == outsider
    assert event.detail == "404"
    assert str(vq_person.pk) in event.target
    assert vq_person.national_id not in event.target + event.detail


def test_a_write_the_role_may_not_do_is_recorded(client, viewer, vq_person):
    client.force_login(viewer)
    assert client.get(f"/people/{vq_person.pk}/edit/").status_code == 403
    assert AuditEvent.objects.get(kind="denied").detail == "403"


def test_an_export_is_recorded(client, officer):
    client.force_login(officer)
    response = client.get("/militia/members/export.xlsx", {"status": "active"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(kind="export")
    assert event.user == officer
    assert event.target == "militia:members.xlsx"


def test_nobody_edits_or_deletes_the_trail_in_admin(client, superuser, officer):
    AuditEvent.objects.create(kind="sign_in", username="someone")
    event = AuditEvent.objects.get()
    client.force_login(superuser)
    assert client.get("/admin/units/auditevent/").status_code == 200
    assert client.get("/admin/units/auditevent/?q=someone").status_code == 200
    assert client.get("/admin/units/auditevent/add/").status_code == 403
    response = client.post(f"/admin/units/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert client.get("/admin/units/auditevent/").status_code == 403
