"""Permissions kept until the user's roles (or a role's permissions) change, instead of read twice per request."""

from django.contrib.auth.backends import ModelBackend

from .freshness import remember


class CachedPermissionsBackend(ModelBackend):
    """Django's ModelBackend whose user and group permission sets are cached until the user's roles, groups or
    permissions change (`changed(users=[user])`) or a role's permissions do (`changed(everything=True)`)."""

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, cache_name):
            perms = remember(
                ("perms", from_name, user_obj.pk, user_obj.is_superuser),
                lambda: super(CachedPermissionsBackend, self)._get_permissions(user_obj, obj, from_name),
                users=[user_obj],
            )
            setattr(user_obj, cache_name, perms)
        return getattr(user_obj, cache_name)
