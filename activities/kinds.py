"""The kinds of activity records, each described once: its model, form, rows, service and columns. The
pages, the exports and the admin read these descriptions, so a kind is added in one place."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from . import forms, services
from .models import AttendanceStatus, DutyLog, EducationCourse, PolicyFamily, PolicyVisit, Training, WorkDay


@dataclass(frozen=True)
class Column:
    label: str
    value: object  # record -> value shown (a date, a number or text)


@dataclass(frozen=True)
class Rows:
    """The rows a record holds (events, attendance, groups): a formset on its page, a table on its detail."""

    name: str  # the service's keyword and the formset's prefix
    title: str
    form: type
    columns: tuple
    initial: object  # record -> [row dicts for the form]
    related: str  # the related manager of the record
    select_related: tuple = ()
    extra: int = 3


@dataclass(frozen=True)
class Kind:
    key: str
    model: type
    title: str
    title_plural: str
    form: type
    save: object  # the service
    instance_kw: str  # the service's keyword for the record being changed
    date_field: str
    columns: tuple
    rows: tuple = ()
    select_related: tuple = ("unit",)
    annotate: dict = field(default_factory=dict)
    help_text: str = ""

    @property
    def model_name(self):
        return self.model._meta.model_name

    def perm(self, action):
        return f"activities.{action}_{self.model_name}"


def _date(name):
    return lambda record: getattr(record, name)


def _display(name):
    return lambda record: getattr(record, f"get_{name}_display")()


def _attr(path):
    def get(record):
        value = record
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    return get


def _person_rows(related, group=False):
    def initial(record):
        rows = []
        for row in getattr(record, related).select_related("person"):
            data = {"national_id": row.person.national_id or ""}
            if group:
                data["group"] = row.group
            else:
                data.update(status=row.status, result=row.result)
            rows.append(data)
        return rows

    return initial


UNIT = Column(_("Unit"), _attr("unit.name"))

KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            key="duty",
            model=DutyLog,
            title=_("Readiness duty log"),
            title_plural=_("Readiness duty"),
            form=forms.DutyLogForm,
            save=services.duty_log_save,
            instance_kw="log",
            date_field="on_date",
            help_text=_(
                "One entry per day of readiness duty (trực sẵn sàng chiến đấu): the officer on duty, the number on "
                "duty and the events handled. Section I of the annual report counts them."
            ),
            columns=(
                Column(_("Date"), _date("on_date")),
                UNIT,
                Column(_("Officer on duty"), _attr("officer")),
                Column(_("Number on duty"), _attr("on_duty")),
                Column(_("Events handled"), _attr("event_count")),
            ),
            annotate={"event_count": Count("events")},
            rows=(
                Rows(
                    name="events",
                    title=_("Events handled"),
                    form=forms.EventRowForm,
                    related="events",
                    columns=(
                        Column(_("Kind"), _display("kind")),
                        Column(_("What happened"), _attr("description")),
                        Column(_("People taking part"), _attr("participants")),
                    ),
                    initial=lambda record: list(record.events.values("kind", "description", "participants")),
                ),
            ),
        ),
        Kind(
            key="training",
            model=Training,
            title=_("Training or exercise"),
            title_plural=_("Training and exercises"),
            form=forms.TrainingForm,
            save=services.training_save,
            instance_kw="training",
            date_field="starts_on",
            help_text=_(
                "Courses, drills, defensive-combat exercises and shooting, with each person's attendance and result. "
                "A militia member's last trained year comes from this attendance."
            ),
            columns=(
                Column(_("Starts on"), _date("starts_on")),
                Column(_("Ends on"), _date("ends_on")),
                UNIT,
                Column(_("Kind"), _display("kind")),
                Column(_("Title"), _attr("title")),
                Column(_("Present"), _attr("present_count")),
                Column(_("Safety incidents"), _attr("safety_incidents")),
            ),
            annotate={"present_count": Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT))},
            rows=(
                Rows(
                    name="attendances",
                    title=_("Attendance and results"),
                    form=forms.AttendanceRowForm,
                    related="attendances",
                    select_related=("person",),
                    columns=(
                        Column(_("Full name"), _attr("person.full_name")),
                        Column(_("National ID"), _attr("person.national_id")),
                        Column(_("Attendance"), _display("status")),
                        Column(_("Result"), _display("result")),
                    ),
                    initial=_person_rows("attendances"),
                    extra=5,
                ),
            ),
        ),
        Kind(
            key="education",
            model=EducationCourse,
            title=_("Defence education course"),
            title_plural=_("Defence and security education"),
            form=forms.EducationCourseForm,
            save=services.education_course_save,
            instance_kw="course",
            date_field="starts_on",
            help_text=_(
                "Courses of defence and security education: the number trained in each target group, or the "
                "attendees by name. Section VII of the annual report counts them."
            ),
            columns=(
                Column(_("Starts on"), _date("starts_on")),
                Column(_("Ends on"), _date("ends_on")),
                UNIT,
                Column(_("Title"), _attr("title")),
                Column(_("Number trained"), _attr("trained_total")),
            ),
            annotate={"trained_total": Sum("group_counts__trained")},
            rows=(
                Rows(
                    name="group_counts",
                    title=_("Numbers trained per group"),
                    form=forms.GroupCountRowForm,
                    related="group_counts",
                    columns=(
                        Column(_("Target group"), _display("group")),
                        Column(_("Number trained"), _attr("trained")),
                    ),
                    initial=lambda record: list(record.group_counts.values("group", "trained")),
                ),
                Rows(
                    name="attendees",
                    title=_("Attendees by name"),
                    form=forms.AttendeeRowForm,
                    related="attendees",
                    select_related=("person",),
                    columns=(
                        Column(_("Full name"), _attr("person.full_name")),
                        Column(_("National ID"), _attr("person.national_id")),
                        Column(_("Target group"), _display("group")),
                    ),
                    initial=_person_rows("attendees", group=True),
                ),
            ),
        ),
        Kind(
            key="families",
            model=PolicyFamily,
            title=_("Policy family"),
            title_plural=_("Policy families"),
            form=forms.PolicyFamilyForm,
            save=services.policy_family_save,
            instance_kw="family",
            date_field="",
            help_text=_("Families of soldiers on duty, of the fallen and of war invalids (gia đình chính sách)."),
            columns=(
                UNIT,
                Column(_("Kind"), _display("kind")),
                Column(_("Head of the family"), _attr("head")),
                Column(_("Soldier"), _attr("soldier")),
                Column(_("Address"), _attr("address")),
            ),
        ),
        Kind(
            key="visits",
            model=PolicyVisit,
            title=_("Visit and gifts"),
            title_plural=_("Visits and gifts"),
            form=forms.PolicyVisitForm,
            save=services.policy_visit_save,
            instance_kw="visit",
            date_field="visited_on",
            select_related=("unit", "family"),
            help_text=_("Visits to policy families and soldiers, with the value of the gifts (section VIII)."),
            columns=(
                Column(_("Date"), _date("visited_on")),
                UNIT,
                Column(_("Occasion"), _attr("occasion")),
                Column(_("Family visited"), _attr("family.head")),
                Column(_("Place"), _attr("place")),
                Column(_("Gift value (VND)"), _attr("gift_value")),
            ),
        ),
        Kind(
            key="workdays",
            model=WorkDay,
            title=_("Civil-affairs work"),
            title_plural=_("Civil-affairs work"),
            form=forms.WorkDayForm,
            save=services.work_day_save,
            instance_kw="work_day",
            date_field="on_date",
            help_text=_("Work done for the people (dân vận), counted in person-days (section VIII)."),
            columns=(
                Column(_("Date"), _date("on_date")),
                UNIT,
                Column(_("Work done"), _attr("work")),
                Column(_("Place"), _attr("place")),
                Column(_("Participants"), _attr("participants")),
                Column(_("Days"), _attr("days")),
                Column(_("Person-days"), _attr("person_days")),
            ),
        ),
    )
}
