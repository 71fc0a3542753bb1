"""Reads on the rosters: scoped lists, filters, per-commune figures and alerts.

The figure functions (`militia_*`, `reserve_*`) are the automatic sources the reports read;
each costs a fixed number of queries whatever the size of the roster.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.rules import birth_date_range_for_age
from people.selectors import AGE_BANDS
from units.figures import figure
from units.models import Unit
from units.scoping import get_scope
from units.selectors import communes_visible, subtree_on_q

from . import rules
from .models import (
    ForceType,
    MemberStatus,
    MilitiaDutyRecord,
    MilitiaMember,
    ReserveAgeLimit,
    ReservePlacement,
    ReservePost,
    Reservist,
    ReservistCategory,
    ReservistStatus,
)

MEMBER_SORTS = {
    "name": ("person__search_key", "pk"),
    "birth_date": ("person__birth_date", "pk"),
    "commune": ("unit__name", "person__search_key", "pk"),
    "force_type": ("force_type__order", "person__search_key", "pk"),
    "joined_on": ("joined_on", "pk"),
    "term_ends_on": ("term_ends_on", "pk"),
}
RESERVIST_SORTS = {
    "name": ("person__search_key", "pk"),
    "birth_date": ("person__birth_date", "pk"),
    "commune": ("unit__name", "person__search_key", "pk"),
    "category": ("category", "person__search_key", "pk"),
    "specialty": ("specialty_code", "pk"),
    "registered_on": ("registered_on", "pk"),
}


def force_types():
    """The kinds of militia force, in their order. One query."""
    return list(ForceType.objects.all())


def members_visible(*, user):
    return MilitiaMember.objects.visible_to(user).select_related(
        "person", "person__ethnicity", "person__home_unit", "unit", "force_type"
    )


def duty_records_visible(*, user):
    return MilitiaDutyRecord.objects.visible_to(user).select_related("person", "unit", "ground")


def reservists_visible(*, user):
    return Reservist.objects.visible_to(user).select_related(
        "person", "person__ethnicity", "person__home_unit", "unit", "post", "post__reserve_unit"
    )


def sorted_by(queryset, sort, sorts):
    key = (sort or "").lstrip("-")
    fields = sorts.get(key, sorts["name"])
    if sort and sort.startswith("-") and key in sorts:
        fields = ("-" + fields[0],) + fields[1:]
    return queryset.order_by(*fields)


def filter_person_age_band(queryset, band, *, on=None, field="person__birth_date"):
    if band not in AGE_BANDS:
        return queryset
    earliest, latest = birth_date_range_for_age(*AGE_BANDS[band], on=on or timezone.localdate())
    if earliest:
        queryset = queryset.filter(**{f"{field}__gte": earliest})
    if latest:
        queryset = queryset.filter(**{f"{field}__lte": latest})
    return queryset


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


# --- Figures per commune (the automatic sources of the reports) -----------------------------


def militia_summary_by_commune(*, user, year=None):
    """Per visible commune: active strength by force type, ratio to population, Party and trained shares,
    terms ending in the year. Four queries (communes, force types, strength by type, totals)."""
    today = timezone.localdate()
    year = year or today.year
    communes = list(communes_visible(user=user))
    force_types = list(ForceType.objects.all())
    active = MilitiaMember.objects.visible_to(user).filter(in_ranks_q(today))
    by_type = {
        (row["unit_id"], row["force_type_id"]): row["n"]
        for row in active.values("unit_id", "force_type_id").annotate(n=Count("pk"))
    }
    totals = {
        row["unit_id"]: row
        for row in active.values("unit_id").annotate(
            strength=Count("pk"),
            party=Count("pk", filter=Q(person__is_party_member=True)),
            trained=Count("pk", filter=Q(last_trained_year=year)),
            ending=Count("pk", filter=Q(term_ends_on__year=year)),
            core=Count("pk", filter=Q(is_core=True)),
        )
    }
    rows = []
    for commune in communes:
        t = totals.get(commune.pk, {})
        strength = t.get("strength", 0)
        rows.append(
            {
                "unit": commune,
                "strength": strength,
                "core": t.get("core", 0),
                "by_type": [by_type.get((commune.pk, ft.pk), 0) for ft in force_types],
                "ratio": _share(strength, commune.population),
                "party": t.get("party", 0),
                "party_share": _share(t.get("party", 0), strength),
                "trained": t.get("trained", 0),
                "trained_share": _share(t.get("trained", 0), strength),
                "ending": t.get("ending", 0),
            }
        )
    total = _total_row(rows, force_types)
    # Only the force types the units actually have get a column.
    used = [i for i, n in enumerate(total["by_type"]) if n]
    for row in rows + [total]:
        row["by_type"] = [row["by_type"][i] for i in used]
    return {"force_types": [force_types[i] for i in used], "rows": rows, "total": total, "year": year}


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _total_row(rows, force_types):
    strength = sum(r["strength"] for r in rows)
    population = sum(r["unit"].population or 0 for r in rows)
    party = sum(r["party"] for r in rows)
    trained = sum(r["trained"] for r in rows)
    return {
        "strength": strength,
        "core": sum(r["core"] for r in rows),
        "by_type": [sum(r["by_type"][i] for r in rows) for i in range(len(force_types))],
        "population": population,
        "ratio": _share(strength, population),
        "party": party,
        "party_share": _share(party, strength),
        "trained": trained,
        "trained_share": _share(trained, strength),
        "ending": sum(r["ending"] for r in rows),
    }


def reserve_placement_by_unit(*, user):
    """Per reserve unit of the user's districts: posts needed, and placed and matching among the reservists
    the user may see, the same reservists as `reserve_match_rate_by_category` counts (a commune officer
    sees the district's posts, filled by their commune's reservists). One query."""
    placed = Q(reservists__status=ReservistStatus.ACTIVE) & get_scope(user).q(
        f"reservists__{Reservist.scope_path_field}"
    )
    posts = (
        ReservePost.objects.visible_to(user)
        .select_related("reserve_unit", "reserve_unit__parent", "reserve_unit__district")
        .annotate(
            placed=Count("reservists", filter=placed),
            matching=Count("reservists", filter=placed & Q(reservists__specialty_matches=True)),
        )
        .order_by("reserve_unit__name", "title")
    )
    units = {}
    for post in posts:
        entry = units.setdefault(
            post.reserve_unit_id, {"unit": post.reserve_unit, "needed": 0, "placed": 0, "matching": 0, "posts": []}
        )
        entry["needed"] += post.required_count
        entry["placed"] += post.placed
        entry["matching"] += post.matching
        entry["posts"].append(post)
    result = list(units.values())
    for entry in result:
        entry["fill"] = _share(entry["placed"], entry["needed"])
        entry["match_rate"] = _share(entry["matching"], entry["placed"])
    return result


def reserve_match_rate_by_category(*, user):
    """Specialty-match rate (đúng CNQS) of placed reservists per category. One query."""
    rows = (
        Reservist.objects.visible_to(user)
        .placed()
        .values("category")
        .annotate(placed=Count("pk"), matching=Count("pk", filter=Q(specialty_matches=True)))
    )
    found = {row["category"]: row for row in rows}
    result = []
    for value, label in ReservistCategory.choices:
        row = found.get(value, {"placed": 0, "matching": 0})
        result.append(
            {
                "category": value,
                "label": label,
                "placed": row["placed"],
                "matching": row["matching"],
                "rate": _share(row["matching"], row["placed"]),
            }
        )
    return result


def reserve_summary_by_commune(*, user, on=None):
    """Per visible commune: the reservists of `on` (today) by category, placed and matching that day. Three
    queries (communes, age limits, counts)."""
    on = on or timezone.localdate()
    communes = list(communes_visible(user=user))
    rows = {
        row["unit_id"]: row
        for row in reservists_on(on, user=user)
        .order_by()
        .values("unit_id")
        .annotate(
            total=Count("pk"),
            officers=Count("pk", filter=Q(category=ReservistCategory.OFFICER)),
            qncn=Count("pk", filter=Q(category=ReservistCategory.QNCN)),
            hsq_bs=Count("pk", filter=Q(category=ReservistCategory.HSQ_BS)),
            placed=Count("pk", filter=placed_on_q(on)),
            matching=Count("pk", filter=placed_matching_on_q(on)),
        )
    }
    result = []
    for commune in communes:
        row = rows.get(commune.pk, {})
        placed = row.get("placed", 0)
        result.append(
            {
                "unit": commune,
                "total": row.get("total", 0),
                "officers": row.get("officers", 0),
                "qncn": row.get("qncn", 0),
                "hsq_bs": row.get("hsq_bs", 0),
                "placed": placed,
                "matching": row.get("matching", 0),
                "match_rate": _share(row.get("matching", 0), placed),
            }
        )
    return result


# --- Alerts on the roster home -------------------------------------------------------------

# Oldest first, through an expression on purpose: ordered by the bare column with a LIMIT, PostgreSQL
# walks the whole people index by birth date looking for the few roster rows (200 ms at 100,000 people)
# instead of starting from the small roster.
_OLDEST_FIRST = Coalesce("person__birth_date", Value(datetime.date(1900, 1, 1)))


def alerts(*, user, limit=10, today=None):
    """Terms ending in the next 3 months, members due to leave for age (already past the limit of Law 48/2019
    art. 8.1, or reaching it by the end of the year), reservists over age still active. Seven queries (the
    reserve age limits, then a count and the first rows of each)."""
    today = today or timezone.localdate()
    members = members_visible(user=user).active()
    ending = members.filter(_ending_q(today)).order_by("term_ends_on", "pk")
    due = members.filter(due_to_leave_q(today.year)).order_by(_OLDEST_FIRST, "pk")
    over_age = (
        reservists_visible(user=user).filter(reservists_over_age_q(today, limits=reserve_age_limits()))
    ).order_by(_OLDEST_FIRST, "pk")
    return [
        {"key": "ending", "count": ending.count(), "items": list(ending[:limit])},
        {"key": "reaching", "count": due.count(), "items": list(due[:limit]), "today": today},
        {"key": "over_age", "count": over_age.count(), "items": list(over_age[:limit])},
    ]


def _ending_q(today):
    return Q(term_ends_on__gte=today, term_ends_on__lte=add_months(today, 3))


ALERTS = ("ending", "reaching", "over_age")


def alerts_by_unit(*, unit_ids, today, limits=None, limit=5):
    """The alerts of `alerts()` per unit, as of `today`, for the dashboard's summary table: per unit and alert,
    the count and the order keys of the first `limit` rows ({"count": n, "first": [[key, pk], ...]}). Three
    queries (four without `limits`)."""
    limits = reserve_age_limits() if limits is None else limits
    members = MilitiaMember.objects.filter(unit_id__in=unit_ids).active().order_by()
    sources = {
        "ending": members.filter(_ending_q(today)).values_list("unit_id", "term_ends_on", "pk"),
        "reaching": members.filter(due_to_leave_q(today.year))
        .annotate(order=_OLDEST_FIRST)
        .values_list("unit_id", "order", "pk"),
        "over_age": Reservist.objects.filter(unit_id__in=unit_ids)
        .filter(reservists_over_age_q(today, limits=limits))
        .order_by()
        .annotate(order=_OLDEST_FIRST)
        .values_list("unit_id", "order", "pk"),
    }
    result = {}
    for key, rows in sources.items():
        for unit_id, order, pk in rows:
            entry = result.setdefault(unit_id, {}).setdefault(key, {"count": 0, "first": []})
            entry["count"] += 1
            entry["first"].append([order.isoformat(), pk])
    for by_alert in result.values():
        for entry in by_alert.values():
            entry["first"] = sorted(entry["first"])[:limit]
    return result


def alerts_merged(*, per_unit, today, limit=5):
    """`alerts()` from the per-unit alerts of `alerts_by_unit` (the units a user reads): the counts added up and
    the first `limit` rows of all, read in two queries at most."""
    merged = {key: {"count": 0, "first": []} for key in ALERTS}
    for by_alert in per_unit:
        for key, entry in by_alert.items():
            merged[key]["count"] += entry["count"]
            merged[key]["first"] += entry["first"]
    for entry in merged.values():
        entry["first"] = [pk for _order, pk in sorted(entry["first"])[:limit]]
    member_ids = merged["ending"]["first"] + merged["reaching"]["first"]
    members = MilitiaMember.objects.select_related("person", "unit").in_bulk(member_ids) if member_ids else {}
    over_age = merged["over_age"]["first"]
    reservists = Reservist.objects.select_related("person", "unit").in_bulk(over_age) if over_age else {}

    def items(key, rows):
        return [rows[pk] for pk in merged[key]["first"] if pk in rows]

    return [
        {"key": "ending", "count": merged["ending"]["count"], "items": items("ending", members)},
        {"key": "reaching", "count": merged["reaching"]["count"], "items": items("reaching", members), "today": today},
        {"key": "over_age", "count": merged["over_age"]["count"], "items": items("over_age", reservists)},
    ]


def due_to_leave_q(year):
    """Members whose last day of duty (Law 48/2019 art. 8.1) falls in `year` or has already passed."""
    return rules.militia_over_age_q(datetime.date(year + 1, 1, 1))


def on_roster_q(on):
    """On the militia roster on `on`: joined by then and not yet left, whatever the age (a member who left
    without an exit date counts as gone)."""
    return Q(joined_on__lte=on) & (Q(exit_date__gt=on) | Q(exit_date__isnull=True, status=MemberStatus.ACTIVE))


def over_age_on_q(on):
    """On the roster on `on` but past the age of militia duty that day (Law 48/2019 art. 8.1): due to leave,
    not counted in the strength."""
    return on_roster_q(on) & rules.militia_over_age_q(on)


def in_ranks_q(on):
    """Militia strength on `on`: on the roster that day and within the age of duty (Law 48/2019 art. 8.1)."""
    return on_roster_q(on) & ~rules.militia_over_age_q(on)


def reservists_registered_q(on):
    """On the reserve roster on `on`: registered by then and not yet off the roster, whatever the age."""
    return Q(registered_on__lte=on) & (Q(status=ReservistStatus.ACTIVE) | Q(left_on__gt=on))


def reservists_on_q(on, *, limits):
    """The reservists of `on`: on the reserve roster that day and within the age of service (Military Service
    Law 2015 art. 37; the officers' and professional soldiers' limits by rank, `limits`)."""
    return reservists_registered_q(on) & ~rules.reservist_over_age_q(on, limits=limits)


def reservists_over_age_q(on, *, limits):
    """On the reserve roster on `on` but past the age of service that day: due to leave the roster."""
    return reservists_registered_q(on) & rules.reservist_over_age_q(on, limits=limits)


def reserve_age_limits():
    """The age limits of reserve service by category, rank and sex, as rows for the rules. One query."""
    return ReserveAgeLimit.objects.rows()


def reservists_on(on, *, user=None, limits=None):
    """The reservists of `on` (`reservists_on_q`), those the user may see when a user is given."""
    limits = reserve_age_limits() if limits is None else limits
    queryset = Reservist.objects.visible_to(user) if user is not None else Reservist.objects.all()
    return queryset.filter(reservists_on_q(on, limits=limits))


def placed_on_q(on):
    """Placed in a reserve post on `on`, by the placement history: a reservist moved or taken off the roster
    since still counts as placed where they stood that day."""
    return Q(Exists(ReservePlacement.objects.filter(ReservePlacement.objects.on_q(on), reservist=OuterRef("pk"))))


def placed_matching_on_q(on):
    """Placed on `on` in a reserve post whose specialty (CNQS) the reservist's matched."""
    held = ReservePlacement.objects.filter(ReservePlacement.objects.on_q(on), reservist=OuterRef("pk"))
    return Q(Exists(held.filter(specialty_matches=True)))


def militia_strength(*, user, on=None):
    """The militia strength of the user's units on `on` (today): the headline figure."""
    return MilitiaMember.objects.visible_to(user).filter(in_ranks_q(on or timezone.localdate())).count()


# --- Automatic figures of the reports (units/figures.py): one unit's subtree, a few queries each ---------


def _population(unit, on):
    """The unit's population, or the sum of its communes' on `on` when the unit itself has none (the communes
    in force that day, where they stood that day)."""
    if unit.population:
        return unit.population
    communes = Unit.objects.filter(subtree_on_q(unit, on, "path"), kind__is_commune_level=True).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    total = communes.aggregate(n=Coalesce(Sum("population"), Value(0)))["n"]
    return total or None


def _members_on(unit, on):
    """The members in the ranks on `on` of the units below `unit` that day (a unit moved since counts where
    it stood)."""
    return MilitiaMember.objects.filter(in_ranks_q(on)).filter(subtree_on_q(unit, on))


def _reservists_on(unit, on):
    return reservists_on(on).filter(subtree_on_q(unit, on))


def _percent(part, whole):
    return Decimal(100 * part) / Decimal(whole) if whole else None


# Each figure counts the records as they stood on `on`, the period's last day (see units/figures.py).


@figure("militia.active", _("Militia roster: strength at the period's end"))
def figure_militia_active(*, unit, on):
    return _members_on(unit, on).count()


@figure("militia.core", _("Militia roster: core-force strength at the period's end"))
def figure_militia_core(*, unit, on):
    return _members_on(unit, on).filter(is_core=True).count()


def _by_force_type(code):
    def count(*, unit, on):
        return _members_on(unit, on).filter(force_type__code=code).count()

    return count


for _code, _label in (
    ("thuong_truc", _("Militia roster: standing militia at the period's end")),
    ("co_dong", _("Militia roster: mobile militia at the period's end")),
    ("tai_cho", _("Militia roster: local militia at the period's end")),
):
    figure(f"militia.active.{_code}", _label)(_by_force_type(_code))


@figure("militia.ratio", _("Militia roster: strength per population at the period's end (%)"))
def figure_militia_ratio(*, unit, on):
    population = _population(unit, on)
    return _percent(_members_on(unit, on).count(), population)


@figure("militia.party_share", _("Militia roster: Party members in the strength at the period's end (%)"))
def figure_militia_party_share(*, unit, on):
    counts = _members_on(unit, on).aggregate(n=Count("pk"), party=Count("pk", filter=Q(person__is_party_member=True)))
    return _percent(counts["party"], counts["n"])


@figure("militia.trained_share", _("Militia roster: strength trained in the year (%)"))
def figure_militia_trained_share(*, unit, on):
    counts = _members_on(unit, on).aggregate(n=Count("pk"), trained=Count("pk", filter=Q(last_trained_year=on.year)))
    return _percent(counts["trained"], counts["n"])


@figure("militia.terms_ending", _("Militia roster: members whose term ends in the year"))
def figure_militia_terms_ending(*, unit, on):
    """Members in the ranks on the year's first day whose term ends during the year (by `on`'s year)."""
    first = datetime.date(on.year, 1, 1)
    return _members_on(unit, first).filter(term_ends_on__year=on.year).count()


@figure("militia.due_to_leave", _("Militia roster: members reaching the age limit in the year"))
def figure_militia_due_to_leave(*, unit, on):
    """Members in the ranks on the year's first day whose last day of duty (Law 48/2019 art. 8.1) falls in
    the year."""
    first = datetime.date(on.year, 1, 1)
    return _members_on(unit, first).filter(due_to_leave_q(on.year)).count()


@figure("reserve.total", _("Reserve roster: reservists at the period's end"))
def figure_reserve_total(*, unit, on):
    return _reservists_on(unit, on).count()


@figure("reserve.placed", _("Reserve roster: reservists placed in a reserve unit at the period's end"))
def figure_reserve_placed(*, unit, on):
    return _reservists_on(unit, on).filter(placed_on_q(on)).count()


@figure("reserve.placed_share", _("Reserve roster: share of reservists placed at the period's end (%)"))
def figure_reserve_placed_share(*, unit, on):
    counts = _reservists_on(unit, on).aggregate(n=Count("pk"), placed=Count("pk", filter=placed_on_q(on)))
    return _percent(counts["placed"], counts["n"])


@figure("reserve.match_rate", _("Reserve roster: placed in a matching specialty at the period's end (%)"))
def figure_reserve_match_rate(*, unit, on):
    counts = _reservists_on(unit, on).aggregate(
        placed=Count("pk", filter=placed_on_q(on)), match=Count("pk", filter=placed_matching_on_q(on))
    )
    return _percent(counts["match"], counts["placed"])


@figure("reserve.party_share", _("Reserve roster: Party members among reservists at the period's end (%)"))
def figure_reserve_party_share(*, unit, on):
    counts = _reservists_on(unit, on).aggregate(
        n=Count("pk"), party=Count("pk", filter=Q(person__is_party_member=True))
    )
    return _percent(counts["party"], counts["n"])


__all__ = [
    "MemberStatus",
    "add_months",
    "alerts",
    "due_to_leave_q",
    "in_ranks_q",
    "on_roster_q",
    "over_age_on_q",
    "placed_matching_on_q",
    "placed_on_q",
    "reserve_age_limits",
    "reservists_on",
    "reservists_on_q",
    "reservists_over_age_q",
    "reservists_registered_q",
    "filter_person_age_band",
    "members_visible",
    "militia_strength",
    "militia_summary_by_commune",
    "reserve_match_rate_by_category",
    "reserve_placement_by_unit",
    "reserve_summary_by_commune",
    "reservists_visible",
    "sorted_by",
]


# --- Per unit and year, for the dashboard's summary table (dashboard.summary) ------------------------------------


def yearly_figures_by_unit(*, unit_ids, days, limits=None):
    """For the units `unit_ids` and each year of `days` ({year: the day its figures are taken}): the militia
    strength on the day (Law 48/2019 art. 8.1), Party members among them, members trained in the year and the
    strength by force type; the reservists of the day (Military Service Law 2015 art. 37), those placed in a
    reserve post that day and those placed in a matching specialty. Two queries (three without `limits`),
    whatever the number of units and years: {(unit id, year): {figure: value}}."""
    result = {}
    if not days or not unit_ids:
        return result
    # The strength of each day, counted once per year in SQL per unit, force type, Party membership and year
    # last trained; the Party members, the trained and the strength by force type are sums of those groups.
    groups = (
        MilitiaMember.objects.filter(unit_id__in=unit_ids)
        .order_by()
        .values("unit_id", "force_type_id", "person__is_party_member", "last_trained_year")
        .annotate(**{f"n_{year}": Count("pk", filter=in_ranks_q(day)) for year, day in days.items()})
    )
    for row in groups:
        for year in days:
            n = row[f"n_{year}"]
            if not n:
                continue
            figures = result.setdefault((row["unit_id"], year), {})
            figures["strength"] = figures.get("strength", 0) + n
            figures["party"] = figures.get("party", 0) + (n if row["person__is_party_member"] else 0)
            figures["trained"] = figures.get("trained", 0) + (n if row["last_trained_year"] == year else 0)
            by_type = figures.setdefault("by_force_type", {})
            by_type[str(row["force_type_id"])] = by_type.get(str(row["force_type_id"]), 0) + n
    # The reserve: counted per reservist's category, rank, sex and birth date in SQL (on the roster, placed,
    # placed in a matching specialty, each year's day), the age of service applied to each group in Python by
    # the rule itself (rules.reservist_is_over_age): the same figures as `reservists_on_q`, without repeating
    # its filter of every category and rank for every year and count.
    limits = reserve_age_limits() if limits is None else limits
    aggregates = {}
    for year, day in days.items():
        registered = reservists_registered_q(day)
        aggregates[f"total_{year}"] = Count("pk", filter=registered)
        aggregates[f"placed_{year}"] = Count("pk", filter=registered & placed_on_q(day))
        aggregates[f"matching_{year}"] = Count("pk", filter=registered & placed_matching_on_q(day))
    reservists = Reservist.objects.filter(unit_id__in=unit_ids).order_by()
    groups = reservists.values("unit_id", "category", "rank", "person__sex", "person__birth_date")
    for row in groups.annotate(**aggregates):
        for year, day in days.items():
            figures = result.setdefault((row["unit_id"], year), {})
            over_age = row["person__birth_date"] is not None and rules.reservist_is_over_age(
                birth_date=row["person__birth_date"],
                sex=row["person__sex"],
                category=row["category"],
                rank=row["rank"],
                on=day,
                limits=limits,
            )
            for key, name in (("total", "reservists"), ("placed", "placed"), ("matching", "matching")):
                figures[name] = figures.get(name, 0) + (0 if over_age else row[f"{key}_{year}"])
    return result
