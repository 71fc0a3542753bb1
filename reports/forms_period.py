"""The form that opens a reporting period (kỳ báo cáo): kind, year, number and due date."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.forms import DateInput
from units.forms import CleanInputMixin

from . import rules
from .models import Period, PeriodKind, ReportTemplate


class PeriodForm(CleanInputMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices, initial=PeriodKind.YEAR)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("1 for a year; 1–2 for a half-year; 1–4 for a quarter; 1–12 for a month."),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput(),
        input_formats=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"],
        help_text=_("dd/mm/yyyy. Empty: 15/12 for the annual report, else ten days after the period ends."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        kind, year, number = data.get("kind"), data.get("year"), data.get("number")
        if not (kind and year and number):
            return data
        if not 1 <= number <= rules.PERIOD_PARTS[kind]:
            self.add_error(
                "number", _("A period of this kind is numbered 1 to %(n)s.") % {"n": rules.PERIOD_PARTS[kind]}
            )
            return data
        start, end = rules.period_bounds(kind, year, number)
        data["due_date"] = data.get("due_date") or rules.default_due_date(kind, end)
        errors = rules.period_errors(
            kind=kind, year=year, number=number, start=start, end=end, due_date=data["due_date"]
        )
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)
        if not ReportTemplate.objects.filter(is_active=True, period_kind=kind).exists():
            self.add_error("kind", _("No report template in use is filed for this kind of period: add one first."))
        elif Period.objects.filter(kind=kind, year=year, number=number).exists():
            self.add_error(None, _("This period already exists: open it from the list of periods."))
        return data
