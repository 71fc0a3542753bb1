"""The dashboard's figures per unit and year, kept by the data (`dashboard.UnitYearFigures`).

A row holds a unit's figures of a year as they stood on the day the year's figures are taken: 31/12, or
today for the running year (and for the call-ups of later years being prepared).

- **A write** calls `units.freshness.changed(units=...)` in its transaction; `mark()` (registered with
  `units.freshness.keep`) marks the rows of the units it changed stale there — the units themselves, the
  units above them and every unit below them — and, once the transaction commits, `refresh()` recomputes
  them from the records. `changed(everything=True)` (the tree, the age limits, reference data) marks every
  row stale; they are recomputed as they are read. A failed refresh leaves the rows stale: the next reader
  recomputes them.
- **A read** (`figures()`) takes the rows of the days it needs in one query and computes only the rows
  missing or stale, for those units and years only: after a write in one commune, that commune's.
- `manage.py rebuild_figures` recomputes the whole table from the records; the tests compare the kept
  table with a rebuilt one after every kind of write.
"""

import datetime
from functools import partial, reduce
from operator import or_

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F, Q
from django.utils import timezone

from militia import selectors as militia
from recruitment import selectors as recruitment

from .models import UnitYearFigures

FIGURES = {
    "strength": 0,
    "party": 0,
    "trained": 0,
    "by_force_type": {},
    "reservists": 0,
    "placed": 0,
    "matching": 0,
    "campaign_id": None,
    "has_quota": False,
    "quota": 0,
    "registered": 0,
    "examined": 0,
    "approved": 0,
    "handed_over": 0,
    "alerts": {},
}
UPDATED = [name.removesuffix("_id") for name in FIGURES] + ["stale", "computed_at"]


# The years a dashboard opens on: the running year with its five-year trend, and the call-ups of the next
# years being prepared (the 2027 call-up in December 2026).
YEARS_BACK = 4
YEARS_AHEAD = 1


def recent_years(today):
    return range(today.year - YEARS_BACK, today.year + YEARS_AHEAD + 1)


def year_end(year, today):
    """The day a year's figures are taken: 31/12, or today for the running year (and later ones)."""
    return min(datetime.date(year, 12, 31), today)


def compute(*, unit_ids, days):
    """The rows of `unit_ids` for each year of `days` ({year: day}), computed from the records (not saved)."""
    unit_ids = sorted(set(unit_ids))
    limits = militia.reserve_age_limits()
    rosters = militia.yearly_figures_by_unit(unit_ids=unit_ids, days=days, limits=limits)
    callups = recruitment.yearly_progress_by_unit(unit_ids=unit_ids, days=days)
    # The alerts of the latest day (the running year's rows: today).
    latest = max(days.values())
    alerts = militia.alerts_by_unit(unit_ids=unit_ids, today=latest, limits=limits)
    return [
        UnitYearFigures(
            unit_id=unit_id,
            year=year,
            on=day,
            stale=False,
            **{
                **FIGURES,
                "by_force_type": {},
                **rosters.get((unit_id, year), {}),
                **callups.get((unit_id, year), {}),
                "alerts": alerts.get(unit_id, {}) if day == latest else {},
            },
        )
        for unit_id in unit_ids
        for year, day in sorted(days.items())
    ]


def store(rows, *, seen=None, using=DEFAULT_DB_ALIAS):
    """Save computed rows. Without `seen`, each replaces the row of the same unit, year and day (one query: the
    rebuild). With `seen` ({(unit id, year, day): marks} of the rows as they were read before computing), a row
    that existed then is updated only if no write has marked it since — a write committed while the figures
    were computed may be missing from them, and that write's refresh stores its own — and a new row is inserted
    unless another request has inserted it meanwhile."""
    if not rows:
        return
    table = UnitYearFigures.objects.using(using)
    if seen is None:
        table.bulk_create(rows, update_conflicts=True, unique_fields=["unit", "year", "on"], update_fields=UPDATED)
        return
    new = []
    for row in rows:
        marks = seen.get((row.unit_id, row.year, row.on))
        if marks is None:
            new.append(row)
            continue
        values = {name: getattr(row, name) for name in UPDATED if name != "computed_at"}
        table.filter(unit_id=row.unit_id, year=row.year, on=row.on, marks=marks).update(
            **values, computed_at=timezone.now()
        )
    table.bulk_create(new, ignore_conflicts=True)


def figures(*, unit_ids, years, today):
    """{(unit id, year): row} for the units and years, as of each year's day (`year_end`). One query when the
    rows are kept; the missing or stale ones are computed (for those units and years only) and saved."""
    days = {year: year_end(year, today) for year in years}
    unit_ids = list(unit_ids)
    if not unit_ids or not days:
        return {}
    on_their_day = reduce(or_, (Q(year=year, on=day) for year, day in days.items()))
    found, seen = {}, {}
    for row in UnitYearFigures.objects.filter(on_their_day, unit_id__in=unit_ids).order_by():
        if row.stale:
            seen[(row.unit_id, row.year, row.on)] = row.marks
        else:
            found[(row.unit_id, row.year)] = row
    missing = [(unit_id, year) for unit_id in unit_ids for year in days if (unit_id, year) not in found]
    if missing:
        rows = compute(
            unit_ids={unit_id for unit_id, _year in missing}, days={year: days[year] for _unit, year in missing}
        )
        wanted = set(missing)
        rows = [row for row in rows if (row.unit_id, row.year) in wanted]
        store(rows, seen=seen)
        found.update({(row.unit_id, row.year): row for row in rows})
    return found


# --- Kept by the writes --------------------------------------------------------------------------------------


def _affected(paths):
    """The rows of the units whose records changed: the units on the paths (a hamlet's commune, a commune's
    district) and every unit below them (a district's communes, when its campaign changes)."""
    ids = {int(part) for path in paths for part in path.split(".") if part}
    return reduce(or_, (Q(unit__path__startswith=path) for path in paths), Q(unit_id__in=ids))


def mark(*, paths, everything, using=DEFAULT_DB_ALIAS):
    """The keeper `units.freshness.changed()` calls in the writing transaction: mark the rows of the changed
    places stale (one query; the rows stay locked until the write commits) and recompute them once it
    commits."""
    rows = UnitYearFigures.objects.using(using)
    if everything:
        rows.update(stale=True, marks=F("marks") + 1)
        return
    if not paths:
        return
    rows.filter(_affected(paths)).update(stale=True, marks=F("marks") + 1)
    transaction.on_commit(partial(refresh, paths=list(paths), using=using), using=using, robust=True)


def refresh(*, paths=None, today=None, using=DEFAULT_DB_ALIAS):
    """Recompute the stale rows (of the places `paths`, else all) of the years a dashboard opens on (the
    running year's five-year trend and the call-ups being prepared: `RECENT_YEARS`); drop the other stale rows
    — an earlier year's, computed again if someone asks for it, and the running year's rows of a day gone by,
    which no reader asks for again. A write thus costs its units' rows of six years, whatever the table holds.
    A row marked again while it was computed is left stale for the later write's refresh (`store`)."""
    today = today or timezone.localdate()
    stale = UnitYearFigures.objects.using(using).filter(stale=True)
    if paths is not None:
        stale = stale.filter(_affected(paths))
    units, years, gone, seen = set(), set(), [], {}
    for pk, unit_id, year, on, marks in stale.values_list("pk", "unit_id", "year", "on", "marks"):
        if on == year_end(year, today) and year in recent_years(today):
            units.add(unit_id)
            years.add(year)
            seen[(unit_id, year, on)] = marks
        else:
            gone.append(pk)
    if gone:
        UnitYearFigures.objects.using(using).filter(pk__in=gone, stale=True).delete()
    if units:
        rows = compute(unit_ids=units, days={year: year_end(year, today) for year in years})
        store([row for row in rows if (row.unit_id, row.year, row.on) in seen], seen=seen, using=using)


def rebuild(*, years, today=None, using=DEFAULT_DB_ALIAS):
    """Recompute the whole table from the records: every unit that holds rows or records of the dashboard,
    for `years`, as of each year's day. Returns the number of rows."""
    from units.models import Unit

    today = today or timezone.localdate()
    unit_ids = list(Unit.objects.using(using).filter(kind__is_commune_level=True).values_list("pk", flat=True))
    days = {year: year_end(year, today) for year in years}
    rows = compute(unit_ids=unit_ids, days=days)
    with transaction.atomic(using=using):
        UnitYearFigures.objects.using(using).all().delete()
        store(rows, using=using)
    return len(rows)
