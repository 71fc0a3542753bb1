from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Units and roles")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import audit, freshness, signals  # noqa: F401

        post_migrate.connect(_ensure_role_groups, sender=self)


def _ensure_role_groups(sender, **kwargs):
    from .services import roles_ensure_groups

    roles_ensure_groups()
