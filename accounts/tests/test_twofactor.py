"""Two-factor sign-in: enrolment with a real TOTP code, the code step, recovery codes, REQUIRE_2FA, the admin."""

import re
from base64 import b32encode

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.test import Client, RequestFactory, override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.conftest import RECOVERY, code_next, code_now, enrol, pending_device, sign_in
from baolam_portal.tests.test_health_security import load_settings
from units.models import AuditEvent

pytestmark = pytest.mark.django_db

VERIFY = "/account/verify/"
SECURITY = "/account/security/"


# Enrolment ---------------------------------------------------------------------------------------


def test_security_page_shows_a_qr_code_rendered_here_and_the_key(client, officer):
    client.force_login(officer)
    response = client.get(SECURITY)
    assert response.status_code == 200
    html = response.content.decode()
    qr = re.search(r'<img class="qr-code" id="totp-qr" src="([^"]+)"', html)
    assert qr and qr.group(1).startswith("data:image/svg+xml")
    assert not TOTPDevice.objects.filter(user=officer).exists()  # nothing saved until confirmed
    device = pending_device(client, officer)
    secret = re.search(r'id="totp-secret">([^<]+)<', html).group(1).replace(" ", "")
    assert secret == b32encode(device.bin_key).decode()
    # The same key is offered until it is confirmed.
    assert secret in client.get(SECURITY).content.decode().replace(" ", "")


def test_without_require_2fa_the_page_does_not_say_it_is_required(client, commander):
    client.force_login(commander)
    assert 'id="twofactor-required"' not in client.get(SECURITY).content.decode()


def test_the_header_links_to_the_security_page(client, officer):
    client.force_login(officer)
    assert 'id="nav-security"' in client.get("/").content.decode()


def test_enrolment_with_a_right_code_turns_2fa_on_and_shows_ten_recovery_codes_once(client, officer):
    client.force_login(officer)
    client.get(SECURITY)
    device = pending_device(client, officer)
    response = client.post("/account/security/enrol/", {"code": code_now(device)})
    assert response.status_code == 302
    assert response.url.startswith("/account/security/recovery-codes/")
    saved = TOTPDevice.objects.get(user=officer)
    assert saved.confirmed and saved.key == device.key
    tokens = set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert len(tokens) == 10
    page = client.get(response.url).content.decode()
    shown = set(re.findall(r"<li>([a-z2-7]{8})</li>", page))
    assert shown == tokens
    # Shown once only.
    again = client.get("/account/security/recovery-codes/").content.decode()
    assert 'id="codes-already-shown"' in again
    assert not set(re.findall(r"<li>([a-z2-7]{8})</li>", again))
    # The enrolling session is verified: no code step now.
    assert client.get("/").status_code == 200


def test_enrolment_ends_the_users_other_sessions(client, officer):
    elsewhere = Client()
    sign_in(elsewhere, officer)
    sign_in(client, officer)
    client.get(SECURITY)
    client.post("/account/security/enrol/", {"code": code_now(pending_device(client, officer))})
    assert client.get("/").status_code == 200
    assert elsewhere.get("/").url.startswith("/login/")


def test_enrolment_refuses_a_wrong_code(client, officer):
    client.force_login(officer)
    client.get(SECURITY)
    device = pending_device(client, officer)
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"
    response = client.post("/account/security/enrol/", {"code": wrong})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticToken.objects.filter(device__user=officer).exists()


def test_new_recovery_codes_replace_the_old_ones(client, enrolled_officer):
    client.force_login(enrolled_officer)
    _verify(client, TOTPDevice.objects.get(user=enrolled_officer))
    response = client.post("/account/security/recovery-codes/new/")
    assert response.status_code == 302
    tokens = set(StaticToken.objects.filter(device__user=enrolled_officer).values_list("token", flat=True))
    assert len(tokens) == 10
    assert not tokens & set(RECOVERY)


def test_turning_2fa_off_needs_the_password(client, enrolled_officer):
    client.force_login(enrolled_officer)
    _verify(client, TOTPDevice.objects.get(user=enrolled_officer))
    assert client.post("/account/security/disable/", {"password": "wrong"}).status_code == 400
    assert TOTPDevice.objects.filter(user=enrolled_officer).exists()
    response = client.post("/account/security/disable/", {"password": "correct-horse-battery"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled_officer).exists()
    assert not StaticToken.objects.filter(device__user=enrolled_officer).exists()
    assert client.get("/").status_code == 200


# The code step --------------------------------------------------------------------------------------


def test_without_a_device_sign_in_is_one_step(client, officer):
    sign_in(client, officer)
    assert client.get("/").status_code == 200


def test_a_user_with_a_device_must_pass_the_code_step(client, enrolled_officer):
    sign_in(client, enrolled_officer)
    for url in ("/", "/people/", SECURITY, "/admin/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(VERIFY + "?next=")
    assert client.get(VERIFY).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_the_code_step_accepts_the_right_code(client, enrolled_officer):
    device = TOTPDevice.objects.get(user=enrolled_officer)
    sign_in(client, enrolled_officer)
    session_before = client.session.session_key
    response = client.post(VERIFY, {"code": code_now(device), "next": "/people/"})
    assert response.status_code == 302
    assert response.url == "/people/"
    assert client.get("/").status_code == 200
    assert client.session.session_key != session_before  # a new session key for the verified session
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN, detail="otp").get()
    assert event.user == enrolled_officer


def test_the_code_step_refuses_a_wrong_code_and_counts_it(client, enrolled_officer):
    device = TOTPDevice.objects.get(user=enrolled_officer)
    sign_in(client, enrolled_officer)
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert client.get("/").url.startswith(VERIFY)
    failed = AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_FAILED).get()
    assert (failed.username, failed.detail) == (enrolled_officer.username, "otp")
    assert AccessAttempt.objects.get(username=enrolled_officer.username).failures_since_start == 1


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, enrolled_officer, settings):
    sign_in(client, enrolled_officer)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 400
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKED_OUT, username=enrolled_officer.username).exists()
    # The half-open session is gone, and the password alone no longer gets in.
    assert client.get("/").url.startswith("/login/")
    assert client.post("/login/", {"username": "vinhquang", "password": "correct-horse-battery"}).status_code == 429


def test_a_recovery_code_works_once(client, enrolled_officer):
    sign_in(client, enrolled_officer)
    response = client.post(VERIFY, {"code": RECOVERY[0].upper()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN, detail="otp recovery").exists()
    assert StaticToken.objects.filter(device__user=enrolled_officer).count() == len(RECOVERY) - 1
    client.post("/logout/")
    sign_in(client, enrolled_officer)
    assert client.post(VERIFY, {"code": RECOVERY[0]}).status_code == 400
    assert client.get("/").url.startswith(VERIFY)


def test_the_code_step_sends_a_verified_or_unenrolled_user_on(client, officer):
    client.force_login(officer)
    response = client.get(VERIFY + "?next=/people/")
    assert (response.status_code, response.url) == (302, "/people/")
    response = client.get(VERIFY + "?next=https://evil.example/")
    assert (response.status_code, response.url) == (302, "/")


# REQUIRE_2FA ------------------------------------------------------------------------------------


@override_settings(REQUIRE_2FA=True)
def test_required_2fa_sends_a_commander_to_enrol_first(client, commander):
    sign_in(client, commander)
    for url in ("/", "/people/", "/reports/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(SECURITY + "?next=")
    response = client.get(SECURITY)
    assert response.status_code == 200
    assert 'id="twofactor-required"' in response.content.decode()
    assert client.get("/healthz").status_code == 200
    # Enrolling opens the portal.
    device = pending_device(client, commander)
    assert client.post("/account/security/enrol/", {"code": code_now(device)}).status_code == 302
    assert client.get("/").status_code == 200
    # Next sign-in: the code step.
    client.post("/logout/")
    sign_in(client, commander)
    assert client.get("/").url.startswith(VERIFY)
    assert client.post(VERIFY, {"code": code_next(device)}).status_code == 302
    assert client.get("/").status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_required_2fa_sends_a_session_to_the_code_step_when_a_device_appeared_since_sign_in(client, commander):
    sign_in(client, commander)
    enrol(commander)  # e.g. set up by an admin while this session was open
    for url in ("/", SECURITY):
        response = client.get(url)
        assert response.url.startswith(VERIFY)


@override_settings(REQUIRE_2FA=True)
def test_required_2fa_leaves_a_commune_officer_alone(client, officer):
    sign_in(client, officer)
    assert client.get("/").status_code == 200
    assert client.get("/people/").status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_required_2fa_lets_the_user_sign_out(client, commander):
    sign_in(client, commander)
    response = client.post("/logout/")
    assert (response.status_code, response.url) == (302, "/login/")
    assert client.get("/").url.startswith("/login/")


@override_settings(REQUIRE_2FA=True)
def test_the_admin_requires_a_verified_session(client, superuser):
    device = enrol(superuser)
    sign_in(client, superuser)
    assert client.get("/admin/").url.startswith(VERIFY)
    client.post(VERIFY, {"code": code_now(device)})
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_refuses_an_unverified_staff_user_when_2fa_is_required(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    superuser.is_verified = lambda: False
    with override_settings(REQUIRE_2FA=True):
        assert not admin.site.has_permission(request)
    with override_settings(REQUIRE_2FA=False):
        assert admin.site.has_permission(request)
    superuser.is_verified = lambda: True
    with override_settings(REQUIRE_2FA=True):
        assert admin.site.has_permission(request)


def test_without_require_2fa_the_admin_is_one_step(client, superuser):
    sign_in(client, superuser)
    assert client.get("/admin/").status_code == 200


_REQUIRE = "import django; from django.conf import settings; django.setup(); print(settings.REQUIRE_2FA)"


@pytest.mark.parametrize(
    ("module", "variables", "expected"),
    [
        ("baolam_portal.settings.production", {"SECRET_KEY": "x" * 60}, "True"),
        ("baolam_portal.settings.production", {"SECRET_KEY": "x" * 60, "REQUIRE_2FA": "off"}, "False"),
        ("baolam_portal.settings.production", {"SECRET_KEY": "x" * 60, "BENCH_ALLOW_HTTP": "1"}, "False"),
        ("baolam_portal.settings.dev", {}, "False"),
        ("baolam_portal.settings.dev", {"REQUIRE_2FA": "1"}, "True"),
        ("baolam_portal.settings.test", {"REQUIRE_2FA": "1"}, "False"),
    ],
)
def test_require_2fa_is_on_in_production_and_off_in_the_demo(module, variables, expected):
    result = load_settings(module, _REQUIRE, **variables)
    assert result.stdout.strip() == expected, result.stderr


def test_a_malformed_require_2fa_stops_start_up():
    result = load_settings("baolam_portal.settings.dev", _REQUIRE, REQUIRE_2FA="maybe")
    assert result.returncode != 0
    assert "REQUIRE_2FA" in result.stderr


def _verify(client, device):
    client.session  # noqa: B018 - make sure the session exists
    response = client.post(VERIFY, {"code": code_now(device)})
    assert response.status_code == 302
