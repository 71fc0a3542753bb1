"""Permissions read once per data generation instead of twice per request."""

from django.contrib.auth.backends import ModelBackend

from .freshness import remember


class CachedPermissionsBackend(ModelBackend):
    """Django's ModelBackend whose user and group permission sets are cached until a role, group or
    permission changes (every write to the `auth_` tables but the user row moves the data generation on)."""

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, cache_name):
            perms = remember(
                ("perms", from_name, user_obj.pk, user_obj.is_superuser),
                lambda: super(CachedPermissionsBackend, self)._get_permissions(user_obj, obj, from_name),
            )
            setattr(user_obj, cache_name, perms)
        return getattr(user_obj, cache_name)
