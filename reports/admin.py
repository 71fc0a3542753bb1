"""Admin of the reports app: targets are data an admin sets, with their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from units.admin import ScopedAdminMixin

from .models import Target


@admin.register(Target)
class TargetAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "year", "indicator", "value"]
    list_filter = ["year", "indicator"]
    search_fields = ["unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
