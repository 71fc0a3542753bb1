"""Forms of the records of activities: the record itself and its rows (events, attendance, groups)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from people.forms import DateInput
from people.rules import normalize_national_id
from units.forms import CleanInputMixin
from units.models import Unit

from .models import (
    AttendanceStatus,
    DutyEventKind,
    DutyLog,
    EducationCourse,
    PolicyFamily,
    PolicyVisit,
    Result,
    TargetGroup,
    Training,
    WorkDay,
)


def units_for_records(user, *, write=True):
    """The units where the user may record activities (or read them): communes and above, not hamlets."""
    units = Unit.objects.editable_by(user) if write else Unit.objects.visible_to(user)
    return units.current().exclude(parent__kind__is_commune_level=True).select_related("kind").order_by("path")


class _RecordForm(CleanInputMixin, forms.ModelForm):
    date_fields = ()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for_records(user)
        for name in self.date_fields:
            self.fields[name].widget = DateInput()
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 2


class DutyLogForm(_RecordForm):
    date_fields = ("on_date",)

    class Meta:
        model = DutyLog
        fields = ["unit", "on_date", "officer", "on_duty", "notes"]


class TrainingForm(_RecordForm):
    date_fields = ("starts_on", "ends_on")
    add_militia = forms.BooleanField(
        label=_("List the unit's militia as present"),
        required=False,
        help_text=_("Every member in the ranks on the first day; correct the absent ones below after saving."),
    )

    class Meta:
        model = Training
        fields = ["unit", "kind", "title", "starts_on", "ends_on", "safety_incidents", "notes"]


class EducationCourseForm(_RecordForm):
    date_fields = ("starts_on", "ends_on")

    class Meta:
        model = EducationCourse
        fields = ["unit", "title", "starts_on", "ends_on", "notes"]


class PolicyFamilyForm(_RecordForm):
    class Meta:
        model = PolicyFamily
        fields = ["unit", "kind", "head", "soldier", "address", "notes"]


class PolicyVisitForm(_RecordForm):
    date_fields = ("visited_on",)

    class Meta:
        model = PolicyVisit
        fields = ["unit", "visited_on", "family", "occasion", "place", "participants", "gift_value", "notes"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        families = PolicyFamily.objects.visible_to(user).select_related("unit")
        self.fields["family"].queryset = families.order_by("unit__name", "head")


class WorkDayForm(_RecordForm):
    date_fields = ("on_date",)

    class Meta:
        model = WorkDay
        fields = ["unit", "on_date", "work", "place", "participants", "days", "notes"]
        localized_fields = ["days"]


# --- Rows ------------------------------------------------------------------------------------------------


class _RowForm(CleanInputMixin, forms.Form):
    """A row of a record; a row left empty is skipped."""

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = persons
        for field in self.fields.values():
            field.required = False
            css = "form-select form-select-sm" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css if "select" in css else "form-control form-control-sm")

    def is_empty(self):
        return not any(self.cleaned_data.get(name) for name in self.required_fields)

    def clean(self):
        data = super().clean()
        if self.is_empty():
            return data
        for name in self.required_fields:
            if data.get(name) in (None, ""):
                self.add_error(name, _("This field is required."))
        return data

    def _person(self, national_id):
        try:
            national_id = normalize_national_id(national_id)
        except forms.ValidationError as exc:
            self.add_error("national_id", exc)
            return None
        person = self.persons.filter(national_id=national_id).first() if national_id else None
        if national_id and person is None:
            self.add_error("national_id", _("No person with this national ID in your units."))
        return person

    def row(self):
        return {name: self.cleaned_data.get(name) for name in self.fields}


class EventRowForm(_RowForm):
    required_fields = ("kind", "description")
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *DutyEventKind.choices])
    description = forms.CharField(label=_("what happened"), max_length=255)
    participants = forms.IntegerField(label=_("people taking part"), min_value=0, max_value=32767)

    def row(self):
        data = super().row()
        data["participants"] = data["participants"] or 0
        return data


class AttendanceRowForm(_RowForm):
    required_fields = ("national_id",)
    national_id = forms.CharField(label=_("national ID"), max_length=20)
    status = forms.ChoiceField(label=_("attendance"), choices=AttendanceStatus.choices)
    result = forms.ChoiceField(label=_("result"), choices=[("", "—"), *Result.choices])

    def clean(self):
        data = super().clean()
        if not self.is_empty() and data.get("national_id"):
            data["person"] = self._person(data["national_id"])
        return data

    def row(self):
        data = self.cleaned_data
        return {
            "person": data["person"],
            "status": data["status"] or AttendanceStatus.PRESENT,
            "result": data["result"],
        }


class GroupCountRowForm(_RowForm):
    required_fields = ("group", "trained")
    group = forms.ChoiceField(label=_("target group"), choices=[("", "—"), *TargetGroup.choices])
    trained = forms.IntegerField(label=_("number trained"), min_value=0, max_value=1_000_000)


class AttendeeRowForm(_RowForm):
    required_fields = ("national_id", "group")
    national_id = forms.CharField(label=_("national ID"), max_length=20)
    group = forms.ChoiceField(label=_("target group"), choices=[("", "—"), *TargetGroup.choices])

    def clean(self):
        data = super().clean()
        if not self.is_empty() and data.get("national_id"):
            data["person"] = self._person(data["national_id"])
        return data

    def row(self):
        return {"person": self.cleaned_data["person"], "group": self.cleaned_data["group"]}


def row_formset(form_class, *, extra):
    return forms.formset_factory(form_class, extra=extra, max_num=500, absolute_max=500, validate_max=True)


class FilterForm(CleanInputMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1950, max_value=2100)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field, forms.ModelChoiceField) else "form-control"

    def apply(self, queryset, date_field):
        if not self.is_bound or not self.is_valid():
            return queryset
        if self.cleaned_data.get("year"):
            queryset = queryset.filter(**{f"{date_field}__year": self.cleaned_data["year"]})
        if self.cleaned_data.get("unit"):
            queryset = queryset.filter(unit__path__startswith=self.cleaned_data["unit"].path)
        return queryset
