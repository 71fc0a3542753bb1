"""The user admin gets "End all sessions of the selected users" (with a confirmation page, audited)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
