"""The user admin gets "End all sessions of the selected users" (with a confirmation page, audited)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from units.admin import PortalUserAdmin

from .sessions import user_sessions_end


@admin.action(description=gettext_lazy("End all sessions of the selected users"), permissions=["change"])
def end_sessions(modeladmin, request, queryset):
    if not request.user.is_superuser:
        # Only a superuser may sign a superuser out.
        queryset = queryset.filter(is_superuser=False)
    users = list(queryset.order_by("username"))
    if request.POST.get("post") == "yes":
        ended = user_sessions_end(users=users, request=request)
        modeladmin.message_user(
            request,
            _("%(sessions)s sessions of %(users)s users ended.") % {"sessions": ended, "users": len(users)},
            messages.SUCCESS,
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("End all sessions of the selected users"),
        "users": users,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": "end_sessions",
    }
    return TemplateResponse(request, "admin/accounts/end_sessions.html", context)


class AccountUserAdmin(PortalUserAdmin):
    actions = [*(PortalUserAdmin.actions or []), end_sessions]


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, AccountUserAdmin)


# django-otp's device admins, with their section titles and columns in our catalog.
_SECTIONS = {
    "Identity": pgettext_lazy("sign-in device", "Identity"),
    "Timestamps": gettext_lazy("Timestamps"),
    "Configuration": gettext_lazy("Configuration"),
    "State": gettext_lazy("State"),
    "Throttling": gettext_lazy("Throttling"),
}


class _TranslatedSectionsMixin:
    def get_fieldsets(self, request, obj=None):
        return [(_SECTIONS.get(name, name), options) for name, options in super().get_fieldsets(request, obj)]


class PortalTOTPDeviceAdmin(_TranslatedSectionsMixin, TOTPDeviceAdmin):
    @admin.display(description=gettext_lazy("QR code"))
    def qrcode_link(self, device):
        url = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return render_to_string("admin/accounts/qrcode_link.html", {"url": url})


class PortalStaticDeviceAdmin(_TranslatedSectionsMixin, StaticDeviceAdmin):
    pass


for _model, _model_admin in ((TOTPDevice, PortalTOTPDeviceAdmin), (StaticDevice, PortalStaticDeviceAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)
