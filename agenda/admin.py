"""Admin of the calendar's events, scoped for non-superusers like the pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from units.admin import ChangesAdminMixin, ScopedAdminMixin
from units.forms import CleanInputAdminMixin

from .models import Event


@admin.register(Event)
class EventAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "unit", "starts_on", "ends_on", "law_ref"]
    list_filter = ["kind", "unit"]
    search_fields = ["title"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
