"""Settings shared by every environment; each value that varies comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_cache, env_db, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "accounts.apps.PortalAdminConfig",  # Django's admin, on a site that honours REQUIRE_2FA
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "accounts.apps.AxesConfig",
    "django_otp",
    "accounts.apps.TOTPConfig",
    "accounts.apps.StaticOTPConfig",
    "baolam_portal",
    "units",
    "people",
    "militia",
    "recruitment",
    "activities",
    "reports",
    "dashboard",
    "agenda",
    "reorg",
    "accounts",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "baolam_portal.middleware.PortalSessionMiddleware",
    "baolam_portal.locale.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "baolam_portal.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "baolam_portal.middleware.NoStoreMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes after the other sign-in checks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
    # After the sign-in checks: a page may read from the replica only once they are done.
    "baolam_portal.replicas.ReplicaMiddleware",
]

ROOT_URLCONF = "baolam_portal.urls"
WSGI_APPLICATION = "baolam_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "units.context_processors.scope",
                "agenda.context_processors.bell",
                "baolam_portal.context_processors.security",
            ],
        },
    },
]

DATABASES = {"default": env_db("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0, minimum=0)

# A read replica (baolam_portal/replicas.py): the dashboard's and the lists' reads go there; every
# write, every read inside a writing transaction and the next requests of a user who wrote go to
# the primary. Unset: one database does everything.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = env_db("DATABASE_REPLICA_URL", "")
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["baolam_portal.replicas.ReplicaRouter"]
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10, minimum=1)
REPLICA_READ_VIEWS = [
    "home",
    "dashboard_print",
    "people:list",
    "people:print",
    "militia:index",
    "militia:member_list",
    "militia:reservist_list",
    "militia:reserve_units",
    "militia:duty_list",
    "recruitment:index",
    "recruitment:campaign_detail",
    "recruitment:candidate_list",
    "reports:index",
    "reports:inbox",
    "reports:period_list",
    "reports:period_detail",
]

# Summaries cached until the places they summarise change (units/freshness.py). CACHE_URL chooses the
# cache: local memory by default (one process, nothing to install), redis://127.0.0.1:6379/0 when several
# workers or machines serve, so a summary computed by one is served by all. The generations that key the
# summaries live in the database, so every node sees every write whichever cache it uses.
CACHES = {"default": env_cache("CACHE_URL", "locmemcache://portal")}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 2000, minimum=100)}
else:
    # A shared cache is a network round trip per summary: each worker also keeps the summaries it read, for a
    # minute at most. A summary's key carries the generations of what it summarises, so a kept copy is never
    # one that a committed write made stale (units/freshness.py).
    CACHES["local"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal-local",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 2000, minimum=100)},
    }
FRESHNESS_CACHE_SECONDS = env_int("FRESHNESS_CACHE_SECONDS", 600, minimum=0)
FRESHNESS_LOCAL_SECONDS = env_int("FRESHNESS_LOCAL_SECONDS", 60, minimum=0)

# Background tasks (django.tasks): long work (a batch of documents, a large export) runs in a worker.
# TASKS_BACKEND=database (the default) keeps the queue in the portal's own database, on SQLite and
# PostgreSQL alike, served by `manage.py db_worker` (started by `make run`, a systemd unit in production);
# TASKS_BACKEND=rq queues on Redis (TASKS_REDIS_URL) for workers on several machines (django-tasks-rq:
# `manage.py rqworker default --job-class django_tasks_rq.backend.Job`); TASKS_BACKEND=immediate runs the work
# inside the request (tests).
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND={TASKS_BACKEND!r}: use one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]  # its rqworker command and the queues' settings
    TASKS["default"]["QUEUES"] = ["default"]
    # The worker runs Django tasks, not plain functions: django-tasks-rq's job class, whoever starts it.
    RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
    RQ_QUEUES = {"default": {"URL": env_str("TASKS_REDIS_URL", "redis://127.0.0.1:6379/1")}}
# Worker processes laying out a batch of documents as PDF side by side (1: in the worker itself).
DOCUMENT_PROCESSES = env_int("DOCUMENT_PROCESSES", min(os.cpu_count() or 1, 4), minimum=1)
# Files made in the background are kept this many hours after they are made ("My files").
FILES_KEEP_HOURS = env_int("FILES_KEEP_HOURS", 72, minimum=1)
# An import of the people registry writing more rows than this is written by the worker, with its progress.
PEOPLE_IMPORT_BACKGROUND_ROWS = env_int("PEOPLE_IMPORT_BACKGROUND_ROWS", 1000, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "units.backends.CachedPermissionsBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: the idle timeout is the cookie age renewed on every request; the absolute
# lifetime is enforced by SessionLifetimeMiddleware from the moment of sign-in.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60, minimum=60)
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_LIFETIME", 12 * 60 * 60, minimum=60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock an account/IP pair after 5 failures for 15 minutes, never forever.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind a reverse proxy, the client address comes from X-Forwarded-For (units/net.py): the audit
# trail and the lock-out then see each client, not the proxy.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])
AXES_CLIENT_IP_CALLABLE = "units.net.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The second step's code is a credential: never copied into axes' access log.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code"]

# Two-factor sign-in (TOTP, django-otp). When REQUIRE_2FA is on, commanders and admins must enrol and
# pass the code step before any page; when off, 2FA is still offered to everyone on the Security page.
REQUIRE_2FA = env_bool("REQUIRE_2FA", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Bao Lam portal")
TWO_FACTOR_RECOVERY_CODES = 10

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "baolam_portal.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["baolam_portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def mailers(default_backend):
    """The default mailer: EMAIL_BACKEND when set, else `default_backend` (console in development, SMTP in
    production); the SMTP backend reads its server from EMAIL_HOST, EMAIL_PORT and the rest."""
    backend = env_str("EMAIL_BACKEND", default_backend)
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25, minimum=1),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers("django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@baolam.invalid")
# The portal's address as the users reach it: the links of the reminder e-mails start with it.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The demo seeder may run only where this is true (never in production).
DEMO_SEED_ALLOWED = True
PAGE_SIZE = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {"axes": {"level": "WARNING"}},
}
