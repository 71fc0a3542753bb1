"""Portal-wide behaviour: health check, security headers, login lockout, sessions, strict settings, language."""

import datetime
import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections
from django.utils import timezone

from baolam_portal.middleware import SESSION_STARTED_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MO_FILE = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.mo"


def use_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


# --- Health check -------------------------------------------------------------------------------------


def test_health_check_is_ok_anonymously(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_check_reports_a_database_outage(client, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    # Only the database is down: every cursor of the connection class refuses.
    monkeypatch.setattr(type(connections["default"]), "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_health_check_answers_only_get(client):
    assert client.post("/healthz").status_code == 405


# --- Security headers -----------------------------------------------------------------------------------


def assert_scripts_carry_the_csp_nonce(response):
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts, "the page has no <script> tag to check"
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag
    return nonce


def test_login_page_has_csp_with_a_nonce_on_its_scripts(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    first = assert_scripts_carry_the_csp_nonce(response)
    second = assert_scripts_carry_the_csp_nonce(client.get("/login/"))
    assert first != second  # a fresh nonce per response


def test_signed_in_pages_have_csp_and_deny_framing(client, officer):
    client.force_login(officer)
    for url in ("/", "/people/"):
        response = client.get(url)
        assert response.status_code == 200
        assert_scripts_carry_the_csp_nonce(response)
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_login_page_denies_framing(client):
    assert client.get("/login/")["X-Frame-Options"] == "DENY"


# --- Login and lockout ------------------------------------------------------------------------------------


def sign_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_it_signs_in_with_the_right_password(client, officer):
    response = sign_in(client, "vinhquang", PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200


def test_it_locks_an_account_after_five_failures(client, officer, outsider):
    use_english(client)
    for _attempt in range(4):
        response = sign_in(client, "vinhquang", "wrong-password")
        assert response.status_code == 200
        assert "Wrong user name or password." in response.content.decode()
    sign_in(client, "vinhquang", "wrong-password")  # the fifth failure

    response = sign_in(client, "vinhquang", PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Account temporarily locked" in body
    assert "Too many failed sign-in attempts from this address. Try again in 15 minutes" in body
    assert "_auth_user_id" not in client.session
    assert client.get("/people/").status_code == 302

    # Another account from the same address still signs in.
    response = sign_in(client, "lybon", PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"


def test_a_success_before_the_limit_resets_the_count(client, officer):
    for _attempt in range(4):
        sign_in(client, "vinhquang", "wrong-password")
    assert sign_in(client, "vinhquang", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(4):
        sign_in(client, "vinhquang", "wrong-password")
    assert sign_in(client, "vinhquang", PASSWORD).status_code == 302


# --- Sessions -------------------------------------------------------------------------------------------


def test_a_session_ends_after_its_absolute_lifetime(client, officer):
    client.force_login(officer)
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 13 * 60 * 60
    session.save()

    response = client.get("/people/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/people/"
    # Signed out for good, not only for one request.
    assert client.get("/").status_code == 302


def test_an_active_session_lives_until_its_absolute_lifetime(client, officer):
    client.force_login(officer)
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 11 * 60 * 60
    session.save()
    assert client.get("/people/").status_code == 200


def test_sign_in_stamps_the_session_start(client, officer):
    before = int(time.time())
    sign_in(client, "vinhquang", PASSWORD)
    assert before <= client.session[SESSION_STARTED_KEY] <= int(time.time())


def test_a_session_expires_after_30_idle_minutes(client, officer):
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST
    sign_in(client, "vinhquang", PASSWORD)
    client.get("/")
    expires = Session.objects.get(session_key=client.session.session_key).expire_date
    idle = expires - timezone.now()
    assert datetime.timedelta(minutes=29) < idle <= datetime.timedelta(minutes=30)


# --- Strict settings --------------------------------------------------------------------------------------

_LOAD_SETTINGS = "import django; from django.conf import settings; django.setup(); print(settings.DEBUG)"
_VARIABLES = ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "SESSION_IDLE_TIMEOUT", "BENCH_ALLOW_HTTP", "CACHE_URL")
_VARIABLES += ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT")


def load_settings(module, code=_LOAD_SETTINGS, **variables):
    env = {key: value for key, value in os.environ.items() if key not in _VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE=module, **variables)
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_a_malformed_debug_stops_start_up():
    result = load_settings("baolam_portal.settings.dev", DEBUG="maybe")
    assert result.returncode != 0
    assert "ImproperlyConfigured: Environment variable DEBUG='maybe' is not a boolean" in result.stderr


def test_a_well_formed_debug_is_read():
    result = load_settings("baolam_portal.settings.dev", DEBUG="off")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_cache_is_chosen_by_cache_url():
    code = "import django; from django.conf import settings; django.setup(); print(settings.CACHES['default'])"
    default = load_settings("baolam_portal.settings.dev", code)
    assert default.returncode == 0, default.stderr
    assert "LocMemCache" in default.stdout
    shared = load_settings("baolam_portal.settings.dev", code, CACHE_URL="redis://127.0.0.1:6379/2")
    assert shared.returncode == 0, shared.stderr
    assert "django.core.cache.backends.redis.RedisCache" in shared.stdout
    assert "redis://127.0.0.1:6379/2" in shared.stdout


def test_an_unknown_cache_stops_start_up():
    result = load_settings("baolam_portal.settings.dev", CACHE_URL="memcache://127.0.0.1:11211")
    assert result.returncode != 0
    assert "Environment variable CACHE_URL must start with locmemcache://, dbcache:// or redis://" in result.stderr


def test_production_requires_a_secret_key():
    result = load_settings("baolam_portal.settings.production")
    assert result.returncode != 0
    assert "ImproperlyConfigured: Environment variable SECRET_KEY is required but not set." in result.stderr


def test_production_starts_with_a_secret_key_and_idle_timeout_of_30_minutes():
    code = "import django; from django.conf import settings; django.setup(); print(settings.SESSION_COOKIE_AGE)"
    result = load_settings("baolam_portal.settings.production", code, SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1800"


_HTTPS = (
    "import django; from django.conf import settings as s; django.setup(); "
    "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
)


def test_only_the_bench_variable_allows_plain_http_in_production():
    result = load_settings("baolam_portal.settings.production", _HTTPS, SECRET_KEY="x" * 60, BENCH_ALLOW_HTTP="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False False False"


def run_deploy_check(**variables):
    """`manage.py check --deploy` under the production settings with nothing in the environment but
    `variables` (and the path to the interpreter's tools)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **variables}
    env["DJANGO_SETTINGS_MODULE"] = "baolam_portal.settings.production"
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


DEPLOY_KEY = "deploy-check-Qx7vR2mK9pL4wZ8nT3bY6cJ1hF5gD0sA-a-long-random-secret-key"


def test_the_deploy_check_passes_with_only_a_secret_key_and_allowed_hosts():
    result = run_deploy_check(SECRET_KEY=DEPLOY_KEY, ALLOWED_HOSTS="portal.example.vn")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "mail.E001" not in result.stderr


_MAILER = "import django; from django.conf import settings as s; django.setup(); d = s.MAILERS['default']; "


def test_production_sends_mail_through_smtp_at_the_host_of_the_environment():
    code = _MAILER + "print(d['BACKEND'], d['OPTIONS']['host'], d['OPTIONS']['port'])"
    result = load_settings(
        "baolam_portal.settings.production", code, SECRET_KEY=DEPLOY_KEY, EMAIL_HOST="mail.example.vn", EMAIL_PORT="587"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "mail.example.vn", "587"]


def test_development_keeps_the_console_mail_backend():
    result = load_settings("baolam_portal.settings.dev", _MAILER + "print(d['BACKEND'])")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


# --- Language -------------------------------------------------------------------------------------------


def test_pages_are_vietnamese_whatever_the_browser_asks(client, officer):
    client.force_login(officer)
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.skipif(not MO_FILE.exists(), reason="locale/vi/LC_MESSAGES/django.mo is not compiled yet")
def test_the_vietnamese_page_reads_in_vietnamese(client, officer):
    client.force_login(officer)
    body = client.get("/", headers={"Accept-Language": "en"}).content.decode()
    assert "Đăng xuất" in body
    assert "Log out" not in body


def test_the_user_switches_to_english_and_back(client, officer):
    client.force_login(officer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/people/"})
    assert response.status_code == 302
    assert response.url == "/people/"

    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Log out" in body

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, officer):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_the_login_page_is_vietnamese_for_anonymous_users(client):
    body = client.get("/login/", headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="vi">' in body


def test_signed_in_pages_are_never_cached(client, officer, vq_person):
    client.force_login(officer)
    for url in ("/", "/people/", f"/people/{vq_person.pk}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url


@pytest.mark.parametrize("name", ["A" * 151, "A" * 300, "\ufdfa" * 20])
def test_an_over_long_user_name_is_refused_by_the_form_not_with_a_server_error(client, officer, name):
    from axes.models import AccessAttempt

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/login/", {"username": name, "password": "whatever-it-is"})
    assert response.status_code == 200
    assert "Wrong user name or password" in response.content.decode()
    assert "at most 150 characters" in str(response.context["form"].errors)
    assert not AccessAttempt.objects.exists()  # nothing reached the lock-out records
    # A right name still signs in.
    response = client.post("/login/", {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 302
