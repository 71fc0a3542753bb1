"""Strict readers of the environment: a malformed value stops start-up and names the variable."""

import os

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()
_ENGINES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}

env = environ.Env()


def _raw(name, default):
    value = os.environ.get(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return None
    return value.strip()


def env_str(name, default=_MISSING):
    value = _raw(name, default)
    return default if value is None else value


def env_bool(name, default=_MISSING):
    value = _raw(name, default)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a boolean; use one of true/false, 1/0, yes/no, on/off."
    )


def env_int(name, default=_MISSING, *, minimum=None):
    value = _raw(name, default)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"Environment variable {name}={number} must be at least {minimum}.")
    return number


def env_list(name, default=_MISSING):
    value = _raw(name, default)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_db(name, default):
    value = env_str(name, "") or default
    try:
        config = environ.Env.db_url_config(value)
    except Exception as exc:  # django-environ raises several kinds for a bad URL
        raise ImproperlyConfigured(f"Environment variable {name} is not a valid database URL: {exc}") from None
    if config.get("ENGINE") not in _ENGINES:
        raise ImproperlyConfigured(
            f"Environment variable {name} must start with postgres:// or sqlite:///, not {value.split(':', 1)[0]!r}."
        )
    return config


_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.db.DatabaseCache",
    "django.core.cache.backends.redis.RedisCache",
}


def env_cache(name, default):
    """A cache from a URL: `locmemcache://name` (one process), `dbcache://table` or `redis://host:port/db`
    (shared by every worker and node)."""
    value = env_str(name, "") or default
    try:
        config = environ.Env.cache_url_config(value)
    except Exception as exc:  # django-environ raises several kinds for a bad URL
        raise ImproperlyConfigured(f"Environment variable {name} is not a valid cache URL: {exc}") from None
    if config.get("BACKEND") not in _CACHES:
        raise ImproperlyConfigured(
            f"Environment variable {name} must start with locmemcache://, dbcache:// or redis://, "
            f"not {value.split(':', 1)[0]!r}."
        )
    return config
