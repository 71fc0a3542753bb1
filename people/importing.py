"""The import of the people registry (công dân) from a spreadsheet: what each row would do (create, update,
leave unchanged, reject and why), and the service that writes every accepted row or nothing.

A row is matched to a person by national ID (upsert), as the rosters' imports do. Every rule of the registry
runs on every row through the model's `full_clean()` (whose clean() calls `people.rules`: the national ID
against the sex and birth date, the phone number, the dates), with the same messages as the person form. The
user's units decide what a row may name: a commune the user may edit and one of its hamlets; a person already
registered in a unit the user may not edit is refused. A new person whose name and birth date match someone
registered without a national ID is refused too (the person form asks about such a duplicate; a file cannot).
The facts are read in bulk (one query per thousand rows, not one per row). The commit evaluates every row again
inside its transaction, against the data as it is then, and writes in bulk with history, so a change made in
between cannot slip through and a failure leaves nothing behind.
"""

import functools
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal_io import reading
from portal_io.columns import choice_lookup, label, parse_bool_cell, yes_no
from portal_io.rows import CREATE, REJECT, UNCHANGED, UPDATE, ImportAborted, Reasons, action_label
from portal_io.storage import MAX_AGE_SECONDS, UploadStore
from portal_io.values import Invalid, display_value, parse_date, parse_int
from units.freshness import changed
from units.models import Unit
from units.scoping import get_scope
from units.text import fold, normalize_name

from .columns import BY_KEY, CHOICES, COLUMNS, EXAMPLE
from .models import Ethnicity, Person, Qualification, Religion

ESSENTIAL = ("full_name", "national_id")
LOOKUP_CHUNK = 1000
WRITE_BATCH = 500
STORE_KIND = "people"
store = UploadStore("PEOPLE_IMPORT_DIR")
_fold = functools.lru_cache(maxsize=16384)(fold)

# Column key → Person field, for the columns a row writes.
FIELDS = {
    "full_name": "full_name",
    "birth_date": "birth_date",
    "sex": "sex",
    "ethnicity": "ethnicity",
    "religion": "religion",
    "general_education": "general_education",
    "qualification": "qualification",
    "occupation": "occupation",
    "is_party_member": "is_party_member",
    "party_joined_on": "party_joined_on",
    "is_youth_union_member": "is_youth_union_member",
    "phone": "phone",
}
# Person field → the column its validation message is shown under.
ERROR_COLUMNS = {**{name: key for key, name in FIELDS.items()}, "national_id": "national_id", "home_unit": "hamlet"}
# Defaults of a new person for the optional columns left empty.
NEW_PERSON = {
    "religion": Religion.NONE,
    "qualification": Qualification.NONE,
    "is_party_member": False,
    "is_youth_union_member": False,
    "occupation": "",
    "phone": "",
}


@dataclass
class RowPlan:
    line: int
    action: str
    full_name: str = ""
    national_id: str = ""
    commune: str = ""
    changes: list = field(default_factory=list)  # headers of the columns an update changes
    reasons: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


def _display(value):
    return display_value(value, yes_no=yes_no)


# --- Reading the file ------------------------------------------------------------------------------------


def read_upload(uploaded) -> reading.ParsedFile:
    """The data rows of an uploaded .xlsx, .xls, .ods or CSV file (portal_io.reading's checks and limits, the
    national IDs repeated inside the file refused, TCVN3 / VNI converted), without the template's example
    row if it was left in; or FileRejected."""
    data = reading.read_upload_bytes(uploaded, max_bytes=reading.MAX_FILE_BYTES)
    parsed = reading.read_bytes(data, COLUMNS, essential=ESSENTIAL, max_rows=reading.MAX_ROWS)
    name_at, id_at = list(BY_KEY).index("full_name"), list(BY_KEY).index("national_id")
    parsed.rows = [
        (line, raw)
        for line, raw in parsed.rows
        if not (
            reading.national_id_text(raw[id_at]) == EXAMPLE["national_id"]
            and _fold(str(raw[name_at] or "")) == _fold(EXAMPLE["full_name"])
        )
    ]
    if not parsed.rows:
        raise reading.FileRejected(_("The sheet has a header row but no data rows under it."))
    return parsed


# --- Evaluating the rows ---------------------------------------------------------------------------------


class _Context:
    """What every row needs, read once per evaluation: the user's units, the reference lists, the people the
    file names (by national ID) and those registered without a national ID under the names it gives."""

    def __init__(self, *, user, rows):
        self.user = user
        self.scope = get_scope(user)
        self.communes, self.hamlets = {}, {}
        for unit in Unit.objects.editable_by(user).current().select_related("kind", "parent", "parent__kind"):
            if unit.kind.is_commune_level:
                self.communes.setdefault(fold(unit.name), []).append(unit)
            elif unit.parent_id and unit.parent.kind.is_commune_level:
                self.hamlets[(unit.parent_id, fold(unit.name))] = unit
        self.ethnicities = {}
        for ethnicity in Ethnicity.objects.all():
            self.ethnicities[fold(ethnicity.name)] = ethnicity
            self.ethnicities.setdefault(fold(ethnicity.code_1979), ethnicity)
        self.choices = {kind: choice_lookup(choices) for kind, choices in CHOICES.items()}
        self.flags = {}
        keys = list(BY_KEY)
        id_at, name_at = keys.index("national_id"), keys.index("full_name")
        national_ids = sorted({reading.national_id_text(raw[id_at]) for _line, raw in rows} - {""})
        self.people = {}
        for chunk in _chunks(national_ids):
            for person in Person.objects.filter(national_id__in=chunk).select_related("home_unit", "home_unit__kind"):
                self.people[person.national_id] = person
        # People registered without a national ID, by folded name and birth date (possible duplicates).
        names = sorted({fold(normalize_name(str(raw[name_at]))) for _line, raw in rows if raw[name_at]})
        self.unnumbered = {}
        for chunk in _chunks(names):
            unnumbered = Person.objects.filter(national_id__isnull=True, search_key__in=chunk)
            for person in unnumbered.select_related("home_unit"):
                self.unnumbered.setdefault((person.search_key, person.birth_date), person)


def _chunks(items):
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start : start + LOOKUP_CHUNK]


@dataclass
class _Change:
    person: Person
    fields: list  # the Person fields an update writes (all for a new person)


class _RowEvaluator:
    def __init__(self, context):
        self.ctx = context

    def _parse(self, column, value, reasons):
        """The cell's value for the model, or None when empty (the default or the current value applies)."""
        if value is None or value == "":
            if column.required:
                reasons.column(column, _("a value is required."))
            return None
        kind = column.kind
        try:
            if kind in ("text", "commune", "hamlet"):
                return normalize_name(value) if isinstance(value, str) else _display(value)
            if kind == "national_id":
                return reading.national_id_text(value)
            if kind == "date":
                return parse_date(value)
            if kind == "grade":
                grade = parse_int(value)
                if not 0 <= grade <= 12:
                    raise Invalid
                return grade
            if kind == "bool":
                flag = parse_bool_cell(value, self.ctx.flags)
                if flag is None:
                    raise Invalid
                return flag
            if kind == "ethnicity":
                return self.ctx.ethnicities[_fold(str(value))]
            return self.ctx.choices[kind][_fold(str(value))]
        except (Invalid, KeyError):
            reasons.cell(column, value, _problem(kind))
            return None

    def _units(self, values, reasons):
        """The person's home: a hamlet of a commune the user may edit, or the commune itself."""
        commune_name = values.get("commune")
        if not commune_name:
            return None
        found = self.ctx.communes.get(_fold(commune_name), [])
        if not found:
            reasons.cell(BY_KEY["commune"], commune_name, _("is not a commune or town you may edit."))
            return None
        if len(found) > 1:
            reasons.cell(BY_KEY["commune"], commune_name, _("matches several communes; write its full name."))
            return None
        commune = found[0]
        hamlet_name = values.get("hamlet")
        if not hamlet_name:
            return commune
        hamlet = self.ctx.hamlets.get((commune.pk, _fold(hamlet_name)))
        if hamlet is None:
            reasons.cell(
                BY_KEY["hamlet"], hamlet_name, _("is not a hamlet of %(commune)s.") % {"commune": commune.name}
            )
            return None
        return hamlet

    def evaluate(self, line, raw):
        """The row's plan and, when it writes something, the change to write (else None)."""
        ctx = self.ctx
        reasons = Reasons(line, display=_display)
        cells = dict(zip(BY_KEY, raw, strict=True))
        plan = RowPlan(
            line=line,
            action=REJECT,
            full_name=_display(cells.get("full_name")),
            national_id=reading.national_id_text(cells.get("national_id")),
            commune=_display(cells.get("commune")),
        )
        if not plan.national_id:
            reasons.row(_("there is no national ID (Số CCCD); it is needed to recognise the person."))
        values = {
            key: self._parse(column, cells.get(key), reasons)
            for key, column in BY_KEY.items()
            if column.imported and key != "national_id"
        }
        home = self._units(values, reasons)
        if reasons:
            plan.reasons = reasons.items
            return plan, None

        person = ctx.people.get(plan.national_id)
        if person is not None and not ctx.scope.can_write_path(person.home_unit.path):
            reasons.cell(
                BY_KEY["national_id"],
                plan.national_id,
                _("belongs to a person registered in a unit you may not edit; ask the district staff to move them."),
            )
            plan.reasons = reasons.items
            return plan, None
        if person is None:
            if values.get("ethnicity") is None:
                reasons.column(BY_KEY["ethnicity"], _("a value is required for a person new to the registry."))
            twin = ctx.unnumbered.get((fold(values["full_name"]), values.get("birth_date")))
            if twin is not None:
                where = twin.home_unit.name if ctx.scope.can_read_path(twin.home_unit.path) else _("another unit")
                reasons.row(
                    _(
                        "%(name)s, born %(born)s, is already registered without a national ID (in %(unit)s): "
                        "add the number to that record instead of registering the person twice."
                    )
                    % {"name": twin.full_name, "born": twin.birth_date.strftime("%d/%m/%Y"), "unit": where}
                )
            if reasons:
                plan.reasons = reasons.items
                return plan, None
        person, changes = _apply(person, plan.national_id, values, home)
        # The national ID's uniqueness was settled by the lookup above (and the database backs it); the home
        # unit and the ethnicity were just read: neither needs a query per row.
        try:
            person.full_clean(exclude=["ethnicity", "home_unit"], validate_unique=False)
        except ValidationError as exc:
            reasons.validation(exc, ERROR_COLUMNS, BY_KEY)
        if reasons:
            plan.reasons = reasons.items
            return plan, None
        if person.pk is None:
            plan.action = CREATE
            return plan, _Change(person, [])
        if not changes:
            plan.action = UNCHANGED
            return plan, None
        plan.action = UPDATE
        plan.changes = [BY_KEY[key].header for key in changes]
        return plan, _Change(person, ["home_unit" if key == "hamlet" else FIELDS[key] for key in changes])


def _problem(kind):
    if kind == "date":
        return _("is not a valid date (dd/mm/yyyy).")
    if kind == "grade":
        return _("is not a school grade from 0 to 12.")
    if kind == "bool":
        return _("is not «%(yes)s» or «%(no)s».") % {"yes": yes_no(True), "no": yes_no(False)}
    if kind == "ethnicity":
        return _("is not one of the 54 ethnic groups.")
    choices = CHOICES[kind]
    return _("is not in the list: %(allowed)s.") % {"allowed": ", ".join(label(choices, v) for v in choices.values)}


def _apply(person, national_id, values, home):
    """The person with the row's values set; the keys of the columns that change an existing person."""
    changes = []
    if person is None:
        person = Person(national_id=national_id, home_unit=home, **NEW_PERSON)
        for key, name in FIELDS.items():
            if values.get(key) is not None:
                setattr(person, name, values[key])
        return person, changes
    if home.kind.is_commune_level and (person.home_unit_id == home.pk or person.home_unit.parent_id == home.pk):
        home = person.home_unit  # an empty hamlet keeps the hamlet already known in the same commune
    if person.home_unit_id != home.pk:
        person.home_unit = home
        changes.append("hamlet")
    for key, name in FIELDS.items():
        value = values.get(key)
        if value is None:
            continue
        current = getattr(person, f"{name}_id") if hasattr(value, "_meta") else getattr(person, name)
        if current != (value.pk if hasattr(value, "_meta") else value):
            setattr(person, name, value)
            changes.append(key)
    return person, changes


def _evaluate_all(evaluator, rows, planned=None, progress=None):
    """(plans, changes, rows that now differ from the preview) for `rows`; `planned` None for a preview."""
    plans, changes, differ = [], [], []
    total = len(rows)
    for done, (line, raw) in enumerate(rows, start=1):
        expected = None if planned is None else planned.get(line, REJECT)
        if expected == REJECT:
            plans.append(RowPlan(line=line, action=REJECT))
            continue
        plan, change = evaluator.evaluate(line, raw)
        plans.append(plan)
        if expected is not None and plan.action != expected and not (expected == UPDATE and plan.action == UNCHANGED):
            differ.append(_explain_change(plan, expected))
        elif change is not None:
            changes.append(change)
        if progress is not None and done % 200 == 0:
            progress(done, total)
    return plans, changes, differ


def plan_import(*, user, rows, source=""):
    """What each row would do, writing nothing: a list of RowPlan."""
    evaluator = _RowEvaluator(_Context(user=user, rows=rows))
    return _evaluate_all(evaluator, rows)[0]


def people_import(*, user, rows, planned, source="", progress=None):
    """Write the rows the preview accepted, all or nothing (the import's service).

    `planned` maps each line to the action the user saw; rows rejected then are skipped. Every other row is
    evaluated again against the data as it is now; if one would now be rejected or do something else than the
    preview said, or the database refuses a write, nothing is written (ImportAborted). `progress(done, total)`
    is told how far it got. Returns the counts of what was written."""
    counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, REJECT: 0}
    try:
        with transaction.atomic():
            evaluator = _RowEvaluator(_Context(user=user, rows=rows))
            plans, changes, differ = _evaluate_all(evaluator, rows, planned, progress)
            if differ:
                raise ImportAborted(differ)
            for plan in plans:
                counts[plan.action] += 1
            counts[REJECT] = sum(1 for line, _raw in rows if planned.get(line, REJECT) == REJECT)
            _write(changes, user=user, reason=(_("Imported from %(file)s") % {"file": source})[:100])
    except DatabaseError as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ImportAborted([_("The database refused the import (%(error)s).") % {"error": detail}]) from exc
    if progress is not None:
        progress(len(rows), len(rows))
    return counts


def _write(changes, *, user, reason):
    """Bulk writes with one history row per change, attributed to the user with the file named; the places
    the people leave and land in are marked changed (units.freshness)."""
    history = {"batch_size": WRITE_BATCH, "default_user": user, "default_change_reason": reason}
    now = timezone.now()
    new = [c.person for c in changes if c.person.pk is None]
    updated = [c for c in changes if c.person.pk is not None]
    places = [
        *Person.objects.filter(pk__in=[c.person.pk for c in updated]).values_list("home_unit_id", flat=True),
        *(c.person.home_unit_id for c in changes),
    ]
    for change in changes:
        # save() with no field to write derives the folded search key and stops before the database.
        change.person.save(update_fields=[])
        change.person.updated_at = now
    bulk_create_with_history(new, Person, **history)
    if updated:
        fields = set().union(*(c.fields for c in updated)) | {"search_key", "updated_at"}
        bulk_update_with_history([c.person for c in updated], Person, sorted(fields), **history)
    changed(units=set(places))


def _explain_change(plan, expected):
    if plan.action == REJECT:
        return "; ".join(plan.reasons)
    return _("Row %(line)s: the data changed since the preview (it would now be «%(now)s» instead of «%(then)s»).") % {
        "line": plan.line,
        "now": action_label(plan.action),
        "then": action_label(expected),
    }


# --- The upload kept between the preview and the confirmation -------------------------------------------


def store_save(*, user, filename, rows, plan, ignored_headers=(), token=None) -> str:
    return store.save(
        user=user,
        kind=STORE_KIND,
        filename=filename,
        rows=rows,
        plan=plan,
        token=token,
        ignored_headers=list(ignored_headers),
    )


def store_load(token, *, user):
    return store.load(token, user=user, kind=STORE_KIND, max_age=MAX_AGE_SECONDS)
