"""Forms of the reorganisation pages: what the user types; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from people.forms import DateInput
from units.forms import CleanInputMixin
from units.models import Unit, UnitKind

from .services import Basis, NewUnit

SPLIT_PARTS = 4


class BasisForm(CleanInputMixin, forms.Form):
    """The day it takes effect and the legal basis, on every reorganisation form."""

    on = forms.DateField(
        label=_("Takes effect on"), widget=DateInput(), help_text=_("The first day of the new arrangement.")
    )
    basis_number = forms.CharField(
        label=_("Resolution or decision number"), max_length=255, help_text=_("E.g. 1667/NQ-UBTVQH15.")
    )
    basis_date = forms.DateField(label=_("Dated"), widget=DateInput())

    def basis(self):
        return Basis(number=self.cleaned_data["basis_number"], date=self.cleaned_data["basis_date"])


def _unit_choices(queryset):
    return queryset.select_related("kind").order_by("path")


class MergeForm(BasisForm):
    others = forms.ModelMultipleChoiceField(
        label=_("Units merged with it"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    into = forms.ModelChoiceField(
        label=_("Merge into an existing unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Leave empty to create the new unit described below."),
    )
    new_name = forms.CharField(label=_("Name of the new unit"), max_length=120, required=False)
    new_code = forms.CharField(label=_("Official code of the new unit"), max_length=20, required=False)
    new_kind = forms.ModelChoiceField(label=_("Level of the new unit"), queryset=UnitKind.objects.all(), required=False)
    new_parent = forms.ModelChoiceField(
        label=_("Unit above the new unit"), queryset=Unit.objects.none(), required=False
    )
    field_order = [
        "others",
        "into",
        "new_name",
        "new_code",
        "new_kind",
        "new_parent",
        "on",
        "basis_number",
        "basis_date",
    ]

    def __init__(self, *args, unit, editable, visible, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["others"].queryset = _unit_choices(
            editable.current()
            .filter(kind__is_commune_level=unit.kind.is_commune_level, depth=unit.depth)
            .exclude(pk=unit.pk)
        )
        current = visible.current()
        self.fields["into"].queryset = _unit_choices(current.filter(depth__lte=unit.depth).exclude(pk=unit.pk))
        self.fields["new_parent"].queryset = _unit_choices(current.filter(depth__lt=unit.depth))
        self.fields["new_kind"].initial = unit.kind_id
        self.fields["new_parent"].initial = unit.parent_id

    def sources(self):
        return [self.unit, *self.cleaned_data["others"]]

    def target(self):
        data = self.cleaned_data
        if data.get("into"):
            return data["into"]
        return NewUnit(
            name=data.get("new_name", ""),
            code=data.get("new_code", ""),
            kind=data.get("new_kind"),
            parent=data.get("new_parent"),
        )


class SplitForm(BasisForm):
    """Up to four parts (name and code) and, for each unit below, the part it goes to."""

    def __init__(self, *args, unit, editable, visible, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.children = list(Unit.objects.filter(parent=unit, valid_to__isnull=True).order_by("name"))
        for n in range(1, SPLIT_PARTS + 1):
            self.fields[f"part{n}_name"] = forms.CharField(
                label=_("Part %(n)s: name") % {"n": n}, max_length=120, required=False
            )
            self.fields[f"part{n}_code"] = forms.CharField(
                label=_("Part %(n)s: official code") % {"n": n}, max_length=20, required=False
            )
        choices = [("", "—")] + [(str(n), _("Part %(n)s") % {"n": n}) for n in range(1, SPLIT_PARTS + 1)]
        for child in self.children:
            self.fields[f"unit_{child.pk}"] = forms.ChoiceField(label=child.name, choices=choices, required=False)

    def parts(self):
        data = self.cleaned_data
        parts = []
        for n in range(1, SPLIT_PARTS + 1):
            name, code = data.get(f"part{n}_name", ""), data.get(f"part{n}_code", "")
            if not name and not code:
                continue
            new = NewUnit(name=name, code=code, kind=self.unit.kind, parent=self.unit.parent)
            hamlets = [c for c in self.children if data.get(f"unit_{c.pk}") == str(n)]
            parts.append((new, hamlets))
        return parts


class RenameForm(BasisForm):
    name = forms.CharField(label=_("New name"), max_length=120)
    field_order = ["name", "on", "basis_number", "basis_date"]

    def __init__(self, *args, unit, editable, visible, **kwargs):
        super().__init__(*args, **kwargs)


class MoveForm(BasisForm):
    new_parent = forms.ModelChoiceField(label=_("Move under"), queryset=Unit.objects.none())
    field_order = ["new_parent", "on", "basis_number", "basis_date"]

    def __init__(self, *args, unit, editable, visible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = _unit_choices(
            visible.current().filter(depth__lt=unit.depth + 1).exclude(path__startswith=unit.path)
        )
