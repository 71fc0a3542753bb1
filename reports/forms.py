"""Forms of the report pages: the filing form (narratives, values, reasons, a hidden version), the
workflow confirmation and the comment form."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from units.forms import CleanInputMixin

from . import services


def format_value(value, decimals=0):
    """Decimal('1234.5') → '1.234,5' (Vietnamese separators) with the indicator's decimals; None → ''."""
    if value is None or value == "":
        return ""
    value = Decimal(value).quantize(Decimal(1).scaleb(-int(decimals)))
    text = f"{value:,.{int(decimals)}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def follows_auto(row):
    """Whether a row's saved value simply took the automatic figure (it then follows the live one)."""
    saved = row["saved"]
    return saved is None or (saved.auto_value is not None and saved.value == saved.auto_value)


class ReportForm(CleanInputMixin, forms.Form):
    """The sections shown on the edit page: a narrative each, a value per indicator and a reason per
    automatic indicator (required by the service when the value differs from the automatic one)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, blocks, report, with_document=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = blocks
        self.fields["version"].initial = report.version
        for block in blocks:
            section = block["section"]
            self.fields[f"text_{section.pk}"] = forms.CharField(
                label=section.heading,
                required=False,
                max_length=50000,
                strip=False,
                initial=block["text"],
                widget=forms.Textarea(attrs={"rows": 5, "class": "form-control narrative"}),
            )
            for row in block["rows"]:
                indicator = row["indicator"]
                initial = row["auto"] if row["auto"] is not None and follows_auto(row) else row["shown_value"]
                self.fields[f"value_{indicator.pk}"] = forms.CharField(
                    label=indicator.label,
                    required=False,
                    max_length=40,
                    initial=format_value(initial, indicator.decimals),
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm text-end value-input",
                            "inputmode": "decimal",
                            "autocomplete": "off",
                        }
                    ),
                )
                if row["auto"] is not None:
                    self.fields[f"reason_{indicator.pk}"] = forms.CharField(
                        label=_("Reason for changing the automatic figure"),
                        required=False,
                        max_length=255,
                        initial=row["reason"],
                        widget=forms.TextInput(
                            attrs={
                                "class": "form-control form-control-sm reason-input",
                                "placeholder": _("Why, if changed"),
                            }
                        ),
                    )
        if with_document:
            self.fields["signer_title"] = forms.CharField(
                label=_("Signer's title"), required=False, max_length=120, initial=report.signer_title
            )
            self.fields["signer_name"] = forms.CharField(
                label=_("Signer's name"), required=False, max_length=120, initial=report.signer_name
            )
            self.fields["recipients"] = forms.CharField(
                label=_("Recipients (Nơi nhận)"),
                required=False,
                max_length=2000,
                initial=report.recipients,
                help_text=_("One recipient per line; the filing copy is added at the end."),
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for name, field in self.fields.items():
            if name.startswith(("signer_", "recipients")):
                field.widget.attrs.setdefault("class", "form-control")

    def draft(self):
        """What the user typed, for services.report_save (only the fields of the sections shown)."""
        data = self.cleaned_data
        draft = services.Draft()
        for block in self.blocks:
            draft.texts[block["section"].pk] = data.get(f"text_{block['section'].pk}", "")
            for row in block["rows"]:
                pk = row["indicator"].pk
                draft.values[pk] = (data.get(f"value_{pk}", ""), data.get(f"reason_{pk}", ""))
        for name in ("signer_title", "signer_name", "recipients"):
            if name in self.fields:
                setattr(draft, name, data.get(name, ""))
        return draft

    def add_service_errors(self, error):
        """Put the service's {"value_<id>"/"reason_<id>": message} errors beside their fields."""
        for name, messages in error.message_dict.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def bound_rows(self):
        """The blocks with each row's bound fields attached, for the template."""
        for block in self.blocks:
            block["text_field"] = self[f"text_{block['section'].pk}"]
            for row in block["rows"]:
                pk = row["indicator"].pk
                row["value_field"] = self[f"value_{pk}"]
                row["reason_field"] = self[f"reason_{pk}"] if f"reason_{pk}" in self.fields else None
        return self.blocks


class ActionForm(CleanInputMixin, forms.Form):
    """The comment of a workflow step; a return needs one, a reopening needs a reason."""

    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        field = self.fields["comment"]
        field.widget.attrs["class"] = "form-control"
        if action == "reopen":
            field.label = _("Reason for reopening")
        if action in ("return", "reopen"):
            field.required = True
            field.widget.attrs["required"] = True


class CommentForm(CleanInputMixin, forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
    section = forms.IntegerField(required=False, widget=forms.HiddenInput)
