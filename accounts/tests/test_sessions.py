"""Sessions end when the account is deactivated or its password changes, and when an admin ends them."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.tests.conftest import sign_in
from tests.factories import PASSWORD, UserFactory
from units.models import AuditEvent

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/auth/user/"


def _signed_in_clients(user, count=2):
    clients = [Client() for _ in range(count)]
    for client in clients:
        sign_in(client, user)
        assert client.get("/").status_code == 200
    return clients


def test_a_deactivated_users_session_is_refused(officer):
    (client,) = _signed_in_clients(officer, 1)
    officer.is_active = False
    officer.save()
    response = client.get("/people/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(officer):
    here, elsewhere = _signed_in_clients(officer)
    new_password = "another-long-passphrase-7"
    response = here.post(
        "/account/security/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").url.startswith("/login/")


def test_a_password_set_by_an_admin_ends_every_session(officer):
    (client,) = _signed_in_clients(officer, 1)
    officer.set_password("set-by-the-administrator-9")
    officer.save()
    assert client.get("/").url.startswith("/login/")


def test_an_admin_ends_all_sessions_of_the_selected_users(client, superuser, officer, outsider):
    officer_clients = _signed_in_clients(officer)
    (outsider_client,) = _signed_in_clients(outsider, 1)
    client.force_login(superuser)
    data = {"action": "end_sessions", "_selected_action": [officer.pk]}
    confirm = client.post(CHANGELIST, data)
    assert confirm.status_code == 200
    assert 'id="end-sessions-users"' in confirm.content.decode()
    assert all(c.get("/").status_code == 200 for c in officer_clients)  # nothing ended before confirming

    response = client.post(CHANGELIST, {**data, "post": "yes"})
    assert response.status_code == 302
    for c in officer_clients:
        assert c.get("/").url.startswith("/login/")
    assert outsider_client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200  # the admin's own session goes on
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGN_OUT, user=officer, target=f"auth.User {officer.pk}")
    assert event.detail.startswith("2 ")
    assert superuser.username in event.detail


def test_staff_without_the_change_user_permission_cannot_end_sessions(client, officer):
    staff = UserFactory(username="staffview", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_user"))
    _signed_in_clients(officer, 1)
    client.force_login(staff)
    response = client.post(CHANGELIST, {"action": "end_sessions", "_selected_action": [officer.pk], "post": "yes"})
    # The action is not offered: Django answers with the change list and a "no action selected" message.
    assert response.status_code in (200, 302)
    assert sum(1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(officer.pk)) == 1
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_OUT, user=officer).exists()


def test_staff_with_the_change_user_permission_cannot_sign_a_superuser_out(client, superuser, officer):
    staff = UserFactory(username="staffchange", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    admin_client = Client()
    admin_client.force_login(superuser)
    _signed_in_clients(officer, 1)
    client.force_login(staff)
    response = client.post(
        CHANGELIST, {"action": "end_sessions", "_selected_action": [officer.pk, superuser.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert admin_client.get("/admin/").status_code == 200
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_OUT, user=superuser).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_OUT, user=officer).exists()
