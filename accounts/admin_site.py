"""The portal's admin site: Django's, plus two rules — with REQUIRE_2FA on only a verified session may use it —
and one page, "Changes by user or unit"."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from .forms import AdminSignInForm
from .twofactor import user_is_verified


class PortalAdminSite(AdminSite):
    login_form = AdminSignInForm

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.REQUIRE_2FA or user_is_verified(request.user)

    def get_urls(self):
        from .admin_views import changes

        return [path("changes/", self.admin_view(changes), {"site": self}, name="changes"), *super().get_urls()]

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label not in (None, "units"):
            return app_list
        entry = {
            "name": _("Changes by user or unit"),
            "object_name": "Changes",
            "perms": {"view": True},
            "admin_url": reverse("admin:changes", current_app=self.name),
            "add_url": None,
            "view_only": True,
        }
        units = next((app for app in app_list if app["app_label"] == "units"), None)
        if units is None:
            units = {
                "name": _("Units and roles"),
                "app_label": "units",
                "app_url": reverse("admin:changes", current_app=self.name),
                "has_module_perms": True,
                "models": [],
            }
            app_list.append(units)
        units["models"].append(entry)
        return app_list
