"""Production: secrets required, HTTPS everywhere, compressed static files."""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str

SECRET_KEY = env_str("SECRET_KEY")  # required: no default
DEBUG = env_bool("DEBUG", False)
DEMO_SEED_ALLOWED = False
# Commanders and admins must sign in with a second factor unless explicitly turned off.
REQUIRE_2FA = env_bool("REQUIRE_2FA", True)
# Mail goes out through SMTP (EMAIL_HOST, EMAIL_PORT …) unless EMAIL_BACKEND names another backend.
MAILERS = mailers(SMTP_BACKEND)  # noqa: F405

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# nginx on the same machine (docs/deploy.md) is the one proxy in front of gunicorn.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=0)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
CSRF_COOKIE_HTTPONLY = True

# Bench only (bench/run.py): plain HTTP on loopback. Never set it on a real deployment.
BENCH_ALLOW_HTTP = env_bool("BENCH_ALLOW_HTTP", False)
if BENCH_ALLOW_HTTP:
    SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    SECURE_HSTS_PRELOAD = False
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    # The bench and load test sign in demo commanders with a password only.
    REQUIRE_2FA = env_bool("REQUIRE_2FA", False)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
