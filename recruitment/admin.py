"""Admin for recruitment: reference grounds, campaigns, quotas, candidates and their stage changes."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from units.admin import ChangesAdminMixin, FoldedSearchMixin, ScopedAdminMixin, ScopedInline
from units.forms import CleanInputAdminMixin

from . import rules
from .models import (
    Campaign,
    Candidate,
    DeferralGround,
    HealthClass,
    LegalProvision,
    ListPosting,
    Quota,
    RegistrationExclusion,
    StageChange,
)


@admin.register(HealthClass)
class HealthClassAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "callable", "note"]


@admin.register(LegalProvision)
class LegalProvisionAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    """Versions of the rules with their dates; a fact marked unconfirmed is corrected here."""

    list_display = ["rule", "valid_from", "valid_to", "citation", "confirmed"]
    list_filter = ["rule", "confirmed"]
    search_fields = ["citation", "note"]


@admin.register(ListPosting)
class ListPostingAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["campaign", "commune", "kind", "posted_on", "place"]
    list_filter = ["kind", "campaign__year"]
    autocomplete_fields = ["campaign", "commune"]
    list_select_related = ["campaign", "campaign__district", "commune"]


class RegistrationExclusionForm(forms.ModelForm):
    class Meta:
        model = RegistrationExclusion
        fields = ["campaign", "person", "commune", "ground", "until", "note"]

    def clean(self):
        cleaned = super().clean()
        try:
            rules.validate_registration_exclusion(ground=cleaned.get("ground"))
        except ValidationError as exc:
            self.add_error("ground", exc)
        return cleaned


@admin.register(RegistrationExclusion)
class RegistrationExclusionAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = RegistrationExclusionForm
    list_display = ["person", "campaign", "commune", "ground", "until"]
    list_filter = ["ground", "campaign__year"]
    autocomplete_fields = ["campaign", "person", "commune", "ground"]
    list_select_related = ["person", "campaign", "campaign__district", "commune", "ground"]


@admin.register(DeferralGround)
class DeferralGroundAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "kind", "label_vi", "label_en", "law_ref"]
    list_filter = ["kind"]
    search_fields = ["code", "label_vi", "label_en"]


class QuotaInline(CleanInputAdminMixin, ScopedInline):
    model = Quota
    extra = 0
    autocomplete_fields = ["commune"]


@admin.register(Campaign)
class CampaignAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "district", "handover_date", "district_quota", "status"]
    list_filter = ["status", "year", "district"]
    search_fields = ["year", "district__name"]
    autocomplete_fields = ["district"]
    list_select_related = ["district"]
    inlines = [QuotaInline]


@admin.register(Quota)
class QuotaAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["campaign", "commune", "count"]
    list_filter = ["campaign__year", "campaign"]
    search_fields = ["commune__name"]
    autocomplete_fields = ["campaign", "commune"]
    list_select_related = ["campaign", "campaign__district", "commune"]


class StageChangeInline(CleanInputAdminMixin, ScopedInline):
    model = StageChange
    extra = 0
    fields = ["from_stage", "to_stage", "by", "at", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # stage changes are made by the service, never by hand


class CandidateAdminForm(forms.ModelForm):
    """The admin corrects records through the same rules as the pages: a study deferment records its level, a
    verification is recorded whole."""

    class Meta:
        model = Candidate
        # Every field the admin shows; the checks below read the study and verification ones.
        fields = ["person", "campaign", "commune", "stage", "health_class", "education", "ground", "ground_ends_on"]
        fields += ["study_level", "myopia_dioptres", "hyperopia", "drug_use", "hiv", "low_grade_approval"]
        fields += ["political_checked_on", "political_checked_by", "political_result", "matching_profession"]
        fields += ["reason", "notes", "handover_date", "receiving_unit", "flagged_duplicate"]

    def clean(self):
        cleaned = super().clean()
        checks = [
            lambda: rules.validate_political_record(
                checked_on=cleaned.get("political_checked_on"),
                checked_by=cleaned.get("political_checked_by") or "",
                result=cleaned.get("political_result") or "",
            ),
        ]
        ground = cleaned.get("ground")
        if self.instance.stage == "deferred" and ground is not None:
            checks.append(
                lambda: rules.validate_ground(
                    stage="deferred",
                    ground=ground,
                    ground_ends_on=cleaned.get("ground_ends_on"),
                    study_level=cleaned.get("study_level") or "",
                )
            )
        for check in checks:
            try:
                check()
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


@admin.register(Candidate)
class CandidateAdmin(ChangesAdminMixin, CleanInputAdminMixin, FoldedSearchMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = CandidateAdminForm
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
    keep_records = True


@admin.register(StageChange)
class StageChangeAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["candidate", "from_stage", "to_stage", "by", "at"]
    list_filter = ["to_stage", "from_stage"]
    search_fields = ["candidate__person__search_key", "note"]
    list_select_related = ["candidate", "candidate__person", "candidate__campaign", "by"]
    readonly_fields = ["candidate", "from_stage", "to_stage", "by", "at", "note"]
    keep_records = True

    def has_add_permission(self, request):
        return False
