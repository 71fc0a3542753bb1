"""Writes on the records of activities: each record with its rows (events, attendance, groups), validated
and saved in one transaction, in a unit the user may edit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from militia.models import MilitiaMember
from militia.selectors import in_ranks_q
from militia.services import members_set_last_trained
from units.freshness import changed
from units.scoping import get_scope

from .models import (
    Attendance,
    AttendanceStatus,
    Attendee,
    DutyEvent,
    DutyLog,
    EducationCourse,
    GroupCount,
    PolicyFamily,
    PolicyVisit,
    Training,
    TrainingKind,
    WorkDay,
)


def _check_unit(user, unit):
    if unit is None or not get_scope(user).can_write_path(unit.path):
        raise PermissionDenied(_("You may not keep the records of %(unit)s.") % {"unit": getattr(unit, "name", "?")})


def _save(*, user, model, instance, fields):
    """Create (`instance` None) or change a record with `fields`, inside the user's write scope."""
    allowed = {f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    if instance is None:
        instance = model()
    else:
        _check_unit(user, instance.unit)
    before = instance.unit_id
    for name, value in fields.items():
        setattr(instance, name, value)
    _check_unit(user, instance.unit)
    instance.full_clean()
    instance.save()
    changed(units=[before, instance.unit])  # the record's rows are saved in the same transaction
    return instance


def _replace_rows(parent, related_name, model, rows, *, key=None):
    """Make the parent's rows exactly `rows` (dicts of fields). With `key`, a row of the same key is
    updated in place, so its history follows it; rows without a match are added, others removed."""
    manager = getattr(parent, related_name)
    parent_field = manager.field.name
    existing = {getattr(row, key): row for row in manager.all()} if key else {}
    kept = set()
    errors = []
    for index, fields in enumerate(rows):
        if key and fields[key] in kept:
            errors.append(_("Row %(number)s is entered twice.") % {"number": index + 1})
            continue
        row = existing.get(fields[key]) if key else None
        if row is None:
            row = model(**{parent_field: parent})
        for name, value in fields.items():
            setattr(row, name, value)
        try:
            row.full_clean(exclude=[parent_field], validate_unique=False)
        except ValidationError as exc:
            errors.append(_("Row %(number)s: %(error)s") % {"number": index + 1, "error": " ".join(exc.messages)})
            continue
        row.save()
        if key:
            kept.add(fields[key])
        else:
            kept.add(row.pk)
    if errors:
        raise ValidationError(errors)
    stale = [row for row in manager.all() if (getattr(row, key) if key else row.pk) not in kept]
    for row in stale:
        row.delete()


@transaction.atomic
def duty_log_save(*, user, log=None, events=(), **fields) -> DutyLog:
    """Record a day of readiness duty (trực sẵn sàng chiến đấu) and the events handled that day."""
    log = _save(user=user, model=DutyLog, instance=log, fields=fields)
    _replace_rows(log, "events", DutyEvent, list(events))
    return log


def _trained_years(person_ids):
    """The year each person last attended a militia training (None when they attended none)."""
    years = dict.fromkeys(person_ids)
    attended = (
        Attendance.objects.filter(
            person_id__in=person_ids, status=AttendanceStatus.PRESENT, training__kind=TrainingKind.MILITIA
        )
        .values("person_id")
        .annotate(last=Max("training__starts_on"))
    )
    for row in attended:
        years[row["person_id"]] = row["last"].year
    return years


@transaction.atomic
def training_save(*, user, training=None, attendances=(), add_militia=False, **fields) -> Training:
    """Record a training or exercise with each person's attendance and result; the militia members'
    last trained year follows the attendance. `add_militia` lists the organising unit's militia in the
    ranks on the first day as present, besides the rows given."""
    before = set(training.attendances.values_list("person_id", flat=True)) if training else set()
    training = _save(user=user, model=Training, instance=training, fields=fields)
    rows = [{**row, "person": row["person"]} for row in attendances]
    if add_militia:
        listed = {row["person"].pk for row in rows}
        members = MilitiaMember.objects.filter(
            in_ranks_q(training.starts_on), unit__path__startswith=training.unit.path
        )
        for member in members.select_related("person").order_by("person__search_key"):
            if member.person_id not in listed:
                rows.append({"person": member.person, "status": AttendanceStatus.PRESENT, "result": ""})
                listed.add(member.person_id)
    _replace_rows(training, "attendances", Attendance, rows, key="person")
    training_attendance_changed(training=training, person_ids=before)
    return training


@transaction.atomic
def training_attendance_changed(*, training, person_ids=()):
    """Bring the last trained year of the people who attend `training` (and of `person_ids`, who did
    before the change) in step with their attendance."""
    people = set(person_ids) | set(training.attendances.values_list("person_id", flat=True))
    members_set_last_trained(years=_trained_years(sorted(people)))


@transaction.atomic
def education_course_save(*, user, course=None, group_counts=(), attendees=(), **fields) -> EducationCourse:
    """Record a defence and security education course: numbers trained per group, or attendees by name."""
    course = _save(user=user, model=EducationCourse, instance=course, fields=fields)
    _replace_rows(course, "group_counts", GroupCount, list(group_counts), key="group")
    _replace_rows(course, "attendees", Attendee, list(attendees), key="person")
    return course


@transaction.atomic
def policy_family_save(*, user, family=None, **fields) -> PolicyFamily:
    """Record a family the policy looks after (gia đình chính sách)."""
    return _save(user=user, model=PolicyFamily, instance=family, fields=fields)


@transaction.atomic
def policy_visit_save(*, user, visit=None, **fields) -> PolicyVisit:
    """Record a visit to a policy family or to soldiers, and the value of the gifts."""
    return _save(user=user, model=PolicyVisit, instance=visit, fields=fields)


@transaction.atomic
def work_day_save(*, user, work_day=None, **fields) -> WorkDay:
    """Record civil-affairs work done for the people (ngày công dân vận)."""
    return _save(user=user, model=WorkDay, instance=work_day, fields=fields)
