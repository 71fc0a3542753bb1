"""Admin for the registry: folded search, scoped for non-superusers, with history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from units.admin import ChangesAdminMixin, FoldedSearchMixin, ScopedAdminMixin
from units.forms import CleanInputAdminMixin

from .models import Ethnicity, Person


@admin.register(Ethnicity)
class EthnicityAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "code_1979", "code_2008", "small_population"]
    list_filter = ["small_population"]
    search_fields = ["name", "code_1979", "code_2008"]


@admin.register(Person)
class PersonAdmin(ChangesAdminMixin, CleanInputAdminMixin, FoldedSearchMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["full_name", "national_id", "birth_date", "sex", "ethnicity", "home_unit", "is_party_member"]
    list_filter = ["sex", "is_party_member", "is_youth_union_member", "religion", "qualification"]
    search_fields = ["national_id"]
    folded_search_field = "search_key"
    keep_records = True
    autocomplete_fields = ["ethnicity", "home_unit"]
    list_select_related = ["ethnicity", "home_unit"]
    date_hierarchy = None
    list_per_page = 50
    readonly_fields = ["created_at", "updated_at"]
