"""Two people editing the same record never overwrite each other silently.

`EditGuardMixin` puts the record's latest history entry (django-simple-history) in a hidden field
when the form is opened. The check that counts is the service's (`lock_for_edit`): under the record's
row lock it refuses a save when the record's history moved on since the form was opened, so of two
saves sent at the same moment exactly one wins. The form checks too, earlier and without a lock, for
the usual case; either way the refused form shows who changed the record, when, and what.

After a refusal the form is shown merged: the fields this user did not touch carry the other person's
values, the ones they changed keep their input. The hidden field then says "<entry now seen>/<entry the
user started from>", and a save writes only the fields whose value differs from the one the user
started from, so saving again never reverts the other person's change. A form without the hidden
field is refused like a stale one.
"""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

VERSION_FIELD = "loaded_version"


class EditConflict(Exception):
    """The record was saved by someone else since the user opened it (or the form said nothing of it)."""

    def __init__(self, instance):
        super().__init__("stale edit")
        self.instance = instance


def edit_token(instance):
    """The id of the record's latest history entry ("0" when it has none)."""
    if instance is None or instance.pk is None:
        return ""
    latest = instance.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return str(latest or 0)


def parse_token(raw):
    """("seen", "base") from the hidden field's text, or None when it is missing or malformed."""
    raw = (raw or "").strip()
    seen, _sep, base = raw.partition("/")
    base = base or seen
    if not (seen.isdigit() and base.isdigit()):
        return None
    return seen, base


def lock_for_edit(instance, *, loaded_version, fields):
    """Lock the record's row, check nobody saved it since the user's form was opened, and return the
    fields to write: those whose value differs from the version the user started from.

    `loaded_version` is the form's hidden value; None (a write that opened no form: an import) skips
    the check. Raises EditConflict when the record moved on or the value is missing. Call it inside
    the service's transaction: the lock is held until it commits, so the next save sees this one.
    """
    if loaded_version is None:
        return fields
    model = type(instance)
    list(model._base_manager.select_for_update().filter(pk=instance.pk).values_list("pk", flat=True))
    # The instance may carry the form's values already (ModelForm validation sets them): start from the row.
    instance.refresh_from_db()
    token = parse_token(loaded_version)
    if token is None or token[0] != edit_token(instance):
        raise EditConflict(instance)
    seen, base = token
    if base == seen:
        return fields
    before = instance.history.filter(history_id=base).first() if base != "0" else None
    if before is None:
        return fields
    return {name: value for name, value in fields.items() if not _same_as(before, name, value)}


def _same_as(record, name, value):
    field = _model_field(record, name)
    if field is None:
        return False
    stored = getattr(record, field.attname, None)
    if field.is_relation:
        value = getattr(value, "pk", value)
    return _plain(stored) == _plain(value)


def _plain(value):
    return "" if value is None else value


class EditGuardMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.fields[VERSION_FIELD].initial = edit_token(self.instance)
        self.conflict = None
        self.loaded_version = None

    def clean(self):
        cleaned = super().clean()
        if cleaned is not None:
            cleaned.pop(VERSION_FIELD, None)  # not a field of the record: services take it apart
        instance = self.instance
        if instance is None or instance.pk is None:
            return cleaned
        self.loaded_version = (self.data.get(self.add_prefix(VERSION_FIELD)) or "").strip()
        token = parse_token(self.loaded_version)
        if token is not None and token[0] == edit_token(instance):
            return cleaned
        raise ValidationError(self._refusal(), code="stale")

    def refuse_stale(self):
        """The service lost the race (EditConflict): show the refusal as `clean` does."""
        self.add_error(None, ValidationError(self._refusal(), code="stale"))

    def _refusal(self):
        """Record the conflict, merge the other person's changes into the form, and return the message."""
        instance = self.instance
        token = parse_token(self.loaded_version)
        current = edit_token(instance)
        latest = instance.history.order_by("-history_id").select_related("history_user").first()
        base = token[1] if token else None
        before = instance.history.filter(history_id=base).first() if base and base != "0" else None
        changed = []
        cleaned = getattr(self, "cleaned_data", {}) or {}
        self.data = self.data.copy()
        if before is not None and latest is not None:
            for name, field in self.fields.items():
                model_field = _model_field(instance, name)
                if model_field is None:
                    continue
                old, new = getattr(before, model_field.attname, None), getattr(latest, model_field.attname, None)
                if _plain(old) == _plain(new):
                    continue
                changed.append(
                    {"label": field.label, "old": _shown(before, model_field), "new": _shown(latest, model_field)}
                )
                if name in cleaned and _same_as(before, name, cleaned[name]):
                    # The user left this field as they found it: the form now shows the other person's value.
                    self._put(name, new)
        self.conflict = {
            "user": latest.history_user if latest else None,
            "at": latest.history_date if latest else None,
            "changed": changed,
        }
        # The next save of this form is deliberate: it carries the entry the user has now seen, and the one
        # they started from, so only the fields they changed are written.
        self.data[self.add_prefix(VERSION_FIELD)] = f"{current}/{base}" if base else current
        if token is None:
            return _(
                "This form did not say which version of the record you opened, so nothing was saved. Check the "
                "record as it is now, then save again."
            )
        user = latest.history_user if latest else None
        who = (user.get_full_name() or user.username) if user else _("someone")
        message = _(
            "%(user)s changed this record at %(time)s, after you opened it. Nothing was saved: their changes are "
            "shown below and filled in the fields you did not change; check them, then save again to keep yours."
        ) % {"user": who, "time": timezone.localtime(latest.history_date).strftime("%H:%M %d/%m/%Y")}
        if changed:
            message += " " + "; ".join(
                _("%(field)s: “%(old)s” → “%(new)s”") % {"field": c["label"], "old": c["old"], "new": c["new"]}
                for c in changed
            )
        return message

    def _put(self, name, value):
        """Write a record's value into the form's data as a browser would post it."""
        field = self.fields[name]
        key = self.add_prefix(name)
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
            return
        shown = field.widget.format_value(field.prepare_value(value))
        if isinstance(shown, list):
            shown = shown[0] if shown else ""
        self.data[key] = "" if shown is None else str(shown)


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
