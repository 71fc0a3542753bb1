"""Admin of the reports app: report definitions are data an admin edits; reports are filed on the
portal's pages, so the admin shows them read-only (the workflow has its own steps and checks)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from units.admin import ChangesAdminMixin, ScopedAdminMixin
from units.figures import figure_choices
from units.forms import CleanInputAdminMixin, CleanInputMixin

from . import rules, services
from .models import (
    Indicator,
    IndicatorValue,
    IssuingBody,
    Period,
    Report,
    ReportComment,
    ReportStatus,
    ReportTemplate,
    ReportTransition,
    SectionIndicator,
    SectionText,
    Target,
    TemplateSection,
)


@admin.register(Target)
class TargetAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "year", "indicator", "value"]
    list_filter = ["year", "indicator"]
    search_fields = ["unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


class IndicatorForm(CleanInputMixin, forms.ModelForm):
    source = forms.ChoiceField(label=_("automatic source"), required=False)

    class Meta:
        model = Indicator
        fields = ["code", "label", "unit_of_measure", "aggregation", "min_value", "max_value", "decimals", "source"]
        fields += ["help_text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("— typed by hand —"))] + figure_choices()
        self.fields["source"].help_text = Indicator._meta.get_field("source").help_text


@admin.register(Indicator)
class IndicatorAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    form = IndicatorForm
    list_display = ["code", "label", "unit_of_measure", "aggregation", "source"]
    list_filter = ["aggregation"]
    search_fields = ["code", "label"]


class TemplateSectionInline(CleanInputAdminMixin, admin.TabularInline):
    model = TemplateSection
    fields = ["order", "heading", "guidance"]
    extra = 0
    show_change_link = True


@admin.register(ReportTemplate)
class ReportTemplateAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "period_kind", "is_active"]
    list_filter = ["period_kind", "is_active"]
    filter_horizontal = ["unit_kinds"]
    inlines = [TemplateSectionInline]


class SectionIndicatorInline(CleanInputAdminMixin, admin.TabularInline):
    model = SectionIndicator
    fields = ["order", "indicator"]
    autocomplete_fields = ["indicator"]
    extra = 1


@admin.register(TemplateSection)
class TemplateSectionAdmin(ChangesAdminMixin, CleanInputAdminMixin, admin.ModelAdmin):
    list_display = ["heading", "template", "order"]
    list_filter = ["template"]
    inlines = [SectionIndicatorInline]


@admin.action(description=_("Open the selected periods (create the reports each unit owes)"), permissions=["change"])
def open_periods(modeladmin, request, queryset):
    created = sum(services.period_open(period=period, user=request.user) for period in queryset)
    modeladmin.message_user(
        request,
        ngettext("%(n)d report created.", "%(n)d reports created.", created) % {"n": created},
        messages.SUCCESS,
    )


PERIOD_SHARED_NOTE = _(
    "Reports exist for this period and every district shares it: only a system administrator may change "
    "its dates, since a change moves the due date of every district's reports."
)


@admin.register(Period)
class PeriodAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "year", "number", "start", "end", "due_date", "opened_at"]
    list_filter = ["kind", "year"]
    actions = [open_periods]
    change_form_template = "admin/portal/change_form.html"

    def has_change_permission(self, request, obj=None):
        if obj is not None and not rules.may_change_period(user=request.user, period=obj):
            return False
        return super().has_change_permission(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        notes = []
        if obj is not None and not rules.may_change_period(user=request.user, period=obj):
            notes.append(PERIOD_SHARED_NOTE)
        context["record_notes"] = notes
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class _ReadOnlyInline(CleanInputAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IndicatorValueInline(_ReadOnlyInline):
    model = IndicatorValue
    fields = ["indicator", "value", "auto_value", "override_reason"]
    readonly_fields = fields


class SectionTextInline(_ReadOnlyInline):
    model = SectionText
    fields = ["section", "text"]
    readonly_fields = fields


class TransitionInline(_ReadOnlyInline):
    model = ReportTransition
    fields = ["at", "actor", "from_status", "to_status", "comment"]
    readonly_fields = fields


class CommentInline(_ReadOnlyInline):
    model = ReportComment
    fields = ["created_at", "author", "section", "text"]
    readonly_fields = fields


APPROVED_NOTE = _(
    "This report is approved and can no longer be changed, here or anywhere. To correct it, the approver "
    "reopens it with a reason on the report's page; the change then shows on its timeline."
)


@admin.register(Report)
class ReportAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "period", "status", "version", "submitted_at", "approved_at", "doc_number"]
    list_filter = ["status", "period"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "period"]
    readonly_fields = [
        "unit",
        "period",
        "template",
        "status",
        "version",
        "last_saved_at",
        "last_saved_by",
        "submitted_at",
        "first_submitted_at",
        "submitted_by",
        "approved_at",
        "approved_by",
        "doc_number",
    ]
    fields = readonly_fields + ["signer_title", "signer_name", "recipients"]
    inlines = [SectionTextInline, IndicatorValueInline, CommentInline, TransitionInline]

    def has_add_permission(self, request):
        return False  # reports are created by opening a period

    keep_records = True

    def has_change_permission(self, request, obj=None):
        # An approved report is read-only everywhere: a change goes through reopening, with a reason,
        # on the report's page, so that the timeline shows it.
        if obj is not None and obj.status == ReportStatus.APPROVED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and (obj is None or obj.version == 0)

    def record_notes(self, request, obj):
        notes = super().record_notes(request, obj)
        if obj is not None and obj.status == ReportStatus.APPROVED:
            notes.append(APPROVED_NOTE)
        return notes


@admin.register(IssuingBody)
class IssuingBodyAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "name", "abbreviation", "signer_name"]
    search_fields = ["unit__name", "name"]
    autocomplete_fields = ["unit"]
