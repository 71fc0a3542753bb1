"""Admin of the records of activities, scoped for non-superusers like their pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from units.admin import ChangesAdminMixin, ScopedAdminMixin, ScopedInline
from units.forms import CleanInputAdminMixin

from . import services
from .models import (
    Attendance,
    Attendee,
    DutyEvent,
    DutyLog,
    EducationCourse,
    GroupCount,
    PolicyFamily,
    PolicyVisit,
    Training,
    WorkDay,
)


class DutyEventInline(CleanInputAdminMixin, ScopedInline):
    model = DutyEvent
    extra = 1


class AttendanceInline(CleanInputAdminMixin, ScopedInline):
    model = Attendance
    extra = 1
    autocomplete_fields = ["person"]


class GroupCountInline(CleanInputAdminMixin, ScopedInline):
    model = GroupCount
    extra = 1


class AttendeeInline(CleanInputAdminMixin, ScopedInline):
    model = Attendee
    extra = 1
    autocomplete_fields = ["person"]


class _RecordAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    list_per_page = 50


@admin.register(DutyLog)
class DutyLogAdmin(_RecordAdmin):
    list_display = ["on_date", "unit", "officer", "on_duty"]
    list_filter = ["unit"]
    date_hierarchy = "on_date"
    search_fields = ["officer", "unit__name"]
    inlines = [DutyEventInline]


@admin.register(Training)
class TrainingAdmin(_RecordAdmin):
    list_display = ["title", "kind", "unit", "starts_on", "ends_on", "safety_incidents"]
    list_filter = ["kind", "unit"]
    search_fields = ["title", "unit__name"]
    inlines = [AttendanceInline]

    def save_related(self, request, form, formsets, change):
        # The attendance decides the militia's last trained year, whichever page changed it.
        training = form.instance
        before = set(training.attendances.values_list("person_id", flat=True))
        super().save_related(request, form, formsets, change)
        services.training_attendance_changed(training=training, person_ids=before)


@admin.register(EducationCourse)
class EducationCourseAdmin(_RecordAdmin):
    list_display = ["title", "unit", "starts_on", "ends_on"]
    list_filter = ["unit"]
    search_fields = ["title", "unit__name"]
    inlines = [GroupCountInline, AttendeeInline]


@admin.register(PolicyFamily)
class PolicyFamilyAdmin(_RecordAdmin):
    list_display = ["head", "kind", "unit", "soldier"]
    list_filter = ["kind", "unit"]
    search_fields = ["head", "soldier"]


@admin.register(PolicyVisit)
class PolicyVisitAdmin(_RecordAdmin):
    list_display = ["visited_on", "occasion", "unit", "family", "gift_value"]
    list_filter = ["unit"]
    search_fields = ["occasion", "place"]
    autocomplete_fields = ["unit", "family"]
    list_select_related = ["unit", "family"]


@admin.register(WorkDay)
class WorkDayAdmin(_RecordAdmin):
    list_display = ["on_date", "work", "unit", "place", "participants", "days"]
    list_filter = ["unit"]
    search_fields = ["work", "place"]
