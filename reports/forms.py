"""Forms of the report pages: the filing form (narratives, values, reasons, a hidden version), the
workflow confirmation and the comment form."""

import hashlib
import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from units.forms import CleanInputMixin

from . import services


def format_value(value, decimals=0):
    """Decimal('1234.5') → '1.234,5' (Vietnamese separators) with the indicator's decimals; None → ''."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    shown = value.quantize(Decimal(1).scaleb(-int(decimals)))
    if shown != value:  # more decimals than the indicator keeps (refused on saving): show them, never round
        decimals = max(int(decimals), -value.normalize().as_tuple().exponent)
        shown = value
    text = f"{shown:,.{int(decimals)}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def follows_auto(row):
    """Whether a row's saved value simply took the automatic figure (it then follows the live one)."""
    saved = row["saved"]
    return saved is None or (saved.auto_value is not None and saved.value == saved.auto_value)


class ReportForm(CleanInputMixin, forms.Form):
    """The sections shown on the edit page: a narrative each, a value per indicator and a reason per
    automatic indicator (required by the service when the value differs from the automatic one)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # The version and the fields' values when the page was first opened (kept through a conflict): a save
    # made from a later version writes only what the user changed since, never an untouched field's old value.
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    loaded = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, blocks, report, with_document=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = blocks
        self.fields["version"].initial = report.version
        self.fields["base_version"].initial = report.version
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
        self.fields["loaded"].initial = json.dumps(
            {name: fingerprint(name, field.initial) for name, field in self.fields.items() if _is_entry(name)},
            separators=(",", ":"),
        )

    def loaded_prints(self):
        """The fingerprints of the values first loaded (from the form's data when bound)."""
        raw = self.data.get(self.add_prefix("loaded")) if self.is_bound else self.fields["loaded"].initial
        try:
            prints = json.loads(raw or "{}")
        except ValueError:
            return {}
        return prints if isinstance(prints, dict) else {}

    def untouched(self, name):
        """Whether the user left the field as it was when the page was first opened."""
        if name not in self.fields:
            return True
        loaded = self.loaded_prints().get(name)
        return loaded is not None and loaded == fingerprint(name, self.data.get(self.add_prefix(name), ""))

    def merging(self):
        """A save from a later version than the page was opened with (after a conflict, or an autosave)."""
        data = self.cleaned_data
        base = data.get("base_version")
        return base is not None and base != data.get("version") and bool(self.loaded_prints())

    def draft(self):
        """What the user typed, for services.report_save (only the fields of the sections shown)."""
        data = self.cleaned_data
        draft = services.Draft()
        merging = self.merging()
        for block in self.blocks:
            name = f"text_{block['section'].pk}"
            if not (merging and self.untouched(name)):
                draft.texts[block["section"].pk] = data.get(name, "")
            for row in block["rows"]:
                pk = row["indicator"].pk
                keep = merging and self.untouched(f"value_{pk}") and self.untouched(f"reason_{pk}")
                if keep and row["saved"] is not None and not (row["auto"] is not None and follows_auto(row)):
                    continue  # untouched since opened: the stored value (maybe someone else's) stays
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


def _is_entry(name):
    return name.startswith(("text_", "value_", "reason_"))


def fingerprint(name, value):
    """A short digest of a field's value as the user would see it: line endings and surrounding spaces
    ignored, a figure compared by its number (1.234 and 1234 are the same value)."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").strip()
    if name.startswith("value_"):
        try:
            number = services.parse_value(text)
        except ValueError:
            number = None
        if number is not None:
            text = f"{number.normalize():f}"
    return hashlib.blake2s(text.encode(), digest_size=6).hexdigest()


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
