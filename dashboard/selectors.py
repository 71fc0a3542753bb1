"""The commander dashboard: a user's units on one screen for a year, last year's values and a five-year trend.

Reads the rosters and recruitment only through their selectors. Every figure costs a fixed number of queries,
whatever the number of people: the history of the militia and the reserve is one query each, with a
conditional aggregate per year, never a query per year or per commune.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from militia import selectors as militia
from people.selectors import people_summary_by_commune
from recruitment import selectors as recruitment
from reports.models import Period, PeriodKind, Report, ReportStatus, Target, TargetIndicator
from reports.selectors import units_expected
from units import figures as states
from units.figures import Preparation, figure_state
from units.freshness import remember, scope_units, user_key
from units.scoping import get_scope
from units.selectors import communes_visible, unit_ids_visible

from . import summary
from .summary import year_end

TREND_YEARS = 5
# The quota is the target of the hand-over rate unless an admin sets another.
DEFAULT_TARGETS = {TargetIndicator.HANDOVER_RATE: Decimal(100)}

COMMUNE_SORTS = {
    "name": lambda r: r["unit"].name,
    "handover_rate": lambda r: r["handover"]["rate"],
    "militia_strength": lambda r: r["militia"]["strength"],
    "militia_ratio": lambda r: r["militia"]["ratio"],
    "party_share": lambda r: r["militia"]["party_share"],
    "trained_share": lambda r: r["militia"]["trained_share"],
    "reserve_placed": lambda r: r["reserve"]["placed"],
    "reserve_match_rate": lambda r: r["reserve"]["match_rate"],
}


def share(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _link(name, params=None, *args):
    url = reverse(name, args=args)
    params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


# --- The figures of the years, from the summary table (dashboard.summary) ------------------------------------


class YearFigures:
    """The kept figures of the user's units (commune level, ended ones included: a commune merged into one of
    the user's counts in the years before the merger, so that the trend runs on across it) for `years`, and the
    call-ups of those years the user sees. Three queries when the rows are kept: the units, the rows and the
    campaigns."""

    def __init__(self, *, user, years, today):
        self.today = today
        self.unit_ids = list(unit_ids_visible(user=user))
        self.rows = summary.figures(unit_ids=self.unit_ids, years=years, today=today)
        self.campaigns = {}
        visible = recruitment.campaigns_visible(user=user).filter(year__in=list(years))
        for campaign in visible.order_by("district__name"):
            self.campaigns.setdefault(campaign.year, []).append(campaign)

    def members(self, years):
        """{unit id: {"strength_<year>", "party_<year>", "trained_<year>"}} (the shape of the commune rows)."""
        return {
            unit_id: {
                f"{name}_{year}": getattr(self.rows[(unit_id, year)], name)
                for year in years
                for name in ("strength", "party", "trained")
            }
            for unit_id in self.unit_ids
        }

    def reserve(self, years):
        """{unit id: {"total_<year>", "placed_<year>", "matching_<year>"}}."""
        return {
            unit_id: {
                f"{key}_{year}": getattr(self.rows[(unit_id, year)], name)
                for year in years
                for key, name in (("total", "reservists"), ("placed", "placed"), ("matching", "matching"))
            }
            for unit_id in self.unit_ids
        }

    def alerts(self, limit=5):
        """Today's alerts of the user's units (`militia.alerts`), from the running year's rows."""
        year = self.today.year
        per_unit = [self.rows[(unit_id, year)].alerts for unit_id in self.unit_ids]
        return militia.alerts_merged(per_unit=per_unit, today=self.today, limit=limit)

    def by_force_type(self, year):
        """{force type id: strength} of the user's units on the year's day."""
        counts = {}
        for unit_id in self.unit_ids:
            for force_type, n in self.rows[(unit_id, year)].by_force_type.items():
                counts[int(force_type)] = counts.get(int(force_type), 0) + n
        return counts

    def recruitment(self, year):
        """The call-up handed over in `year` as it stood on the year's day: the shape of
        `recruitment.recruitment_figures` (rows per commune with a quota, the total, the campaigns)."""
        on = year_end(year, self.today)
        campaigns = self.campaigns.get(year, [])
        by_pk = {c.pk: c for c in campaigns}
        rows = []
        for unit_id in self.unit_ids:
            row = self.rows[(unit_id, year)]
            if not row.has_quota:
                continue
            campaign = by_pk.get(row.campaign_id)
            rows.append(
                {
                    "unit_id": unit_id,
                    "campaign": campaign,
                    "quota": row.quota,
                    "registered": row.registered,
                    "examined": row.examined,
                    "approved": row.approved,
                    "handed_over": row.handed_over,
                    "rate": share(row.handed_over, row.quota),
                    "approved_rate": share(row.approved, row.quota),
                    "handed_over_on": campaign.is_handed_over_on(on) if campaign else True,
                    "days_to_handover": campaign.days_to_handover(on) if campaign else None,
                }
            )
        quota = sum(r["quota"] for r in rows)
        total = {
            "quota": quota,
            "district_quota": sum(c.district_quota for c in campaigns),
            **{key: sum(r[key] for r in rows) for key in ("registered", "examined", "approved", "handed_over")},
        }
        total["rate"] = share(total["handed_over"], quota)
        total["approved_rate"] = share(total["approved"], quota)
        # The year's call-up is over once every campaign of it has reached its hand-over day.
        total["handed_over_on"] = bool(campaigns) and all(c.is_handed_over_on(on) for c in campaigns)
        total["days_to_handover"] = min((c.days_to_handover(on) for c in campaigns), default=None)
        return {"year": year, "on": on, "rows": rows, "total": total, "campaigns": campaigns}


def roster_params(day, standing):
    """The filters of a roster list that shows who a figure of `day` counts: the standing on that day."""
    return {"standing": standing, "on": day.strftime("%d/%m/%Y")}


# --- Targets ------------------------------------------------------------------------------


class Targets:
    """The year's targets; a unit without its own takes the nearest ancestor's. One query."""

    def __init__(self, *, year):
        self.by_path = {}
        for target in Target.objects.filter(year=year).select_related("unit").order_by():
            self.by_path.setdefault(target.indicator, []).append((target.unit.path, target.value))
        for entries in self.by_path.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)

    def for_path(self, indicator, path):
        for prefix, value in self.by_path.get(indicator, ()):
            if path and path.startswith(prefix):
                return value
        return DEFAULT_TARGETS.get(indicator)


def _cell(value, indicator, path, targets, url, *, preparation=None):
    target = targets.for_path(indicator, path) if indicator else None
    return {
        "value": value,
        "target": target,
        "status": figure_state(value, target, preparation=preparation),
        "url": url,
        "preparation": preparation,
    }


def _preparation(figures):
    """The progress of a call-up whose hand-over has not come on the day its figures were taken, else None
    (its hand-over rate is then final)."""
    if not figures.get("quota") or figures.get("handed_over_on", True):
        return None
    return Preparation(
        approved=figures["approved"], quota=figures["quota"], days_to_handover=figures["days_to_handover"]
    )


# --- The dashboard ---------------------------------------------------------------------------


def dashboard(*, user, year=None, sort="", today=None, period=None):
    """Everything the commander dashboard shows for the user's units and the year (and the reporting
    period asked for by id, else the year's annual period)."""
    today = today or timezone.localdate()
    year = year or today.year
    years = list(range(year - TREND_YEARS + 1, year + 1))
    scope = get_scope(user)
    communes = list(communes_visible(user=user))
    # A commune officer's links carry their commune even on the total row: never a list wider than theirs.
    only = communes[0] if len(communes) == 1 else None
    targets = Targets(year=year)
    top_path = scope.primary.unit.path if scope.primary else ""

    live = year == today.year
    # The call-ups being prepared today for a later year (the 2027 call-up in December 2026).
    later = sorted({c.year for c in recruitment.campaigns_in_preparation(user=user, on=today) if c.year > year})
    # The running year's rows carry today's alerts, whatever the year shown.
    kept = YearFigures(user=user, years=sorted({*years, *(later if live else []), today.year}), today=today)
    # The call-up handed over in each year, as it stood at the year's end (today for the running year).
    recruitment_years = {y: kept.recruitment(y) for y in years}
    campaigns = recruitment_years[year]["campaigns"]
    funnel = _funnel([recruitment.campaigns_funnel(campaigns=campaigns, user=user)] if campaigns else [])
    members = kept.members(years)
    reserve = kept.reserve(years)
    alerts = kept.alerts()

    day = year_end(year, today)
    rows = _commune_rows(communes, year, day, recruitment_years[year]["rows"], members, reserve, targets, only)
    totals = {y: _totals(y, communes, recruitment_years[y]["total"], members, reserve) for y in years}
    campaign = campaigns[0] if len(campaigns) == 1 else None
    headline = _headline(totals[year], totals[year - 1], targets, top_path, campaign, only, day)
    reporting = reports_kept(user=user, year=year, today=today, period=period)
    headline.append(reporting["tile"])
    # The panel lists exactly the communes whose hand-over cell is at risk.
    at_risk = [row for row in rows if row["handover"]["cell"]["status"] == states.AT_RISK]
    upcoming = _upcoming(kept, later) if live else []
    key = (sort or "").lstrip("-")
    if key in COMMUNE_SORTS:
        rows = _sorted(rows, COMMUNE_SORTS[key], descending=sort.startswith("-"))

    trend = _trend(years, totals)
    strength_by_type = kept.by_force_type(year)
    force_types = [
        {"label": str(ft), "count": strength_by_type[ft.pk]}
        for ft in militia.force_types()
        if strength_by_type.get(ft.pk)
    ]
    return {
        "year": year,
        "years": list(range(today.year - 9, today.year + 1))[::-1],
        "live": live,
        "today": today,
        "headline": headline,
        "rows": rows,
        "total": _total_row(totals[year], targets, top_path, campaign, only, day),
        "sort": sort if key in COMMUNE_SORTS else "",
        "year_query": f"year={year}" + (f"&period={reporting['period'].pk}" if reporting["selected"] else ""),
        "reporting": reporting,
        "campaigns": campaigns,
        "upcoming": upcoming,
        "funnel": funnel,
        "force_types": force_types,
        "trend": trend,
        "attention": {
            "at_risk": at_risk,
            "alerts": {a["key"]: a for a in alerts},
            "only": only,
            "reports": reporting["attention"],
        },
        "chart_data": _chart_data(rows, funnel, force_types, trend),
    }


# --- Reports: approved for the period, and what waits ---------------------------------------------------


def _parse_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def choose_period(periods, *, year, today, period_id=None):
    """The period the dashboard speaks of: the one asked for, else the year's annual period, else (for the
    running year) the latest opened annual period. `periods` are the opened ones, newest first."""
    asked = _parse_id(period_id)
    if asked is not None:
        for p in periods:
            if p.pk == asked:
                return p, True
    for p in periods:
        if p.kind == PeriodKind.YEAR and p.year == year:
            return p, False
    if year == today.year:
        return next((p for p in periods if p.kind == PeriodKind.YEAR), None), False
    return None, False


def _period_figures(period, scope_q):
    """Expected units and approved reports of the user's units for the period: one query (a unit has at
    most one report per period, so the joined count is the number of approved reports)."""
    if period is None:
        return None
    return (
        units_expected(period)
        .filter(scope_q)
        .order_by()
        .aggregate(
            expected=Count("pk", distinct=True),
            approved=Count("reports", filter=Q(reports__period_id=period.pk, reports__status=ReportStatus.APPROVED)),
        )
    )


def reports_kept(*, user, year, today, period=None):
    """`reports_figures`, kept until the reports or the units of the user's units change, or the user's roles:
    a write of the registry, the rosters or the call-ups (the dashboard's figures) does not count the reports
    again."""
    return remember(
        user_key("dashboard-reports", user, year, today, period),
        lambda: reports_figures(user=user, year=year, today=today, period=period),
        units=scope_units(get_scope(user)),
        users=[user],
        reads={"reports", "units"},
    )


def reports_figures(*, user, year, today, period=None):
    """The headline tile of reports approved for the period (with the same period a year before), and the
    counts of overdue reports, of reports waiting for the user's approval and of reports returned to the
    user. Four queries at most, whatever the number of reports."""
    scope = get_scope(user)
    periods = [
        p
        for p in _opened_periods()
        if p.year >= today.year - 9  # the years the selector offers
    ]
    chosen, selected = choose_period(periods, year=year, today=today, period_id=period)
    previous = None
    if chosen is not None:
        previous = next(
            (p for p in periods if (p.kind, p.year, p.number) == (chosen.kind, chosen.year - 1, chosen.number)), None
        )
    now, before = _period_figures(chosen, scope.q("path")), _period_figures(previous, scope.q("path"))
    rate = share(now["approved"], now["expected"]) if now else None
    previous_rate = share(before["approved"], before["expected"]) if before else None
    can_review = user.has_perm("reports.approve_report")
    can_file = user.has_perm("reports.change_report")
    waiting = Q(status=ReportStatus.SUBMITTED) & ~Q(submitted_by=user) if can_review else Q(pk__in=[])
    returned = Q(status=ReportStatus.RETURNED) & scope.q("unit__path", write=True) if can_file else Q(pk__in=[])
    counts = Report.objects.visible_to(user).aggregate(
        overdue=Count(
            "pk",
            filter=Q(status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED), period__due_date__lt=today),
        ),
        waiting=Count("pk", filter=waiting),
        returned=Count("pk", filter=returned),
    )
    if chosen is None:
        detail = _("No reporting period opened yet")
        url = reverse("reports:index")
    else:
        detail = ngettext(
            "%(approved)s of %(expected)s report approved · %(period)s",
            "%(approved)s of %(expected)s reports approved · %(period)s",
            now["expected"],
        ) % {
            "approved": _number(now["approved"]),
            "expected": _number(now["expected"]),
            "period": chosen.label,
        }
        url = reverse("reports:period_detail", args=[chosen.pk])
    inbox = reverse("reports:inbox")
    return {
        "period": chosen,
        "selected": selected,
        "periods": periods,
        "tile": {
            "key": "reports_approved",
            "label": _("Reports approved for the period"),
            "value": rate,
            "previous": previous_rate,
            "change": _change(rate, previous_rate),
            "kind": "percent",
            "detail": detail,
            "url": url,
            "target": None,
            "status": "none",
            "approved": now["approved"] if now else None,
            "expected": now["expected"] if now else None,
        },
        "attention": {
            "overdue": counts["overdue"],
            "overdue_url": f"{inbox}#overdue",
            "waiting": counts["waiting"] if can_review else None,
            "waiting_url": f"{inbox}#waiting",
            "returned": counts["returned"] if can_file else None,
            "returned_url": f"{inbox}#returned",
            "period_url": url if chosen is not None else None,
        },
    }


def _opened_periods():
    return list(Period.objects.filter(opened_at__isnull=False).order_by("-year", "kind", "-number"))


def _funnel(funnels):
    stages = {}
    for funnel in funnels:
        for row in funnel["funnel"]:
            entry = stages.setdefault(row["stage"], {"stage": row["stage"], "label": str(row["label"]), "count": 0})
            entry["count"] += row["count"]
    result = list(stages.values())
    top = result[0]["count"] if result else 0
    for row in result:
        row["share"] = share(row["count"], top)
    return result


def _commune_rows(communes, year, day, recruitment_rows, members, reserve, targets, only):
    """The commune table; each cell links to the roster list of the people it counts on `day`."""
    by_commune = {row["unit_id"]: row for row in recruitment_rows}
    strength_params, reserve_params = roster_params(day, "strength"), roster_params(day, "roster")
    rows = []
    for commune in communes:
        params = {"commune": commune.pk}
        members_params, reservists_params = {**params, **strength_params}, {**params, **reserve_params}
        rec = by_commune.get(commune.pk)
        campaign = rec["campaign"] if rec else None
        m = members.get(commune.pk, {})
        r = reserve.get(commune.pk, {})
        strength = m.get(f"strength_{year}", 0)
        party = m.get(f"party_{year}", 0)
        trained = m.get(f"trained_{year}", 0)
        placed = r.get(f"placed_{year}", 0)
        matching = r.get(f"matching_{year}", 0)
        path = commune.path
        members_url = _link("militia:member_list", members_params)
        reservists_url = _link("militia:reservist_list", reservists_params)
        candidates = (
            (lambda stage, c=campaign, p=params: _link("recruitment:candidate_list", {**p, "stage": stage}, c.pk))
            if campaign
            else None
        )
        rows.append(
            {
                "unit": commune,
                "handover": _handover(rec, path, targets, candidates),
                "militia": {
                    "strength": strength,
                    "strength_url": members_url,
                    "ratio": share(strength, commune.population),
                    "ratio_cell": _cell(
                        share(strength, commune.population), TargetIndicator.MILITIA_RATIO, path, targets, members_url
                    ),
                    "party": party,
                    "party_share": share(party, strength),
                    "party_cell": _cell(
                        share(party, strength),
                        TargetIndicator.MILITIA_PARTY_SHARE,
                        path,
                        targets,
                        _link("militia:member_list", {**members_params, "party": "1"}),
                    ),
                    "trained": trained,
                    "trained_share": share(trained, strength),
                    "trained_cell": _cell(
                        share(trained, strength),
                        TargetIndicator.MILITIA_TRAINED_SHARE,
                        path,
                        targets,
                        _link("militia:member_list", {**members_params, "not_trained": "on"}),
                    ),
                },
                "reserve": {
                    "total": r.get(f"total_{year}", 0),
                    "placed": placed,
                    "placed_cell": _cell(
                        share(placed, r.get(f"total_{year}", 0)),
                        TargetIndicator.RESERVE_PLACED_SHARE,
                        path,
                        targets,
                        _link("militia:reservist_list", {**reservists_params, "placed": "1"}),
                    ),
                    "matching": matching,
                    "match_rate": share(matching, placed),
                    "match_cell": _cell(
                        share(matching, placed),
                        TargetIndicator.RESERVE_MATCH_RATE,
                        path,
                        targets,
                        _link("militia:reservist_list", {**reservists_params, "mismatch": "on"}),
                    ),
                    "url": reservists_url,
                },
            }
        )
    return rows


def _handover(rec, path, targets, candidates):
    """A commune's call-up of the year: its figures and the cell the table, the panel and the chart share."""
    rec = rec or {}
    preparation = _preparation(rec)
    rate = rec.get("rate") if preparation is None else None
    return {
        "quota": rec.get("quota", 0),
        "registered": rec.get("registered", 0),
        "examined": rec.get("examined", 0),
        "approved": rec.get("approved", 0),
        "handed_over": rec.get("handed_over", 0),
        "rate": rate,
        "approved_rate": rec.get("approved_rate"),
        "days_to_handover": rec.get("days_to_handover"),
        "cell": _cell(
            rate,
            TargetIndicator.HANDOVER_RATE,
            path,
            targets,
            candidates("handed_over") if candidates else None,
            preparation=preparation,
        ),
        "approved_url": candidates("approved") if candidates else None,
    }


def _sorted(rows, key, *, descending):
    """Sort by a figure; communes without the figure stay last in both directions."""
    known = [r for r in rows if key(r) is not None]
    unknown = [r for r in rows if key(r) is None]
    return sorted(known, key=key, reverse=descending) + unknown


def _totals(year, communes, recruitment_total, members, reserve):
    # Every commune of the scope that has rows, ended ones included: a commune merged into one of the user's
    # counts in the years before the merger, so that the trend runs on across it.
    def add(source, name):
        return sum(row.get(f"{name}_{year}", 0) for row in source.values())

    strength = add(members, "strength")
    population = sum(c.population or 0 for c in communes)
    party, trained = add(members, "party"), add(members, "trained")
    total, placed, matching = add(reserve, "total"), add(reserve, "placed"), add(reserve, "matching")
    preparation = _preparation(recruitment_total)
    return {
        "year": year,
        "quota": recruitment_total["quota"],
        "registered": recruitment_total["registered"],
        "examined": recruitment_total["examined"],
        "handed_over": recruitment_total["handed_over"],
        "approved": recruitment_total["approved"],
        "approved_rate": recruitment_total["approved_rate"],
        "days_to_handover": recruitment_total["days_to_handover"],
        "preparation": preparation,
        # A call-up still in preparation has no hand-over rate yet: never a 0 % that compares with a finished one.
        "handover_rate": recruitment_total["rate"] if preparation is None else None,
        "strength": strength,
        "population": population,
        "militia_ratio": share(strength, population),
        "party": party,
        "party_share": share(party, strength),
        "trained": trained,
        "trained_share": share(trained, strength),
        "reservists": total,
        "placed": placed,
        "placed_share": share(placed, total),
        "matching": matching,
        "match_rate": share(matching, placed),
    }


def _change(now, before):
    if now is None or before is None:
        return None
    return round(now - before, 1)


def _headline(now, before, targets, path, campaign, only, day):
    params = {"commune": only.pk if only else None}
    members_params = {**params, **roster_params(day, "strength")}
    reservists_params = {**params, **roster_params(day, "roster")}
    candidates = (
        _link("recruitment:candidate_list", {**params, "stage": "handed_over"}, campaign.pk)
        if campaign
        else _link("recruitment:index")
    )

    def tile(
        key, label, value, previous, *, kind, indicator=None, detail="", url=None, status_value=None, preparation=None
    ):
        target = targets.for_path(indicator, path) if indicator else None
        return {
            "key": key,
            "label": label,
            "value": value,
            "previous": previous,
            # A call-up in preparation shows its progress: it does not compare with last year's finished rate.
            "change": None if preparation else _change(value, previous),
            "kind": kind,
            "detail": detail,
            "url": url,
            "target": target,
            "status": figure_state(value if status_value is None else status_value, target, preparation=preparation),
            "preparation": preparation,
        }

    preparation = now["preparation"]
    if preparation is None:
        handover = tile(
            "handover_rate",
            _("Recruitment hand-over rate"),
            now["handover_rate"],
            before["handover_rate"],
            kind="percent",
            indicator=TargetIndicator.HANDOVER_RATE,
            detail=_("%(handed)s handed over of a quota of %(quota)s")
            % {"handed": _number(now["handed_over"]), "quota": _number(now["quota"])},
            url=candidates,
        )
    else:
        handover = tile(
            "handover_rate",
            _("Recruitment in preparation: approved against quota"),
            now["approved_rate"],
            before["handover_rate"],
            kind="percent",
            indicator=TargetIndicator.HANDOVER_RATE,
            detail=progress_text(now),
            url=_link("recruitment:campaign_detail", None, campaign.pk) if campaign else candidates,
            preparation=preparation,
        )
    return [
        handover,
        tile(
            "militia_strength",
            _("Militia strength"),
            now["strength"],
            before["strength"],
            kind="number",
            detail=_("%(ratio)s of the population") % {"ratio": _percent(now["militia_ratio"])},
            url=_link("militia:member_list", members_params),
        ),
        tile(
            "militia_ratio",
            _("Militia to population"),
            now["militia_ratio"],
            before["militia_ratio"],
            kind="percent",
            indicator=TargetIndicator.MILITIA_RATIO,
            detail=_("population %(population)s") % {"population": _number(now["population"])},
            url=_link("militia:member_list", members_params),
        ),
        tile(
            "party_share",
            _("Party members in the militia"),
            now["party_share"],
            before["party_share"],
            kind="percent",
            indicator=TargetIndicator.MILITIA_PARTY_SHARE,
            detail=_("%(count)s members") % {"count": _number(now["party"])},
            url=_link("militia:member_list", {**members_params, "party": "1"}),
        ),
        tile(
            "trained_share",
            _("Militia trained in the year"),
            now["trained_share"],
            before["trained_share"],
            kind="percent",
            indicator=TargetIndicator.MILITIA_TRAINED_SHARE,
            detail=_("%(count)s trained") % {"count": _number(now["trained"])},
            url=_link("militia:member_list", {**members_params, "not_trained": "on"}),
        ),
        tile(
            "reserve_placed",
            _("Reservists placed"),
            now["placed"],
            before["placed"],
            kind="number",
            indicator=TargetIndicator.RESERVE_PLACED_SHARE,
            status_value=now["placed_share"],
            detail=_("%(share)s of %(total)s reservists")
            % {"share": _percent(now["placed_share"]), "total": _number(now["reservists"])},
            url=_link("militia:reservist_list", {**reservists_params, "placed": "1"}),
        ),
        tile(
            "reserve_match_rate",
            _("Specialty-match rate"),
            now["match_rate"],
            before["match_rate"],
            kind="percent",
            indicator=TargetIndicator.RESERVE_MATCH_RATE,
            detail=_("%(count)s in a matching post") % {"count": _number(now["matching"])},
            url=_link("militia:reservist_list", {**reservists_params, "mismatch": "on"}),
        ),
    ]


def progress_text(figures):
    """ "12 registered · 8 examined · 5 approved of a quota of 6 · 79 days to the hand-over"."""
    return ngettext(
        "%(registered)s registered · %(examined)s examined · %(approved)s approved of a quota of %(quota)s · "
        "%(days)s day to the hand-over",
        "%(registered)s registered · %(examined)s examined · %(approved)s approved of a quota of %(quota)s · "
        "%(days)s days to the hand-over",
        figures["days_to_handover"] or 0,
    ) % {
        "registered": _number(figures["registered"]),
        "examined": _number(figures["examined"]),
        "approved": _number(figures["approved"]),
        "quota": _number(figures["quota"]),
        "days": _number(figures["days_to_handover"]),
    }


def _upcoming(kept, later):
    """The call-ups of later years being prepared today (the 2027 call-up in December 2026), with their
    progress: registered, examined and approved against quota, and the days to their hand-over."""
    result = []
    for year in later:
        figures = kept.recruitment(year)
        total = figures["total"]
        if not figures["campaigns"]:
            continue
        campaign = figures["campaigns"][0] if len(figures["campaigns"]) == 1 else None
        result.append(
            {
                "year": year,
                "campaign": campaign,
                "total": total,
                "detail": progress_text(total),
                "state": figure_state(
                    None,
                    None,
                    preparation=Preparation(
                        approved=total["approved"], quota=total["quota"], days_to_handover=total["days_to_handover"]
                    ),
                ),
                "url": _link("recruitment:campaign_detail", None, campaign.pk)
                if campaign
                else _link("recruitment:index"),
            }
        )
    return result


def _total_row(now, targets, path, campaign, only, day):
    params = {"commune": only.pk if only else None}
    return {
        "handover": _cell(
            now["handover_rate"],
            TargetIndicator.HANDOVER_RATE,
            path,
            targets,
            _link("recruitment:candidate_list", {**params, "stage": "handed_over"}, campaign.pk) if campaign else None,
            preparation=now["preparation"],
        ),
        "now": now,
        "members_url": _link("militia:member_list", {**params, **roster_params(day, "strength")}),
        "ratio": _cell(now["militia_ratio"], TargetIndicator.MILITIA_RATIO, path, targets, None),
        "party": _cell(now["party_share"], TargetIndicator.MILITIA_PARTY_SHARE, path, targets, None),
        "trained": _cell(now["trained_share"], TargetIndicator.MILITIA_TRAINED_SHARE, path, targets, None),
        "placed": _cell(now["placed_share"], TargetIndicator.RESERVE_PLACED_SHARE, path, targets, None),
        "match": _cell(now["match_rate"], TargetIndicator.RESERVE_MATCH_RATE, path, targets, None),
    }


def _trend(years, totals):
    """The headline figures of the years that have any data."""
    result = []
    for year in years:
        t = totals[year]
        if not (t["quota"] or t["strength"] or t["reservists"]):
            continue
        result.append(
            {
                "year": year,
                "handover_rate": t["handover_rate"],
                "strength": t["strength"],
                "militia_ratio": t["militia_ratio"],
                "party_share": t["party_share"],
                "trained_share": t["trained_share"],
                "placed": t["placed"],
                "match_rate": t["match_rate"],
            }
        )
    return result


def _series(labels, values, **extra):
    return {"labels": labels, "values": values, "pairs": list(zip(labels, values, strict=True)), **extra}


def _chart_data(rows, funnel, force_types, trend):
    """What dashboard.js draws (plain numbers and translated labels); `pairs` feed the tables beside."""
    return {
        "funnel": _series([r["label"] for r in funnel], [r["count"] for r in funnel], label=_("Candidates")),
        "handover": _handover_series(rows),
        "force_types": _series(
            [f["label"] for f in force_types], [f["count"] for f in force_types], label=_("Members")
        ),
        "trend": {
            "labels": [str(t["year"]) for t in trend],
            "series": [
                {"key": key, "label": label, "values": [t[key] for t in trend], "axis": axis}
                for key, label, axis in (
                    ("handover_rate", _("Hand-over rate (%)"), "percent"),
                    ("party_share", _("Party share (%)"), "percent"),
                    ("trained_share", _("Trained (%)"), "percent"),
                    ("match_rate", _("Specialty match (%)"), "percent"),
                    ("strength", _("Militia strength"), "count"),
                )
            ],
        },
        "axis_percent": _("Per cent"),
        "axis_count": _("Militia members"),
    }


def _handover_series(rows):
    """One bar per commune, every commune labelled: the hand-over rate, or the share of the quota approved for
    a call-up still in preparation, coloured by the same state as the commune's cell."""
    preparing = any(r["handover"]["cell"]["preparation"] for r in rows)
    values = [
        r["handover"]["approved_rate"] if r["handover"]["cell"]["preparation"] else r["handover"]["rate"] for r in rows
    ]
    return _series(
        [r["unit"].name for r in rows],
        values,
        label=_("Approved against quota (%)") if preparing else _("Hand-over rate (%)"),
        states=[r["handover"]["cell"]["status"] for r in rows],
    )


def _number(value):
    return f"{int(value or 0):,}".replace(",", ".")


def _percent(value):
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " %"


def home_figures(*, user, year, sort, period, today):
    """The dashboard's figures and the registry summary below it: five years of figures in ~45 queries, kept
    until the records of the user's units change (a commander reopening the dashboard, or changing the sort
    back, reads them from the cache). Returns (rows, totals, dashboard)."""

    def figures():
        rows = people_summary_by_commune(user=user)
        totals = {
            "people": sum(r["people"] for r in rows),
            "party": sum(r["party"] for r in rows),
            "men": sum(r["men"] for r in rows),
            "communes": len(rows),
        }
        return rows, totals, dashboard(user=user, year=year, sort=sort, today=today, period=period)

    return remember(user_key("dashboard", user, year, sort, period), figures, units=scope_units(get_scope(user)))
