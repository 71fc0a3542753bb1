"""The security headers under the production settings: HSTS, CSP, framing, referrer, content type, caching,
secure cookies. The security values are read from `baolam_portal/settings/production.py` itself (with the
environment a deployment has), so a change there is what this test checks. Requests arrive the way nginx
passes them: plain HTTP to gunicorn with `X-Forwarded-Proto: https`.
"""

import importlib
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db

HEADER_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CSP",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
)
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


@pytest.fixture(scope="module")
def production_values():
    """The header settings of the production module, loaded with a deployment's environment."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SECRET_KEY", "test-only-" + "x" * 50)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        mp.delenv(name, raising=False)
    mp.delenv("BENCH_ALLOW_HTTP", raising=False)
    try:
        sys.modules.pop("baolam_portal.settings.production", None)
        module = importlib.import_module("baolam_portal.settings.production")
        return {name: getattr(module, name) for name in HEADER_SETTINGS}
    finally:
        sys.modules.pop("baolam_portal.settings.production", None)
        mp.undo()


@pytest.fixture
def production(production_values):
    with override_settings(**production_values):
        yield production_values


def assert_security_headers(response):
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split(";") if part
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"].startswith("'self' 'nonce-")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"


def test_the_production_settings_are_the_ones_checked(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]


def test_the_login_page_sends_every_security_header(client, production):
    response = client.get(reverse("login"), **HTTPS)
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_signed_in_page_sends_every_security_header_and_no_store(client, production, officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    client.force_login(officer)
    for url in (reverse("home"), reverse("people:list"), reverse("people:detail", args=[person.pk])):
        response = client.get(url, **HTTPS)
        assert response.status_code == 200, url
        assert_security_headers(response)
        assert "no-store" in response["Cache-Control"]


def test_error_pages_send_the_headers_too(client, production, officer):
    client.force_login(officer)
    response = client.get("/people/999999999/", **HTTPS)
    assert response.status_code == 404
    assert_security_headers(response)


def test_plain_http_is_redirected_to_https(client, production):
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_cookies_are_secure_http_only_and_same_site(client, production, officer):
    page = client.get(reverse("login"), **HTTPS)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD}, **HTTPS)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
