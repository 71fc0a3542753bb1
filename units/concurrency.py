"""Two people editing the same record never overwrite each other silently.

`EditGuardMixin` puts the record's latest history entry (django-simple-history) in a hidden field
when the form is opened; on save, if the record's history moved on since, the form is refused with
who changed it, when, and which fields now differ from what the user loaded. The user's input is
kept; the hidden field then carries the new entry, so saving again is a deliberate overwrite.
Forms laid out with crispy set `helper.render_hidden_fields = True` so the hidden field is sent.
"""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

VERSION_FIELD = "loaded_version"


def edit_token(instance):
    """The id of the record's latest history entry ("0" when it has none)."""
    if instance is None or instance.pk is None:
        return ""
    latest = instance.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return str(latest or 0)


class EditGuardMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.fields[VERSION_FIELD].initial = edit_token(self.instance)
        self.conflict = None

    def clean(self):
        cleaned = super().clean()
        if cleaned is not None:
            cleaned.pop(VERSION_FIELD, None)  # not a field of the record: services never see it
        instance = self.instance
        if instance is None or instance.pk is None:
            return cleaned
        loaded = (self.data.get(self.add_prefix(VERSION_FIELD)) or "").strip()
        current = edit_token(instance)
        if not loaded or loaded == current:
            return cleaned
        latest = instance.history.order_by("-history_id").select_related("history_user").first()
        before = instance.history.filter(history_id=loaded).first() if loaded.isdigit() else None
        changed = []
        if before is not None:
            for name, field in self.fields.items():
                model_field = _model_field(instance, name)
                if model_field is None:
                    continue
                old, new = getattr(before, model_field.attname, None), getattr(latest, model_field.attname, None)
                if old != new:
                    changed.append(
                        {"label": field.label, "old": _shown(before, model_field), "new": _shown(latest, model_field)}
                    )
        self.conflict = {
            "user": latest.history_user,
            "at": latest.history_date,
            "changed": changed,
        }
        # The next save of this form is a deliberate overwrite: it carries the entry the user has now seen.
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = current
        who = (
            latest.history_user.get_full_name() or latest.history_user.username if latest.history_user else _("someone")
        )
        message = _(
            "%(user)s changed this record at %(time)s, after you opened it. Nothing was saved: check their "
            "changes below, then save again to keep yours."
        ) % {"user": who, "time": timezone.localtime(latest.history_date).strftime("%H:%M %d/%m/%Y")}
        if changed:
            message += " " + "; ".join(
                _("%(field)s: “%(old)s” → “%(new)s”") % {"field": c["label"], "old": c["old"], "new": c["new"]}
                for c in changed
            )
        raise ValidationError(message, code="stale")


def _model_field(instance, name):
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field
        return None
    return field if getattr(field, "concrete", False) and not field.many_to_many else None


def _shown(record, field):
    if field.is_relation:
        related = getattr(record, field.name, None)
        return "" if related is None else str(related)
    value = getattr(record, field.attname, None)
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)
