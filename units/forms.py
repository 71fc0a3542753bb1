"""Form helpers every app shares: what is typed is cleaned before a field reads it, and service errors."""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.fields import BaseTemporalField

from .models import Officeholder
from .text import ascii_digits, clean_text

_NUMERIC_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField, BaseTemporalField)
_CLEANING_CLASSES = {}


def _input_cleaner(field):
    if isinstance(field, forms.CharField):
        # A password is compared as typed: cleaning it would lock its owner out.
        return None if isinstance(field.widget, forms.PasswordInput) else clean_text
    if isinstance(field, _NUMERIC_FIELDS):
        return ascii_digits
    return None


class _CleaningField:
    """Mixed into a field's class: the typed value is cleaned before the field's own parsing.

    Django's IntegerField, DecimalField and DateField parse with int(), Decimal() and strptime, which all
    accept any script's digits: ascii_digits refuses those that have no 0–9 form."""

    def to_python(self, value):
        if isinstance(value, str):
            value = self.input_cleaner(value)
        return super().to_python(value)


def clean_input_field(field):
    """Make `field` clean what is typed (text: clean_text; numbers and dates: ascii_digits); returns it."""
    cleaner = _input_cleaner(field)
    if cleaner is None or isinstance(field, _CleaningField):
        return field
    cls = type(field)
    if cls not in _CLEANING_CLASSES:
        _CLEANING_CLASSES[cls] = type(cls.__name__, (_CleaningField, cls), {"__module__": cls.__module__})
    field.__class__ = _CLEANING_CLASSES[cls]
    field.input_cleaner = cleaner  # a plain function in the instance's dict: never bound
    return field


class CleanInputMixin:
    """Every form of the portal: its fields clean what is typed before they read it (see clean_input_field).

    Done when the form is cleaned, so that fields a form adds in its own __init__ are covered too."""

    def full_clean(self):
        for field in self.fields.values():
            clean_input_field(field)
        super().full_clean()


class CleanInputAdminMixin:
    """The admin's forms, inlines and list-editable cells clean what is typed like every form."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return clean_input_field(field) if field is not None else None


def attach_errors(form, exc):
    """Show a service's ValidationError on the form: field errors beside their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def bootstrap_class(widget):
    """Bootstrap 5's class for a widget of this kind."""
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class BootstrapBoundField(BoundField):
    """A field whose widget carries Bootstrap 5's class for its kind, and `is-invalid` once it has an error."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = [*widget.attrs.get("class", "").split(), *attrs.get("class", "").split(), bootstrap_class(widget)]
        if self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs


class BootstrapFieldsMixin:
    """A form whose fields templates/partials/field.html draws: the label, the widget with Bootstrap's
    classes (BootstrapBoundField), the errors and the help text."""

    bound_field_class = BootstrapBoundField


class OfficeholderForm(CleanInputMixin, forms.ModelForm):
    """Who holds an office of a unit the user keeps, from which day (and until which, to end a term)."""

    class Meta:
        model = Officeholder
        fields = ["unit", "office", "full_name", "title", "start", "end"]
        widgets = {
            "start": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}, format="%d/%m/%Y"),
            "end": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}, format="%d/%m/%Y"),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: f"{unit.kind} {unit.name}"
