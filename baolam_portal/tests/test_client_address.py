"""Behind the reverse proxy the audit trail and the sign-in lock-out see each client's address, taken
from X-Forwarded-For only when the request comes from a trusted proxy."""

import pytest
from django.test import Client, override_settings

from tests.factories import PASSWORD
from units.models import AuditEvent

pytestmark = pytest.mark.django_db

BEHIND_NGINX = {"TRUSTED_PROXY_COUNT": 1, "TRUSTED_PROXIES": ["127.0.0.1"]}


def failed_sign_in(client, username="vinhquang", **meta):
    return client.post("/login/", {"username": username, "password": "wrong-password"}, **meta)


def last_failure():
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_FAILED).latest("pk")


def test_without_a_trusted_proxy_the_header_is_ignored(officer):
    failed_sign_in(Client(), REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert last_failure().address == "203.0.113.9"


@override_settings(**BEHIND_NGINX)
def test_behind_the_proxy_the_client_address_is_recorded(officer):
    failed_sign_in(Client(), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert last_failure().address == "198.51.100.7"


@override_settings(**BEHIND_NGINX)
def test_a_client_cannot_forge_its_address_through_the_proxy(officer):
    # nginx appends the address it saw: the forged first entry is not believed.
    failed_sign_in(Client(), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert last_failure().address == "198.51.100.7"
    # A client reaching gunicorn directly cannot use the header at all.
    failed_sign_in(Client(), REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert last_failure().address == "203.0.113.9"
    # Garbage in the header falls back to the proxy's address.
    failed_sign_in(Client(), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert last_failure().address == "127.0.0.1"


@override_settings(**BEHIND_NGINX)
def test_a_lock_out_behind_the_proxy_locks_one_client_not_everyone(officer):
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _attempt in range(5):
        failed_sign_in(attacker)
    assert attacker.post("/login/", {"username": "vinhquang", "password": PASSWORD}).status_code == 429
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    response = colleague.post("/login/", {"username": "vinhquang", "password": PASSWORD})
    assert (response.status_code, response.url) == (302, "/")
