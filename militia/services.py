"""Writes on the rosters: each validated by the law's rules (model clean) inside a transaction."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from people.models import Person
from people.services import person_create
from units.concurrency import lock_for_edit
from units.freshness import changed
from units.scoping import get_scope

from .models import DutyKind, MemberStatus, MilitiaDutyRecord, MilitiaMember, Reservist, ReservistStatus

MEMBER_FIELDS = frozenset(
    {
        "person",
        "unit",
        "force_type",
        "is_core",
        "platoon",
        "squad",
        "position",
        "joined_on",
        "extension_years",
        "extension_decision",
        "is_volunteer",
        "last_trained_year",
        "notes",
    }
)
RESERVIST_FIELDS = frozenset(
    {
        "person",
        "unit",
        "category",
        "tier",
        "rank",
        "specialty_code",
        "registered_on",
        "post",
        "placed_on",
        "notes",
    }
)


def _check_unit(user, unit):
    if unit is None or not get_scope(user).can_write_path(unit.path):
        raise PermissionDenied(_("You may not keep the roster of %(unit)s.") % {"unit": getattr(unit, "name", "?")})


def _check_fields(fields, allowed):
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


@transaction.atomic
def member_enlist(*, user, **fields) -> MilitiaMember:
    """Add a person to the commune militia (kết nạp dân quân)."""
    _check_fields(fields, MEMBER_FIELDS)
    member = MilitiaMember(**fields)
    _check_unit(user, member.unit)
    member.full_clean()
    member.save()
    changed(units=[member.unit])
    return member


def _person(*, user, person: Person | None, new_person: Mapping[str, Any] | None) -> Person:
    if (person is None) == (new_person is None):
        raise TypeError("give either person or new_person")
    return person if person is not None else person_create(user=user, **new_person)


@transaction.atomic
def member_enlist_person(
    *, user, person: Person | None = None, new_person: Mapping[str, Any] | None = None, **fields
) -> MilitiaMember:
    """Add to the militia `person`, already in the registry, or a person created from the fields of `new_person`
    (people.services.person_create) in the same transaction: a refused membership leaves no new person behind."""
    return member_enlist(user=user, person=_person(user=user, person=person, new_person=new_person), **fields)


@transaction.atomic
def member_update(*, user, member: MilitiaMember, loaded_version: str | None = None, **fields) -> MilitiaMember:
    """Change a membership; `loaded_version` as in people.services.person_update (units.concurrency)."""
    _check_fields(fields, MEMBER_FIELDS - {"person"})
    fields = lock_for_edit(member, loaded_version=loaded_version, fields=fields)
    _check_unit(user, member.unit)
    before = member.unit
    for name, value in fields.items():
        setattr(member, name, value)
    _check_unit(user, member.unit)
    member.full_clean()
    member.save()
    changed(units=[before, member.unit])
    return member


@transaction.atomic
def member_end(*, user, member: MilitiaMember, status: str, exit_date, exit_reason: str) -> MilitiaMember:
    """End a membership: term ended, discharged early or moved away, with the date and reason."""
    _check_unit(user, member.unit)
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(_("This membership has already ended."))
    if status == MemberStatus.ACTIVE or status not in MemberStatus.values:
        raise ValidationError({"status": _("Choose how the membership ended.")})
    member.status, member.exit_date, member.exit_reason = status, exit_date, exit_reason or ""
    member.full_clean()
    member.save()
    changed(units=[member.unit])
    return member


@transaction.atomic
def reservist_register(*, user, **fields) -> Reservist:
    """Register a reservist (đăng ký quân nhân dự bị), optionally already placed in a post."""
    _check_fields(fields, RESERVIST_FIELDS)
    reservist = Reservist(**fields)
    _check_unit(user, reservist.unit)
    reservist.full_clean()
    reservist.save()
    changed(units=[reservist.unit])
    return reservist


@transaction.atomic
def reservist_register_person(
    *, user, person: Person | None = None, new_person: Mapping[str, Any] | None = None, **fields
) -> Reservist:
    """Register as a reservist `person`, already in the registry, or a person created from the fields of
    `new_person` in the same transaction: a refused registration leaves no new person behind."""
    return reservist_register(user=user, person=_person(user=user, person=person, new_person=new_person), **fields)


@transaction.atomic
def reservist_update(*, user, reservist: Reservist, loaded_version: str | None = None, **fields) -> Reservist:
    """Change a reservist; `loaded_version` as in people.services.person_update (units.concurrency)."""
    _check_fields(fields, RESERVIST_FIELDS - {"person"})
    fields = lock_for_edit(reservist, loaded_version=loaded_version, fields=fields)
    _check_unit(user, reservist.unit)
    before = reservist.unit
    for name, value in fields.items():
        setattr(reservist, name, value)
    _check_unit(user, reservist.unit)
    reservist.full_clean()
    reservist.save()
    changed(units=[before, reservist.unit])
    return reservist


@transaction.atomic
def reservist_set_status(*, user, reservist: Reservist, status: str, reason: str, left_on=None) -> Reservist:
    """Mark a reservist over age or remove them from the roster on `left_on` (today when not given);
    the placement ends with it."""
    _check_unit(user, reservist.unit)
    if status == ReservistStatus.ACTIVE or status not in ReservistStatus.values:
        raise ValidationError({"status": _("Choose the new status.")})
    if reservist.status != ReservistStatus.ACTIVE:
        raise ValidationError(_("This reservist is no longer active."))
    reservist.status, reservist.status_reason = status, reason or ""
    reservist.left_on = left_on or timezone.localdate()
    reservist.post, reservist.placed_on = None, None
    reservist.full_clean()
    reservist.save()
    changed(units=[reservist.unit])
    return reservist


DUTY_FIELDS = frozenset({"person", "unit", "kind", "recorded_on", "ends_on", "ground", "decision", "notes"})


@transaction.atomic
def duty_record_create(*, user, **fields) -> MilitiaDutyRecord:
    """Record a person's registration of militia duty (Law 48/2019 art. 9), deferment or exemption (art. 11)."""
    _check_fields(fields, DUTY_FIELDS)
    record = MilitiaDutyRecord(**fields)
    _check_unit(user, record.unit)
    record.full_clean()
    record.save()
    changed(units=[record.unit])
    return record


@transaction.atomic
def duty_record_end(*, user, record: MilitiaDutyRecord, ends_on) -> MilitiaDutyRecord:
    """End a deferment early (the ground no longer holds)."""
    _check_unit(user, record.unit)
    if record.kind != DutyKind.DEFERMENT:
        raise ValidationError(_("Only a deferment has an end date."))
    record.ends_on = ends_on
    record.full_clean()
    record.save()
    changed(units=[record.unit])
    return record


@transaction.atomic
def members_set_last_trained(*, years: dict) -> int:
    """Record on each person's militia memberships the year they last attended a militia training.

    `years` maps a person's id to that year (None when no attendance is left): the year comes from the
    attendance kept by the activities app, never typed. Returns the number of memberships changed."""
    updated = []
    for member in MilitiaMember.objects.filter(person_id__in=list(years)):
        year = years[member.person_id]
        if member.last_trained_year != year:
            member.last_trained_year = year
            updated.append(member)
    if updated:
        bulk_update_with_history(updated, MilitiaMember, ["last_trained_year"], batch_size=500)
        changed(units={member.unit_id for member in updated})
    return len(updated)
