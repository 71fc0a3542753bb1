"""Forms of the reorganisation pages: what the user types; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from people.forms import DateInput
from recruitment.models import CampaignStatus, Quota
from units.forms import CleanInputMixin
from units.models import Unit, UnitKind

from . import official
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
    """Up to four parts (name and code) and, for each unit below, the part it goes to; the quota of each open
    call-up divided between the parts (empty: in proportion to the people each takes), and the part that
    takes the reports of the periods from the day on."""

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
        self.open_quotas = list(
            Quota.objects.filter(commune=unit)
            .exclude(campaign__status=CampaignStatus.CLOSED)
            .select_related("campaign")
            .order_by("campaign__year", "pk")
        )
        for quota in self.open_quotas:
            for n in range(1, SPLIT_PARTS + 1):
                self.fields[f"quota_{quota.pk}_part{n}"] = forms.IntegerField(
                    label=_("Call-up %(year)s (quota %(count)s): part %(n)s")
                    % {"year": quota.campaign.year, "count": quota.count, "n": n},
                    min_value=0,
                    required=False,
                    help_text=_("Leave the parts empty to divide it in proportion to the people each part takes.")
                    if n == 1
                    else "",
                )
        self.fields["reports_to"] = forms.ChoiceField(
            label=_("The old unit's reports of the periods from the day on go to"),
            choices=choices[1:],
            initial="1",
            help_text=_(
                "The old unit no longer exists in those periods: its report, with what was typed in it, goes to "
                "this part; the other parts get a report of their own. Reports of periods that began before "
                "the day stay with the old unit."
            ),
        )

    def part_numbers(self):
        """The numbers of the parts filled in (a name or a code), in order."""
        data = self.cleaned_data
        return [n for n in range(1, SPLIT_PARTS + 1) if data.get(f"part{n}_name") or data.get(f"part{n}_code")]

    def parts(self):
        data = self.cleaned_data
        parts = []
        for n in self.part_numbers():
            name, code = data.get(f"part{n}_name", ""), data.get(f"part{n}_code", "")
            new = NewUnit(name=name, code=code, kind=self.unit.kind, parent=self.unit.parent)
            hamlets = [c for c in self.children if data.get(f"unit_{c.pk}") == str(n)]
            parts.append((new, hamlets))
        return parts

    def quotas(self):
        """{quota id: [count per part]} for the quotas divided by hand (an empty part counts 0); a quota left
        empty in every part is divided in proportion to the people."""
        data, numbers = self.cleaned_data, self.part_numbers()
        given = {}
        for quota in self.open_quotas:
            counts = [data.get(f"quota_{quota.pk}_part{n}") for n in numbers]
            if any(c is not None for c in counts):
                given[quota.pk] = [c or 0 for c in counts]
        return given

    def reports_to(self):
        """The index of the chosen part among those filled in (-1 when that part is empty)."""
        chosen = int(self.cleaned_data.get("reports_to") or 1)
        numbers = self.part_numbers()
        return numbers.index(chosen) if chosen in numbers else -1

    def with_division(self, division):
        """The form's data with the division the preview shows written out, so that the confirmation commits
        exactly it."""
        data = self.data.copy()
        for quota, counts, _proportional in division:
            for n, count in zip(self.part_numbers(), counts, strict=True):
                data[f"quota_{quota.pk}_part{n}"] = str(count)
        return data


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


class OfficialBasisForm(BasisForm):
    """The legal basis typed once on the page of official proposals and carried into each merger's form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = official.EFFECTIVE_DAY
        self.fields["on"].help_text = _("1 July 2025 for the reform of the two-level local government.")
        self.fields["basis_number"].help_text = _(
            "The resolution of the National Assembly Standing Committee on the communes of the province, e.g. "
            "1667/NQ-UBTVQH15 for Cao Bằng."
        )

    def carried(self):
        """The fields as the merge form reads them back (dates as typed in the portal's format)."""
        data = self.cleaned_data
        return [
            ("on", f"{data['on']:%d/%m/%Y}"),
            ("basis_number", data["basis_number"]),
            ("basis_date", f"{data['basis_date']:%d/%m/%Y}"),
        ]

    def carried_raw(self):
        """What was typed so far (the merge form will say what is missing); the day defaults to 1 July 2025."""
        data = self.data if self.is_bound else {}
        return [
            ("on", data.get("on") or f"{official.EFFECTIVE_DAY:%d/%m/%Y}"),
            ("basis_number", data.get("basis_number", "")),
            ("basis_date", data.get("basis_date", "")),
        ]
