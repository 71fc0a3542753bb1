"""Forms of the rosters: list filters (kept in the URL), membership and reservist forms."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.forms import CommuneHamletFilterMixin, DateInput, PersonLookupMixin, unit_label
from people.models import Ethnicity, Person
from people.selectors import AGE_BANDS
from units.concurrency import EditGuardMixin
from units.dates import validate_date_range
from units.forms import BootstrapFieldsMixin, CleanInputMixin
from units.models import Unit
from units.widgets import use_fast_selects

from . import selectors
from .models import (
    DutyKind,
    ForceType,
    MemberStatus,
    MilitiaDutyGround,
    MilitiaDutyRecord,
    MilitiaMember,
    ReserveAgeLimit,
    ReservePost,
    Reservist,
    ReservistCategory,
    ReservistStatus,
)

YES_NO = [("", _("All")), ("1", _("Yes")), ("0", _("No"))]
AGE_CHOICES = [("", _("All"))] + [(k, k.replace("u18", "< 18")) for k in AGE_BANDS]


class _RosterFilterForm(BootstrapFieldsMixin, CommuneHamletFilterMixin, CleanInputMixin, forms.Form):
    """Filters shared by both rosters; the subclass adds its own and applies them."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name (diacritics optional)"), "type": "search"}),
    )
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Unit.objects.none(), required=False)
    hamlet = forms.ModelChoiceField(label=_("Hamlet"), queryset=Unit.objects.none(), required=False)
    party = forms.ChoiceField(label=_("Party member"), choices=YES_NO, required=False)
    ethnicity = forms.ModelChoiceField(label=_("Ethnic group"), queryset=Ethnicity.objects.all(), required=False)
    age = forms.ChoiceField(label=_("Age"), choices=AGE_CHOICES, required=False)

    def __init__(self, *args, communes, hamlets, **kwargs):
        super().__init__(*args, **kwargs)
        use_fast_selects(self)
        self.fields["commune"].queryset = communes
        self.fields["hamlet"].queryset = hamlets
        self.fields["hamlet"].label_from_instance = unit_label
        self.limit_hamlets()

    def apply(self, queryset):
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        text = (data.get("q") or "").strip()
        if text:
            queryset = queryset.filter(person__in=Person.objects.search(text))
        if data.get("commune"):
            queryset = queryset.filter(unit__path__startswith=data["commune"].path)
        if data.get("hamlet"):
            queryset = queryset.filter(person__home_unit=data["hamlet"])
        if data.get("party") in ("0", "1"):
            queryset = queryset.filter(person__is_party_member=data["party"] == "1")
        if data.get("ethnicity"):
            queryset = queryset.filter(person__ethnicity=data["ethnicity"])
        if data.get("age"):
            queryset = selectors.filter_person_age_band(queryset, data["age"], on=data.get("on"))
        return self.apply_own(queryset, data)

    def apply_own(self, queryset, data):
        return queryset


class _StandingMixin(forms.Form):
    """Where a record stood on a day: `on` (today when empty) and `standing`, a choice of the subclass whose
    filter is one of the roster's rule functions (`militia.selectors`)."""

    on = forms.DateField(label=_("On the date"), required=False, widget=DateInput())

    def clean_on(self):
        day = self.cleaned_data.get("on")
        validate_date_range(day)
        return day

    def day(self, data):
        return data.get("on") or timezone.localdate()


class MemberFilterForm(_StandingMixin, _RosterFilterForm):
    STANDINGS = {
        "strength": selectors.in_ranks_q,
        "roster": selectors.on_roster_q,
        "over_age": selectors.over_age_on_q,
    }
    standing = forms.ChoiceField(
        label=_("Standing on the date"),
        choices=[
            ("", _("All")),
            ("strength", _("In the force (strength)")),
            ("roster", _("On the roster")),
            ("over_age", _("Past the age limit")),
        ],
        required=False,
    )
    force_type = forms.ModelChoiceField(label=_("Force type"), queryset=ForceType.objects.all(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + list(MemberStatus.choices), required=False, initial="active"
    )
    core = forms.ChoiceField(label=_("Core force"), choices=YES_NO, required=False)
    ending_within = forms.IntegerField(label=_("Term ends within (months)"), required=False, min_value=0, max_value=120)
    not_trained = forms.BooleanField(label=_("Not trained in the year"), required=False)
    due_to_leave = forms.BooleanField(label=_("Due to leave for age in the year"), required=False)

    def apply_own(self, queryset, data):
        day = self.day(data)
        if data.get("standing") in self.STANDINGS:
            queryset = queryset.filter(self.STANDINGS[data["standing"]](day))
        if data.get("due_to_leave"):
            queryset = queryset.filter(selectors.due_to_leave_q(day.year))
        if data.get("force_type"):
            queryset = queryset.filter(force_type=data["force_type"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("core") in ("0", "1"):
            queryset = queryset.filter(is_core=data["core"] == "1")
        if data.get("ending_within") is not None:
            today = timezone.localdate()
            queryset = queryset.filter(
                term_ends_on__gte=today, term_ends_on__lte=selectors.add_months(today, data["ending_within"])
            )
        if data.get("not_trained"):
            queryset = queryset.exclude(last_trained_year=day.year)
        return queryset


class ReservistFilterForm(_StandingMixin, _RosterFilterForm):
    standing = forms.ChoiceField(
        label=_("Standing on the date"),
        choices=[
            ("", _("All")),
            ("roster", _("Within the age of service")),
            ("over_age", _("Past the age of service")),
        ],
        required=False,
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All"))] + list(ReservistCategory.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + list(ReservistStatus.choices), required=False
    )
    placed = forms.ChoiceField(label=_("Placed in a unit"), choices=YES_NO, required=False)
    mismatch = forms.BooleanField(label=_("Specialty does not match"), required=False)

    def apply_own(self, queryset, data):
        day = self.day(data)
        if data.get("standing") in ("roster", "over_age"):
            limits = ReserveAgeLimit.objects.rows()
            rule = selectors.reservists_on_q if data["standing"] == "roster" else selectors.reservists_over_age_q
            queryset = queryset.filter(rule(day, limits=limits))
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("placed") == "1":
            queryset = queryset.filter(selectors.placed_on_q(day))
        elif data.get("placed") == "0":
            queryset = queryset.exclude(selectors.placed_on_q(day))
        if data.get("mismatch"):
            queryset = queryset.filter(selectors.placed_on_q(day)).exclude(selectors.placed_matching_on_q(day))
        return queryset


def roster_filter_form(form_class, request, *, communes, hamlets):
    """A bound filter form; an unfiltered first visit shows active records. A standing on a date replaces
    that default: who stood in the force on a past day may have left since."""
    data = request.GET.copy()
    if "status" not in data and not data.get("standing"):
        data["status"] = "active"
    return form_class(data, communes=communes, hamlets=hamlets)


def _preselect_single(form, communes):
    """An officer of one commune should not have to pick it."""
    if not form.instance.pk and "unit" not in form.initial:
        only = list(communes[:2])
        if len(only) == 1:
            form.initial["unit"] = only[0].pk


class MemberForm(EditGuardMixin, PersonLookupMixin, CleanInputMixin, forms.ModelForm):
    class Meta:
        model = MilitiaMember
        fields = [
            "unit",
            "force_type",
            "is_core",
            "platoon",
            "squad",
            "position",
            "joined_on",
            "extension_years",
            "extension_decision",
            "is_volunteer",
            "notes",
        ]
        widgets = {"joined_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = communes
        _preselect_single(self, communes)
        if not self.instance.pk:
            self.fields["joined_on"].initial = timezone.localdate()
        if self.instance.pk:
            self.fields.pop("person_id")
            self.fields.pop("person_national_id")
        self.helper = FormHelper()
        self.helper.render_hidden_fields = True  # the edit guard's loaded version
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Membership"),
                Row(
                    Column("unit", css_class="col-md-4"),
                    Column("force_type", css_class="col-md-4"),
                    Column("position", css_class="col-md-4"),
                ),
                Row(
                    Column("platoon", css_class="col-md-4"),
                    Column("squad", css_class="col-md-4"),
                    Column("joined_on", css_class="col-md-4"),
                ),
                Row(
                    Column("is_core", css_class="col-md-3"),
                    Column("is_volunteer", css_class="col-md-3"),
                    Column("extension_years", css_class="col-md-3"),
                    Column("extension_decision", css_class="col-md-3"),
                ),
                "notes",
            ),
        )


class ReservistForm(EditGuardMixin, PersonLookupMixin, CleanInputMixin, forms.ModelForm):
    class Meta:
        model = Reservist
        fields = [
            "unit",
            "category",
            "tier",
            "rank",
            "specialty_code",
            "registered_on",
            "post",
            "placed_on",
            "notes",
        ]
        widgets = {
            "registered_on": DateInput(),
            "placed_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, communes, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = communes
        _preselect_single(self, communes)
        if not self.instance.pk:
            self.fields["registered_on"].initial = timezone.localdate()
        if self.instance.post_id:
            # A commune officer does not see the district's reserve units: the post held must stay a choice,
            # or saving any other change would silently drop the placement.
            posts = posts | ReservePost.objects.filter(pk=self.instance.post_id)
        self.fields["post"].queryset = posts
        if self.instance.pk:
            self.fields.pop("person_id")
            self.fields.pop("person_national_id")
        self.helper = FormHelper()
        self.helper.render_hidden_fields = True  # the edit guard's loaded version
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Reservist"),
                Row(
                    Column("unit", css_class="col-md-4"),
                    Column("category", css_class="col-md-4"),
                    Column("tier", css_class="col-md-4"),
                ),
                Row(
                    Column("rank", css_class="col-md-4"),
                    Column("specialty_code", css_class="col-md-4"),
                    Column("registered_on", css_class="col-md-4"),
                ),
            ),
            Fieldset(
                _("Placement in a reserve unit"),
                Row(Column("post", css_class="col-md-8"), Column("placed_on", css_class="col-md-4")),
            ),
            "notes",
        )


class EndMembershipForm(CleanInputMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("How the membership ended"),
        choices=[(v, label) for v, label in MemberStatus.choices if v != MemberStatus.ACTIVE],
    )
    exit_date = forms.DateField(label=_("Exit date"), widget=DateInput())
    exit_reason = forms.CharField(label=_("Reason"), max_length=255)
    confirm = forms.BooleanField(label=_("I confirm: end this membership"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("end", _("End membership"), css_class="btn btn-danger"))


class ReservistStatusForm(CleanInputMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(v, label) for v, label in ReservistStatus.choices if v != ReservistStatus.ACTIVE],
    )
    reason = forms.CharField(label=_("Reason"), max_length=255)
    left_on = forms.DateField(
        label=_("Left the roster on"),
        widget=DateInput(),
        required=False,
        help_text=_("Today when left empty."),
    )
    confirm = forms.BooleanField(label=_("I confirm: take this reservist off the active roster"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", _("Change status"), css_class="btn btn-danger"))


class DutyRecordFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of record"), choices=[("", _("All"))] + list(DutyKind.choices), required=False
    )
    in_force = forms.BooleanField(label=_("In force today"), required=False)

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        if self.cleaned_data.get("kind"):
            queryset = queryset.filter(kind=self.cleaned_data["kind"])
        if self.cleaned_data.get("in_force"):
            queryset = queryset.filter(MilitiaDutyRecord.objects.in_force_q(timezone.localdate()))
        return queryset


class DutyRecordForm(PersonLookupMixin, forms.ModelForm):
    """The April registration of militia duty (Law 48/2019 art. 9), a deferment or an exemption (art. 11)."""

    class Meta:
        model = MilitiaDutyRecord
        fields = ["unit", "kind", "recorded_on", "ground", "ends_on", "decision", "notes"]
        widgets = {"recorded_on": DateInput(), "ends_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = communes
        _preselect_single(self, communes)
        self.fields["recorded_on"].initial = timezone.localdate()
        self.fields["ground"].queryset = MilitiaDutyGround.objects.all()
        self.fields["ground"].help_text = _("For a deferment or an exemption (Law 48/2019 art. 11).")
        self.fields["ends_on"].help_text = _("For a deferment: the last day it covers.")
        self.fields["person_national_id"].help_text = _("The person must already be in the registry.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Militia duty"),
                Row(
                    Column("unit", css_class="col-md-4"),
                    Column("kind", css_class="col-md-4"),
                    Column("recorded_on", css_class="col-md-4"),
                ),
                Row(Column("ground", css_class="col-md-8"), Column("ends_on", css_class="col-md-4")),
                Row(Column("decision", css_class="col-md-4"), Column("notes", css_class="col-md-8")),
            ),
        )


def posts_for(user):
    return ReservePost.objects.visible_to(user).select_related("reserve_unit").order_by("reserve_unit__name", "title")


class RegisterForm(CleanInputMixin, forms.Form):
    """Which register, of which unit, as it stood on which day, in which file."""

    register = forms.ChoiceField(
        label=_("Which register"),
        choices=[("militia", _("Militia register")), ("reserve", _("Reserve register (by unit and post)"))],
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    on = forms.DateField(label=_("As of"), widget=DateInput())
    fmt = forms.ChoiceField(
        label=_("File"), choices=[("pdf", _("PDF")), ("docx", _("Word (.docx)")), ("xlsx", _("Excel (.xlsx)"))]
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        first = units.first()
        if first is not None:
            self.initial.setdefault("unit", first.pk)
