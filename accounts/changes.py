"""Every recorded change across the project's history tables, by user, unit subtree and period, scoped.

The history models are found through the app registry (every model with django-simple-history), so a new
model with `history = HistoricalRecords()` appears here without code. One page costs a fixed number of
queries: a count and a page of (table, id, time) over all tables at once (UNION ALL), then per history
table on the page one query for its rows (with the id of each row's previous version) and one for those
previous versions; plus one per kind of related record named in a changed field.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalChanges

from units.scoping import get_scope

# Models without a `scope_path_field` that still belong to a unit.
EXTRA_SCOPE_PATHS = {"units.Assignment": "unit__path"}
# The first of these that a historical model has names the record on the page.
LABEL_PATHS = ["person__full_name", "candidate__person__full_name", "full_name", "name", "label", "title", "code"]
HISTORY_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class HistorySource:
    index: int
    history_model: type
    model: type
    scope_path: str | None  # unit path lookup on the historical row, None for project-wide reference data
    unit_relation: str | None  # the relation to the unit, for the page's Unit column
    label_path: str | None
    related: list = field(default_factory=list)


def history_sources():
    sources = []
    for history_model in sorted(
        (m for m in apps.get_models() if issubclass(m, HistoricalChanges) and hasattr(m, "instance_type")),
        key=lambda m: m.instance_type._meta.label,
    ):
        model = history_model.instance_type
        scope_path = getattr(model, "scope_path_field", None) or EXTRA_SCOPE_PATHS.get(model._meta.label)
        unit_relation = scope_path.removesuffix("__path") if scope_path and scope_path != "path" else None
        label_path = next((p for p in LABEL_PATHS if _resolves(history_model, p)), None)
        sources.append(
            HistorySource(
                len(sources), history_model, model, scope_path if scope_path else None, unit_relation, label_path
            )
        )
    return sources


def _resolves(model, path):
    parts = path.split("__")
    for i, part in enumerate(parts):
        try:
            f = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if i < len(parts) - 1:
            if not f.is_relation or f.many_to_many:
                return False
            model = f.related_model
        elif f.is_relation:
            return False
    return True


def changes_visible(*, user, by_user=None, unit=None, date_from=None, date_to=None):
    """The union queryset of (source index, history id, time) rows the user may see, newest first."""
    scope = get_scope(user)
    parts = []
    for source in history_sources():
        if source.scope_path is None and (unit is not None or not scope.is_all):
            continue  # reference data has no unit: only for superusers looking at everything
        qs = source.history_model.objects.order_by()
        if source.scope_path == "path":
            # A unit's own history rows may hold a stale path (it is set after the first save): scope by the live unit.
            if unit is not None or not scope.is_all:
                live = source.model._default_manager.filter(scope.q("path"))
                if unit is not None:
                    live = live.filter(path__startswith=unit.path)
                qs = qs.filter(id__in=live.values("pk"))
        elif source.scope_path:
            qs = qs.filter(scope.q(source.scope_path))
            if unit is not None:
                qs = qs.filter(**{f"{source.scope_path}__startswith": unit.path})
        if by_user is not None:
            qs = qs.filter(history_user=by_user)
        if date_from:
            qs = qs.filter(history_date__gte=_start_of(date_from))
        if date_to:
            qs = qs.filter(history_date__lt=_start_of(date_to + datetime.timedelta(days=1)))
        parts.append(
            qs.annotate(history_source=Value(source.index, output_field=IntegerField())).values_list(
                "history_source", "history_id", "history_date"
            )
        )
    if not parts:
        return None
    first, *rest = parts
    return (
        first.union(*rest, all=True).order_by("-history_date", "-history_source", "-history_id")
        if rest
        else first.order_by("-history_date", "-history_id")
    )


def changes_page(*, user, number, per_page=50, **filters):
    """A page of changes; its `object_list` holds dicts ready for the template."""
    union = changes_visible(user=user, **filters)
    paginator = Paginator(union if union is not None else [], per_page)
    page = paginator.get_page(number)
    page.object_list = _entries(list(page.object_list))
    return page


def _entries(rows):
    sources = history_sources()
    ids_by_source = defaultdict(list)
    for source_index, history_id, _when in rows:
        ids_by_source[source_index].append(history_id)
    records, previous = {}, {}
    for index, ids in ids_by_source.items():
        source = sources[index]
        hm = source.history_model
        related = ["history_user"]
        if source.unit_relation:
            related.append(source.unit_relation)
        if source.label_path and "__" in source.label_path:
            related.append(source.label_path.rsplit("__", 1)[0])
        prior = hm.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id")
        fetched = hm.objects.filter(history_id__in=ids).select_related(*related)
        fetched = fetched.annotate(prior_id=Subquery(prior.values("history_id")[:1]))
        prior_ids = []
        for record in fetched:
            records[(index, record.history_id)] = record
            if record.history_type == "~" and record.prior_id:
                prior_ids.append(record.prior_id)
        for record in hm.objects.filter(history_id__in=prior_ids) if prior_ids else ():
            previous[(index, record.history_id)] = record
    entries = []
    for source_index, history_id, _when in rows:
        record = records.get((source_index, history_id))
        if record is None:
            continue
        source = sources[source_index]
        older = previous.get((source_index, record.prior_id)) if record.prior_id else None
        entries.append(_entry(source, record, older))
    _resolve_related(entries)
    return entries


def _entry(source, record, older):
    meta = source.model._meta
    changes = []
    if record.history_type == "~" and older is not None:
        fields = {f.name: f for f in meta.concrete_fields}
        for change in record.diff_against(older, foreign_keys_are_objs=False).changes:
            f = fields.get(change.field)
            changes.append(
                {"field": f.verbose_name if f else change.field, "f": f, "old": change.old, "new": change.new}
            )
    label = _follow(record, source.label_path) if source.label_path else ""
    if source.scope_path == "path":
        unit = record.name
    else:
        unit_obj = _follow(record, source.unit_relation) if source.unit_relation else None
        unit = getattr(unit_obj, "name", "")
    return {
        "when": record.history_date,
        "who": record.history_user,
        "model": meta.verbose_name,
        "model_label": meta.label_lower,
        "object_id": record.id,
        "label": label or "",
        "unit": unit,
        "type": record.history_type,
        "type_label": HISTORY_TYPES.get(record.history_type, record.history_type),
        "reason": record.history_change_reason or "",
        "changes": changes,
    }


def _follow(obj, path):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _resolve_related(entries):
    """Turn ids and codes in the changed fields into readable values: one query per kind of related record."""
    wanted = defaultdict(set)
    for entry in entries:
        for change in entry["changes"]:
            f = change["f"]
            if f is not None and f.is_relation:
                wanted[f.related_model].update(v for v in (change["old"], change["new"]) if v not in (None, ""))
    found = {model: model._default_manager.in_bulk(list(ids)) for model, ids in wanted.items()}
    for entry in entries:
        for change in entry["changes"]:
            f = change.pop("f")
            change["old"] = _display(f, change["old"], found)
            change["new"] = _display(f, change["new"], found)


def _display(f, value, found):
    if value in (None, ""):
        return "—"
    if f is None:
        return value
    if f.is_relation:
        related = found.get(f.related_model, {}).get(value)
        return str(related) if related is not None else f"#{value}"
    if f.choices:
        return dict(f.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
