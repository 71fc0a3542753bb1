"""Admin for recruitment: reference grounds, campaigns, quotas, candidates and their stage changes."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from units.admin import FoldedSearchMixin, ScopedAdminMixin
from units.forms import CleanInputAdminMixin

from .models import Campaign, Candidate, DeferralGround, Quota, StageChange


@admin.register(DeferralGround)
class DeferralGroundAdmin(CleanInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "kind", "label_vi", "label_en", "law_ref"]
    list_filter = ["kind"]
    search_fields = ["code", "label_vi", "label_en"]


class QuotaInline(CleanInputAdminMixin, admin.TabularInline):
    model = Quota
    extra = 0
    autocomplete_fields = ["commune"]


@admin.register(Campaign)
class CampaignAdmin(CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "district", "handover_date", "district_quota", "status"]
    list_filter = ["status", "year", "district"]
    search_fields = ["year", "district__name"]
    autocomplete_fields = ["district"]
    list_select_related = ["district"]
    inlines = [QuotaInline]


@admin.register(Quota)
class QuotaAdmin(CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["campaign", "commune", "count", "disadvantaged"]
    list_filter = ["disadvantaged", "campaign__year", "campaign"]
    search_fields = ["commune__name"]
    autocomplete_fields = ["campaign", "commune"]
    list_select_related = ["campaign", "campaign__district", "commune"]


class StageChangeInline(CleanInputAdminMixin, admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ["from_stage", "to_stage", "by", "at", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # stage changes are made by the service, never by hand


@admin.register(Candidate)
class CandidateAdmin(CleanInputAdminMixin, FoldedSearchMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "person",
        "campaign",
        "commune",
        "stage",
        "health_class",
        "education",
        "ground",
        "flagged_duplicate",
    ]
    list_filter = ["stage", "campaign__year", "health_class", "flagged_duplicate", "ground", "commune"]
    search_fields = ["person__national_id"]
    folded_search_field = "person__search_key"
    autocomplete_fields = ["person", "campaign", "commune", "ground"]
    list_select_related = ["person", "campaign", "campaign__district", "commune", "ground"]
    readonly_fields = ["stage", "flagged_duplicate"]
    inlines = [StageChangeInline]
    list_per_page = 50


@admin.register(StageChange)
class StageChangeAdmin(CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["candidate", "from_stage", "to_stage", "by", "at"]
    list_filter = ["to_stage", "from_stage"]
    search_fields = ["candidate__person__search_key", "note"]
    list_select_related = ["candidate", "candidate__person", "candidate__campaign", "by"]
    readonly_fields = ["candidate", "from_stage", "to_stage", "by", "at", "note"]

    def has_add_permission(self, request):
        return False
