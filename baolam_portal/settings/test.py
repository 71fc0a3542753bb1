"""Settings for the test suite: fast hashing, no HTTPS redirect, quiet logs."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
REQUIRE_2FA = False  # whatever the environment says; tests turn it on with override_settings
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "CRITICAL", "handlers": []}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Background work runs inside the request: the tests see its result at once (one test runs the real worker).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DOCUMENT_PROCESSES = 1  # a batch is laid out in the test process itself
