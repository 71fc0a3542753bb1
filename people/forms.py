"""Forms of the registry: the list filters and the person form with its duplicate checks."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Fieldset, Layout, Row, Submit
from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from units.concurrency import EditGuardMixin
from units.forms import BootstrapFieldsMixin, CleanInputMixin
from units.freshness import queryset_key, remember
from units.models import Unit
from units.widgets import use_fast_selects

from . import rules
from .models import Ethnicity, Person, Sex
from .selectors import AGE_BANDS, person_possible_duplicates


class DateInput(forms.DateInput):
    """A text date field in dd/mm/yyyy, the way people write dates here."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off", **(attrs or {})}, format="%d/%m/%Y")


def unit_label(unit):
    if unit.parent_id and not unit.kind.is_commune_level:
        return f"{unit.name} – {unit.parent.name}"
    return unit.name


class NationalIdLookupForm(BootstrapFieldsMixin, CleanInputMixin, forms.Form):
    """Find one person by national ID, sent by POST: the number stays out of addresses and logs."""

    national_id = forms.CharField(
        label=_("Look up a national ID"),
        max_length=12,
        min_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": _("12 digits"), "maxlength": 12}
        ),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.person = None

    def clean_national_id(self):
        value = rules.normalize_national_id(self.cleaned_data["national_id"])
        if not value.isascii() or not value.isdigit():
            raise forms.ValidationError(_("A national ID has 12 digits."))
        self.person = self.people.filter(national_id=value).first()
        if self.person is None:
            raise forms.ValidationError(_("No person with this national ID in your units."))
        return value


class CommuneHamletFilterMixin:
    """The hamlet select of a list filter offers the hamlets of the commune chosen (or of the user's only
    commune), not every hamlet the user can see: a province has ~800, the nation ~7,000. With several
    communes and none chosen it asks for a commune first. A hamlet left over from the commune chosen
    before is dropped rather than filtering the list down to nothing. Validation still accepts any
    visible hamlet, so a saved address with a hamlet alone keeps working."""

    def limit_hamlets(self):
        field = self.fields["hamlet"]
        commune_pk, hamlet_pk = self._raw_pk("commune"), self._raw_pk("hamlet")
        shown = field.queryset
        if commune_pk is not None:
            shown = shown.filter(parent_id=commune_pk)
        elif not self._one_commune():
            shown = shown.filter(pk=hamlet_pk) if hamlet_pk is not None else shown.none()
            field.empty_label = _("Choose a commune first")
        field.options_queryset = shown

    def _raw_pk(self, name):
        if not self.is_bound:
            return None
        try:
            value = int(self.data.get(self.add_prefix(name)) or "")
        except (TypeError, ValueError):
            return None
        # An id no database column holds is no unit (and SQLite refuses to compare a column with it).
        return value if 0 < value < 2**63 else None

    def _one_commune(self):
        communes = self.fields["commune"].queryset.values_list("pk", flat=True)[:2]
        return remember(("one-commune", *queryset_key(communes)), lambda: len(communes) == 1, units=())  # the tree

    def clean(self):
        data = super().clean()
        commune, hamlet = data.get("commune"), data.get("hamlet")
        if commune and hamlet and hamlet.parent_id != commune.pk:
            data["hamlet"] = None
        return data


class PersonFilterForm(BootstrapFieldsMixin, CommuneHamletFilterMixin, CleanInputMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name (diacritics optional)"), "type": "search"}),
    )
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Unit.objects.none(), required=False)
    hamlet = forms.ModelChoiceField(label=_("Hamlet"), queryset=Unit.objects.none(), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("All"))] + list(Sex.choices), required=False)
    ethnicity = forms.ModelChoiceField(label=_("Ethnic group"), queryset=Ethnicity.objects.all(), required=False)
    age = forms.ChoiceField(
        label=_("Age"), choices=[("", _("All"))] + [(k, k.replace("u18", "< 18")) for k in AGE_BANDS], required=False
    )
    party = forms.ChoiceField(
        label=_("Party member"), choices=[("", _("All")), ("1", _("Yes")), ("0", _("No"))], required=False
    )

    def __init__(self, *args, communes, hamlets, **kwargs):
        super().__init__(*args, **kwargs)
        use_fast_selects(self)
        self.fields["commune"].queryset = communes
        self.fields["hamlet"].queryset = hamlets
        self.fields["hamlet"].label_from_instance = unit_label
        self.limit_hamlets()

    def apply(self, queryset):
        from .selectors import people_filter_by_age_band

        data = self.cleaned_data
        queryset = queryset.search(data.get("q"))
        if data.get("commune"):
            queryset = queryset.filter(home_unit__path__startswith=data["commune"].path)
        if data.get("hamlet"):
            queryset = queryset.filter(home_unit=data["hamlet"])
        if data.get("sex"):
            queryset = queryset.filter(sex=data["sex"])
        if data.get("ethnicity"):
            queryset = queryset.filter(ethnicity=data["ethnicity"])
        if data.get("age"):
            queryset = people_filter_by_age_band(queryset, data["age"])
        if data.get("party") in ("0", "1"):
            queryset = queryset.filter(is_party_member=data["party"] == "1")
        return queryset


class PersonForm(EditGuardMixin, CleanInputMixin, forms.ModelForm):
    confirm_duplicate = forms.BooleanField(
        label=_("Yes, this is a different person with the same name and birth date"), required=False
    )

    class Meta:
        model = Person
        fields = [
            "full_name",
            "national_id",
            "birth_date",
            "sex",
            "ethnicity",
            "religion",
            "home_unit",
            "general_education",
            "qualification",
            "occupation",
            "is_party_member",
            "party_joined_on",
            "is_youth_union_member",
            "phone",
            "notes",
        ]
        widgets = {
            "birth_date": DateInput(),
            "party_joined_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "national_id": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 12, "autocomplete": "off"}),
        }

    def __init__(self, *args, user, home_units, embedded=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.duplicates = []
        self.fields["home_unit"].queryset = home_units
        self.fields["home_unit"].label_from_instance = unit_label
        self.fields["full_name"].widget.attrs["autofocus"] = True
        self.fields["national_id"].required = False
        if self.instance.pk:
            self.fields.pop("confirm_duplicate")
        self.helper = FormHelper()
        self.helper.render_hidden_fields = True  # the edit guard's loaded version
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Identity"),
                Row(Column("full_name", css_class="col-md-6"), Column("national_id", css_class="col-md-6")),
                Row(
                    Column("birth_date", css_class="col-md-4"),
                    Column("sex", css_class="col-md-4"),
                    Column("ethnicity", css_class="col-md-4"),
                ),
                Row(Column("religion", css_class="col-md-4"), Column("home_unit", css_class="col-md-8")),
            ),
            Fieldset(
                _("Education and work"),
                Row(
                    Column("general_education", css_class="col-md-4"),
                    Column("qualification", css_class="col-md-4"),
                    Column("occupation", css_class="col-md-4"),
                ),
            ),
            Fieldset(
                _("Organisations and contact"),
                Row(
                    Column("is_party_member", css_class="col-md-3"),
                    Column("party_joined_on", css_class="col-md-3"),
                    Column("is_youth_union_member", css_class="col-md-3"),
                    Column("phone", css_class="col-md-3"),
                ),
                "notes",
            ),
            Div("confirm_duplicate", css_class="alert alert-warning") if "confirm_duplicate" in self.fields else Div(),
        )
        if not embedded:
            self.helper.layout.append(Submit("save", _("Save"), css_class="btn btn-primary"))

    def clean_national_id(self):
        value = rules.normalize_national_id(self.cleaned_data.get("national_id"))
        if not value:
            return None
        existing = Person.objects.filter(national_id=value).exclude(pk=self.instance.pk).first()
        if existing is not None:
            if Person.objects.visible_to(self.user).filter(pk=existing.pk).exists():
                raise forms.ValidationError(
                    render_to_string("people/_duplicate_errors.html#national_id", {"person": existing}),
                    code="duplicate",
                )
            raise forms.ValidationError(
                _("This national ID already belongs to a person registered in another unit."), code="duplicate"
            )
        return value

    def clean(self):
        cleaned = super().clean()
        name, birth_date = cleaned.get("full_name"), cleaned.get("birth_date")
        if not self.instance.pk and name and birth_date and not cleaned.get("confirm_duplicate"):
            self.duplicates = list(person_possible_duplicates(full_name=name, birth_date=birth_date))
            if self.duplicates:
                visible = set(
                    Person.objects.visible_to(self.user)
                    .filter(pk__in=[p.pk for p in self.duplicates])
                    .values_list("pk", flat=True)
                )
                message = render_to_string(
                    "people/_duplicate_errors.html#possible",
                    {
                        "shown": [p for p in self.duplicates if p.pk in visible],
                        "hidden": len(self.duplicates) - len(visible),
                    },
                )
                self.add_error("confirm_duplicate", forms.ValidationError(message, code="possible_duplicate"))
        return cleaned


class PersonLookupMixin(CleanInputMixin, forms.Form):
    """Pick an existing person by national ID, or leave it empty to register a new one below."""

    person_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    person_national_id = forms.CharField(
        label=_("National ID of a person already in the registry"),
        required=False,
        max_length=12,
        help_text=_("Leave empty to register a new person with the form below."),
    )

    def resolve_person(self, user):
        """The chosen person (visible to the user), None for a new one; errors name the field."""
        data = self.cleaned_data
        visible = Person.objects.visible_to(user)
        if data.get("person_id"):
            person = visible.filter(pk=data["person_id"]).first()
            if person is None:
                self.add_error("person_national_id", _("This person is not in your units."))
            return person
        try:
            national_id = rules.normalize_national_id(data.get("person_national_id"))
        except forms.ValidationError as exc:
            self.add_error("person_national_id", exc)
            return None
        if national_id:
            person = visible.filter(national_id=national_id).first()
            if person is None:
                self.add_error("person_national_id", _("No person with this national ID in your units."))
            return person
        return None
