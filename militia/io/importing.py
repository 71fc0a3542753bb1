"""The import of a roster file: what each row would do (create, update, leave unchanged, reject and why),
and the commit that writes every accepted row or nothing.

A row is matched to a person by national ID (upsert). Every law rule runs on every row: the models'
`full_clean()` (whose clean() calls `people.rules` and `militia.rules`), and the rules that concern the
person's other records — the same functions of `militia.rules`, with the same messages — fed from facts
read in bulk, because one query per row would take minutes for a commune's whole roster. A broken rule
becomes the row's reason, naming the column. The preview and the commit run the same evaluation; the
commit runs it again inside one transaction against the data as it is then, and writes in bulk with
history (simple_history's bulk helpers), so a change made in between cannot slip through and a failure
leaves nothing behind.
"""

import functools
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from people.models import Ethnicity, Person
from portal_io.rows import (  # noqa: F401 - part of this module's API
    CREATE,
    REJECT,
    UNCHANGED,
    UPDATE,
    ImportAborted,
    Reasons,
    action_label,
    summarize,
)
from portal_io.values import Invalid as _Invalid
from portal_io.values import display_value as _display_value
from portal_io.values import parse_date, parse_int  # noqa: F401 - parse_date is part of this module's API
from units.dates import date_errors
from units.freshness import changed
from units.models import Unit
from units.scoping import get_scope
from units.text import fold, normalize_name

from .. import rules
from ..models import (
    DutyKind,
    ForceType,
    MemberStatus,
    MilitiaDutyRecord,
    MilitiaMember,
    ReserveAgeLimit,
    ReservePlacement,
    Reservist,
    ReservistStatus,
)
from .columns import CHOICE_KINDS, MEMBERS, RESERVISTS, choice_lookup, columns_of, label, parse_bool_cell, yes_no
from .reading import national_id_text

# The cells of a column repeat ("Nam", "Tày", the commune's name...): fold each spelling once.
_fold = functools.lru_cache(maxsize=16384)(fold)

LOOKUP_CHUNK = 1000
WRITE_BATCH = 500

PERSON_FIELDS = {  # column key → Person field
    "full_name": "full_name",
    "birth_date": "birth_date",
    "sex": "sex",
    "ethnicity": "ethnicity",
    "is_party_member": "is_party_member",
}
RECORD_FIELDS = {
    MEMBERS: {
        "force_type": "force_type",
        "is_core": "is_core",
        "platoon": "platoon",
        "squad": "squad",
        "position": "position",
        "joined_on": "joined_on",
        "extension_years": "extension_years",
        "extension_decision": "extension_decision",
        "is_volunteer": "is_volunteer",
        "last_trained_year": "last_trained_year",
    },
    RESERVISTS: {
        "category": "category",
        "tier": "tier",
        "rank": "rank",
        "specialty_code": "specialty_code",
        "registered_on": "registered_on",
    },
}
# Model field → the column a validation message is shown under.
PERSON_ERROR_COLUMNS = {
    "full_name": "full_name",
    "national_id": "national_id",
    "birth_date": "birth_date",
    "sex": "sex",
    "ethnicity": "ethnicity",
    "home_unit": "hamlet",
    "is_party_member": "is_party_member",
    "party_joined_on": "is_party_member",
}
RECORD_ERROR_COLUMNS = {
    MEMBERS: {"unit": "commune", **{f: f for f in RECORD_FIELDS[MEMBERS]}, "exit_date": "status", "status": "status"},
    RESERVISTS: {
        "unit": "commune",
        **{f: f for f in RECORD_FIELDS[RESERVISTS]},
        "post": "placement",
        "placed_on": "placement",
        "status": "status",
        "status_reason": "status",
    },
}
# Column key → model field, where they differ.
_FIELD_OF_KEY = {"hamlet": "home_unit", "commune": "unit"}
# Fields not re-checked by full_clean: their objects were just read from the database.
RECORD_EXCLUDE = {MEMBERS: ["person", "unit", "force_type"], RESERVISTS: ["person", "unit", "post"]}
MODELS = {MEMBERS: MilitiaMember, RESERVISTS: Reservist}


@dataclass
class RowPlan:
    line: int
    action: str
    full_name: str = ""
    national_id: str = ""
    commune: str = ""
    changes: list = field(default_factory=list)  # headers of the columns an update changes
    reasons: list = field(default_factory=list)
    existing_person: bool = False

    def as_dict(self):
        return asdict(self)


def display_value(value):
    return _display_value(value, yes_no=yes_no)


class _Reasons(Reasons):
    """A row's reasons, each naming the row, the column and the value (booleans as «Có» / «Không»)."""

    def __init__(self, line):
        super().__init__(line, display=display_value)


class _Context:
    """What every row needs, read once per evaluation: the user's units, reference lists, the people named."""

    def __init__(self, *, user, roster, rows):
        self.user, self.roster = user, roster
        self.scope = get_scope(user)
        self.columns = {c.key: c for c in columns_of(roster)}
        units = list(Unit.objects.editable_by(user).current().select_related("kind", "parent"))
        self.communes, self.hamlets = {}, {}
        for unit in units:
            if unit.kind.is_commune_level:
                self.communes.setdefault(fold(unit.name), []).append(unit)
            elif unit.parent_id and unit.parent.kind.is_commune_level:
                self.hamlets[(unit.parent_id, fold(unit.name))] = unit
        self.ethnicities = {}
        for ethnicity in Ethnicity.objects.all():
            self.ethnicities[fold(ethnicity.name)] = ethnicity
            self.ethnicities.setdefault(fold(ethnicity.code_1979), ethnicity)
        self.force_types = {}
        for force_type in ForceType.objects.all():
            for name in (force_type.code, force_type.label_en, force_type.label_vi):
                self.force_types[fold(name)] = force_type
        self.choices = {kind: choice_lookup(choices) for kind, choices in CHOICE_KINDS.items()}
        self.flags = {}  # folded text → True / False, filled as met
        id_index = list(self.columns).index("national_id")
        national_ids = sorted({national_id_text(raw[id_index]) for _line, raw in rows} - {""})
        self.people = {}
        for start in range(0, len(national_ids), LOOKUP_CHUNK):
            chunk = national_ids[start : start + LOOKUP_CHUNK]
            for person in Person.objects.filter(national_id__in=chunk).select_related("home_unit", "home_unit__kind"):
                self.people[person.national_id] = person
        model = MODELS[roster]
        related = (
            ["unit", "unit__kind", "force_type"] if roster == MEMBERS else ["unit", "unit__kind", "post__reserve_unit"]
        )
        person_ids = [p.pk for p in self.people.values()]
        self.records = {}  # person id → the active record the row updates
        self.placed_in = {}  # person id → the reserve unit a person is placed in (Law 48/2019 art. 10.3)
        self.in_militia = set()  # ids of people with an active militia membership
        self.duty_records = {}  # person id → deferments and exemptions (Law 48/2019 art. 11)
        self.age_limits = ReserveAgeLimit.objects.rows() if roster == RESERVISTS else []
        for chunk in _chunks(person_ids):
            for record in model.objects.active().filter(person_id__in=chunk).select_related(*related):
                self.records[record.person_id] = record
            if roster == MEMBERS:
                placed = Reservist.objects.placed().filter(person_id__in=chunk).select_related("post__reserve_unit")
                for reservist in placed:
                    self.placed_in.setdefault(reservist.person_id, reservist.post.reserve_unit.name)
                duty = MilitiaDutyRecord.objects.filter(person_id__in=chunk).exclude(kind=DutyKind.REGISTRATION)
                for duty_record in duty.select_related("ground"):
                    self.duty_records.setdefault(duty_record.person_id, []).append(duty_record)
            else:
                members = MilitiaMember.objects.active().filter(person_id__in=chunk)
                self.in_militia.update(members.values_list("person_id", flat=True))
        self.post_placed = {}  # post id → reservists placed in it now
        post_ids = sorted({r.post_id for r in self.records.values() if getattr(r, "post_id", None)})
        for chunk in _chunks(post_ids):
            counts = Reservist.objects.placed().filter(post_id__in=chunk).values("post_id").annotate(n=Count("pk"))
            self.post_placed.update((row["post_id"], row["n"]) for row in counts)

    def duty_in_force(self, person_id, on):
        """`MilitiaDutyRecord.objects.in_force` answered from the records read in bulk."""
        if person_id is None or on is None:
            return None
        found = [
            r
            for r in self.duty_records.get(person_id, ())
            if r.recorded_on <= on and (r.kind == DutyKind.EXEMPTION or r.ends_on is None or r.ends_on >= on)
        ]
        found.sort(key=lambda r: (r.kind, r.recorded_on, r.pk), reverse=True)
        return found[0] if found else None


def _chunks(items):
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start : start + LOOKUP_CHUNK]


@contextmanager
def _without_person(record):
    """While detached from its person, the record's clean() checks everything but the person-related rules,
    without a query; `_person_rules` then runs those from the facts read in bulk."""
    person_id = record.person_id
    record.person_id = None
    try:
        yield
    finally:
        record.person_id = person_id


@dataclass
class _Change:
    """What a row writes: the person and the record, new or with the fields that change."""

    person: Person
    person_fields: list
    record: object
    record_fields: list


class _RowEvaluator:
    def __init__(self, context, *, source=""):
        self.ctx = context
        self.roster = context.roster
        self.source = source

    # --- cells ----------------------------------------------------------------------------------

    def _parse(self, column, value, reasons):
        """The cell's value for the model, or None when empty (the default / the current value applies)."""
        if value is None or value == "":
            if column.required:
                reasons.column(column, _("a value is required."))
            return None
        kind = column.kind
        try:
            if kind == "text":
                return normalize_name(value) if isinstance(value, str) else display_value(value)
            if kind == "national_id":
                return national_id_text(value)
            if kind == "date":
                return parse_date(value)
            if kind == "int":
                return parse_int(value)
            if kind == "bool":
                flag = parse_bool_cell(value, self.ctx.flags)
                if flag is None:
                    raise _Invalid
                return flag
            if kind == "ethnicity":
                return self.ctx.ethnicities[_fold(str(value))]
            if kind == "force_type":
                return self.ctx.force_types[_fold(str(value))]
            if kind in ("commune", "hamlet"):
                return str(value).strip()  # resolved with the other cell of the pair
            if kind == "tier":
                value = _fold(str(value)).removeprefix("hang").strip()
            return self.ctx.choices[kind][_fold(str(value))]
        except (_Invalid, KeyError):
            reasons.cell(column, value, self._problem(kind))
            return None

    def _problem(self, kind):
        if kind == "date":
            return _("is not a valid date (dd/mm/yyyy).")
        if kind == "int":
            return _("is not a whole number.")
        if kind == "bool":
            return _("is not «%(yes)s» or «%(no)s».") % {"yes": yes_no(True), "no": yes_no(False)}
        if kind == "ethnicity":
            return _("is not one of the 54 ethnic groups.")
        if kind == "force_type":
            names = ", ".join(ft.label_vi for ft in sorted(set(self.ctx.force_types.values()), key=lambda f: f.order))
            return _("is not a militia force type (%(allowed)s).") % {"allowed": names}
        choices = CHOICE_KINDS[kind]
        allowed = ", ".join(label(choices, v) for v in choices.values)
        return _("is not in the list: %(allowed)s.") % {"allowed": allowed}

    def _units(self, values, reasons):
        """The commune of the record and the person's home unit (a hamlet of it, or the commune)."""
        columns = self.ctx.columns
        commune_name = values.get("commune")
        if not commune_name:
            return None, None
        found = self.ctx.communes.get(_fold(commune_name), [])
        if not found:
            reasons.cell(columns["commune"], commune_name, _("is not a commune or town you may edit."))
            return None, None
        if len(found) > 1:
            reasons.cell(columns["commune"], commune_name, _("matches several communes; write its full name."))
            return None, None
        commune = found[0]
        hamlet_name = values.get("hamlet")
        if not hamlet_name:
            return commune, None
        hamlet = self.ctx.hamlets.get((commune.pk, _fold(hamlet_name)))
        if hamlet is None:
            reasons.cell(
                columns["hamlet"], hamlet_name, _("is not a hamlet of %(commune)s.") % {"commune": commune.name}
            )
            return None, None
        return commune, hamlet

    # --- a row ----------------------------------------------------------------------------------

    def evaluate(self, line, raw):
        """The row's plan and, when it writes something, the change to write (else None)."""
        ctx, columns = self.ctx, self.ctx.columns
        reasons = _Reasons(line)
        cells = dict(zip(columns, raw, strict=True))
        plan = RowPlan(
            line=line,
            action=REJECT,
            full_name=display_value(cells.get("full_name")),
            national_id=national_id_text(cells.get("national_id")),
            commune=display_value(cells.get("commune")),
        )
        if not plan.national_id:
            reasons.row(_("there is no national ID (Số CCCD); it is needed to recognise the person."))
        values = {}
        for key, column in columns.items():
            if column.imported and key != "national_id":
                values[key] = self._parse(column, cells.get(key), reasons)
        status = values.get("status")
        active = MemberStatus.ACTIVE if self.roster == MEMBERS else ReservistStatus.ACTIVE
        if status and status != active:
            reasons.cell(
                columns["status"],
                cells.get("status"),
                _("cannot be imported: the import adds and updates active records only; end a record in the portal."),
            )
        commune, hamlet = self._units(values, reasons)
        if reasons:
            plan.reasons = reasons.items
            return plan, None

        person = ctx.people.get(plan.national_id)
        plan.existing_person = person is not None
        if person is not None and not ctx.scope.can_write_path(person.home_unit.path):
            reasons.cell(
                columns["national_id"],
                plan.national_id,
                _("belongs to a person registered in a unit you may not edit; ask the district staff to move them."),
            )
            plan.reasons = reasons.items
            return plan, None
        record = ctx.records.get(person.pk) if person is not None else None
        if record is not None and not ctx.scope.can_write_path(record.unit.path):
            reasons.row(
                _("this person already has an active record in %(unit)s, which you may not edit.")
                % {"unit": record.unit.name}
            )
            plan.reasons = reasons.items
            return plan, None

        person, person_changes = self._apply_person(person, plan.national_id, values, commune, hamlet)
        record, record_changes = self._apply_record(record, values, commune)
        # The national ID's uniqueness was settled by the lookup above (and the database backs it);
        # the foreign keys were just read: neither needs a query per row.
        try:
            person.full_clean(exclude=["ethnicity", "home_unit"], validate_unique=False)
        except ValidationError as exc:
            reasons.validation(exc, PERSON_ERROR_COLUMNS, columns)
        with _without_person(record):
            try:
                # No unique field but the key, and the one-active-record constraint is the person's: see below.
                record.full_clean(
                    exclude=RECORD_EXCLUDE[self.roster], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                reasons.validation(exc, RECORD_ERROR_COLUMNS[self.roster], columns)
        if person.birth_date and person.sex:
            try:
                self._person_rules(person, record)
            except ValidationError as exc:
                reasons.validation(exc, RECORD_ERROR_COLUMNS[self.roster], columns)
        if reasons:
            plan.reasons = reasons.items
            return plan, None

        if person.pk is None or record.pk is None:
            plan.action = CREATE
        elif person_changes or record_changes:
            plan.action = UPDATE
        else:
            plan.action = UNCHANGED
            return plan, None
        plan.changes = [columns[key].header for key in person_changes + record_changes] if record.pk else []
        person_fields = [_FIELD_OF_KEY.get(key, key) for key in person_changes]
        record_fields = [_FIELD_OF_KEY.get(key, key) for key in record_changes]
        return plan, _Change(person, person_fields, record, record_fields)

    def _person_rules(self, person, record):
        """The rules of the record's clean() that concern the person, with the same rule functions and messages,
        answered from the facts read in bulk instead of a query per row (see MilitiaMember.clean and
        Reservist.clean). A person holds at most one active record, which is the one the row updates, so the
        "another active record" checks cannot fail here; the database's constraints back that up."""
        today = timezone.localdate()
        # The record's clean() checked each date's range without the person; the birth date comes from here.
        errors = date_errors(
            record, born=person.birth_date, after_birth=["joined_on" if self.roster == MEMBERS else "registered_on"]
        )
        if self.roster == MEMBERS:
            if record.joined_on:
                try:
                    rules.validate_militia_age(
                        birth_date=person.birth_date, sex=person.sex, on=record.joined_on, volunteer=record.is_volunteer
                    )
                except ValidationError as exc:
                    errors.setdefault("joined_on", []).extend(exc.messages)
                if record.pk is None:
                    try:
                        rules.validate_not_deferred(
                            **MilitiaDutyRecord.refusal_facts(self.ctx.duty_in_force(person.pk, record.joined_on))
                        )
                    except ValidationError as exc:
                        errors.setdefault("person", []).extend(exc.messages)
            try:
                rules.validate_not_placed_in_reserve(placed_unit_name=self.ctx.placed_in.get(person.pk))
            except ValidationError as exc:
                errors.setdefault("person", []).extend(exc.messages)
        else:
            if record.category:
                try:
                    rules.validate_reservist_age(
                        birth_date=person.birth_date,
                        sex=person.sex,
                        category=record.category,
                        rank=record.rank,
                        on=today,
                        limits=self.ctx.age_limits,
                    )
                except ValidationError as exc:
                    errors.setdefault("person", []).extend(exc.messages)
            if record.post_id:
                self._placement_rules(person, record, errors, today)
        if errors:
            raise ValidationError(errors)

    def _placement_rules(self, person, record, errors, today):
        post = record.post
        if not record.placed_on:
            errors["placed_on"] = [_("Give the date of the placement.")]
        checks = (
            lambda: rules.validate_placement(
                birth_date=person.birth_date,
                sex=person.sex,
                category=record.category,
                on=record.placed_on or today,
                is_combat=post.reserve_unit.is_combat,
            ),
            lambda: rules.validate_post_capacity(
                placed=self.ctx.post_placed.get(post.pk, 1) - 1,  # the others: this record is placed there
                required_count=post.required_count,
                margin_percent=post.margin_percent,
                post_name=str(post),
            ),
        )
        for check in checks:
            try:
                check()
            except ValidationError as exc:
                errors.setdefault("post", []).extend(exc.messages)
        if person.pk in self.ctx.in_militia:
            errors.setdefault("post", []).append(
                _(
                    "Law 48/2019 art. 10.3: this person is an active militia member; end the militia "
                    "membership before placing them in a reserve unit."
                )
            )

    def _apply_person(self, person, national_id, values, commune, hamlet):
        changes = []
        if person is None:
            person = Person(national_id=national_id, is_party_member=False)
        home = hamlet or commune
        if (
            person.pk is not None
            and hamlet is None
            and (person.home_unit_id == commune.pk or person.home_unit.parent_id == commune.pk)
        ):
            home = person.home_unit  # an empty hamlet keeps the hamlet already known in the same commune
        if person.home_unit_id != home.pk:
            person.home_unit = home
            changes.append("hamlet")
        for key, name in PERSON_FIELDS.items():
            value = values.get(key)
            if value is None:
                continue
            if _differs(person, name, value):
                setattr(person, name, value)
                changes.append(key)
        return person, changes

    def _apply_record(self, record, values, commune):
        changes = []
        if record is None:
            record = MODELS[self.roster](unit=commune)
        elif record.unit_id != commune.pk:
            record.unit = commune
            changes.append("commune")
        for key, name in RECORD_FIELDS[self.roster].items():
            value = values.get(key)
            if value is None:
                continue
            if _differs(record, name, value):
                setattr(record, name, value)
                changes.append(key)
        return record, changes


def _differs(obj, name, value):
    if hasattr(value, "_meta"):  # a model instance: compare ids, never load the current one
        return getattr(obj, f"{name}_id") != value.pk
    return getattr(obj, name) != value


def plan_import(*, user, roster, rows, source=""):
    """What each row would do, without writing anything. Returns a list of RowPlan."""
    evaluator = _RowEvaluator(_Context(user=user, roster=roster, rows=rows), source=source)
    return [evaluator.evaluate(line, raw)[0] for line, raw in rows]


def commit_import(*, user, roster, rows, planned, source=""):
    """Write the rows the preview accepted, all or nothing (the import's service).

    `planned` maps each line to the action the user saw. Rows rejected then are skipped. Every other row
    is evaluated again against the data as it is now; if one would now be rejected or do something else
    than the preview said, or the database refuses a write, the whole import is rolled back.
    Returns the counts of what was written.
    """
    counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, REJECT: 0}
    try:
        with transaction.atomic():
            evaluator = _RowEvaluator(_Context(user=user, roster=roster, rows=rows), source=source)
            differ, changes = [], []
            for line, raw in rows:
                expected = planned.get(line, REJECT)
                if expected == REJECT:
                    counts[REJECT] += 1
                    continue
                plan, change = evaluator.evaluate(line, raw)
                if plan.action != expected and not (expected == UPDATE and plan.action == UNCHANGED):
                    differ.append(_explain_change(plan, expected))
                    continue
                counts[plan.action] += 1
                if change is not None:
                    changes.append((line, change))
            if differ:
                raise ImportAborted(differ)
            _write(
                changes, model=MODELS[roster], user=user, reason=(_("Imported from %(file)s") % {"file": source})[:100]
            )
    except DatabaseError as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ImportAborted([_("The database refused the import (%(error)s).") % {"error": detail}]) from exc
    return counts


def _derive(obj):
    """Run the model's own save() up to the point where Django skips a save with no fields: the derived
    fields (search key, end of term, specialty match) are computed by the model's code, and nothing is
    written — the bulk writes below do that."""
    obj.save(update_fields=[])


def _write(changes, *, model, user, reason):
    """Bulk writes with one history row per change, attributed to the user with the file named."""
    history = {"batch_size": WRITE_BATCH, "default_user": user, "default_change_reason": reason}
    now = timezone.now()
    new_people = [c.person for _line, c in changes if c.person.pk is None]
    changed_people = [c.person for _line, c in changes if c.person.pk is not None and c.person_fields]
    changed_ids = [c.record.pk for _line, c in changes if c.record.pk is not None and c.record_fields]
    # The places the rows leave (read before the writes) and those they land in.
    places = [
        *Person.objects.filter(pk__in=[p.pk for p in changed_people]).values_list("home_unit_id", flat=True),
        *model.objects.filter(pk__in=changed_ids).values_list("unit_id", flat=True),
        *(c.person.home_unit_id for _line, c in changes),
        *(c.record.unit_id for _line, c in changes),
    ]
    for person in new_people + changed_people:
        _derive(person)
        person.updated_at = now
    bulk_create_with_history(new_people, Person, **history)
    if changed_people:
        fields = set().union(*(c.person_fields for _line, c in changes if c.person.pk is not None))
        fields |= {"search_key", "updated_at"}
        bulk_update_with_history(changed_people, Person, sorted(fields), **history)
    new_records, changed_records = [], []
    for _line, change in changes:
        change.record.person = change.person
        if change.record.pk is None:
            new_records.append(change.record)
        elif change.record_fields:
            changed_records.append(change.record)
    for record in new_records + changed_records:
        _derive(record)
    bulk_create_with_history(new_records, model, **history)
    if changed_records:
        fields = set().union(*(c.record_fields for _line, c in changes if c.record.pk is not None))
        fields |= {"term_ends_on"} if model is MilitiaMember else {"specialty_matches"}
        bulk_update_with_history(changed_records, model, sorted(fields), **history)
    if model is Reservist:  # the bulk writes skip save(): follow the placements here
        ReservePlacement.objects.follow(new_records + changed_records)
    changed(units=set(places))


def _explain_change(plan, expected):
    if plan.action == REJECT:
        return "; ".join(plan.reasons)
    return _("Row %(line)s: the data changed since the preview (it would now be «%(now)s» instead of «%(then)s»).") % {
        "line": plan.line,
        "now": action_label(plan.action),
        "then": action_label(expected),
    }


__all__ = [
    "CREATE",
    "REJECT",
    "UNCHANGED",
    "UPDATE",
    "ImportAborted",
    "RowPlan",
    "commit_import",
    "parse_date",
    "plan_import",
    "summarize",
]
