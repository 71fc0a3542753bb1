"""Admin for both rosters: filters, folded search, scoping for non-superusers, history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from units.admin import ChangesAdminMixin, FoldedSearchMixin, ScopedAdminMixin, ScopedInline
from units.forms import CleanInputAdminMixin

from .models import (
    ForceType,
    MilitiaDutyGround,
    MilitiaDutyRecord,
    MilitiaMember,
    PostExtensionLimit,
    ReserveAgeLimit,
    ReservePost,
    ReserveUnit,
    Reservist,
)


@admin.register(ForceType)
class ForceTypeAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["label_vi", "label_en", "code", "term_years", "max_extension_years", "order"]
    list_editable = ["order"]
    search_fields = ["label_vi", "label_en", "code"]


@admin.register(MilitiaMember)
class MilitiaMemberAdmin(
    ChangesAdminMixin, CleanInputAdminMixin, FoldedSearchMixin, ScopedAdminMixin, SimpleHistoryAdmin
):
    list_display = ["person", "unit", "force_type", "position", "joined_on", "term_ends_on", "status"]
    list_filter = ["status", "force_type", "is_core", "position", "is_volunteer", "unit"]
    search_fields = ["person__national_id"]
    folded_search_field = "person__search_key"
    autocomplete_fields = ["person", "unit"]
    list_select_related = ["person", "unit", "force_type"]
    keep_records = True
    # The last trained year comes from the attendance of trainings (activities), never typed.
    readonly_fields = ["term_ends_on", "last_trained_year"]
    list_per_page = 50


class ReservePostInline(CleanInputAdminMixin, ScopedInline):
    model = ReservePost
    extra = 1


@admin.register(ReserveUnit)
class ReserveUnitAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "district", "is_combat"]
    list_filter = ["kind", "is_combat", "district"]
    search_fields = ["name"]
    autocomplete_fields = ["parent", "district"]
    inlines = [ReservePostInline]


@admin.register(ReservePost)
class ReservePostAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "reserve_unit", "specialty_code", "required_count", "margin_percent"]
    list_filter = ["reserve_unit"]
    search_fields = ["title", "specialty_code", "reserve_unit__name"]
    autocomplete_fields = ["reserve_unit"]


@admin.register(Reservist)
class ReservistAdmin(ChangesAdminMixin, CleanInputAdminMixin, FoldedSearchMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "person",
        "unit",
        "category",
        "tier",
        "rank",
        "specialty_code",
        "post",
        "specialty_matches",
        "status",
    ]
    list_filter = ["status", "category", "tier", "specialty_matches", "unit"]
    search_fields = ["person__national_id", "specialty_code"]
    folded_search_field = "person__search_key"
    autocomplete_fields = ["person", "unit", "post"]
    keep_records = True
    list_select_related = ["person", "unit", "post", "post__reserve_unit"]
    list_per_page = 50


@admin.register(PostExtensionLimit)
class PostExtensionLimitAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["position", "max_extension_years", "law_ref"]


@admin.register(ReserveAgeLimit)
class ReserveAgeLimitAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["category", "rank", "sex", "max_age", "law_ref"]
    list_filter = ["category"]


@admin.register(MilitiaDutyGround)
class MilitiaDutyGroundAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "kind", "label_vi", "law_ref", "order"]
    list_filter = ["kind"]
    search_fields = ["code", "label_vi", "label_en"]


@admin.register(MilitiaDutyRecord)
class MilitiaDutyRecordAdmin(
    ChangesAdminMixin, CleanInputAdminMixin, FoldedSearchMixin, ScopedAdminMixin, SimpleHistoryAdmin
):
    list_display = ["person", "unit", "kind", "recorded_on", "ends_on", "ground"]
    list_filter = ["kind", "ground", "unit"]
    search_fields = ["person__national_id"]
    folded_search_field = "person__search_key"
    autocomplete_fields = ["person", "unit"]
    list_select_related = ["person", "unit", "ground"]
    list_per_page = 50
