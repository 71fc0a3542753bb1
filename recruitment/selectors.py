"""Reads on recruitment: scoped lists and the figures of a campaign, each at a fixed number of queries.

`recruitment_figures` is the automatic source the reports read (quota, approved, handed over, rate).
"""

import datetime
from decimal import Decimal

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Person
from people.rules import birth_date_range_for_age
from units import figures
from units.figures import figure
from units.freshness import remember, scope_units, user_key
from units.models import Unit
from units.scoping import get_scope
from units.selectors import disadvantaged_on_days, subtree_on_q

from . import rules
from .models import Campaign, CampaignStatus, Candidate, Quota, Stage, StageChange

APPROVED_STAGES = (Stage.APPROVED, Stage.HANDED_OVER)
FUNNEL = [Stage.REGISTERED, Stage.PRESCREENED, Stage.EXAMINED, Stage.APPROVED, Stage.HANDED_OVER]
# Where candidates leave the pipeline (or wait beside it): shown after the funnel's stages.
EXITS = [Stage.RESERVE_LIST, Stage.DEFERRED, Stage.EXEMPT, Stage.NOT_SELECTED]
RISK_DAYS = figures.RISK_DAYS  # the call-up at risk this close to its hand-over
# Ages on the hand-over date, inclusive bounds (None is open-ended).
AGE_BANDS = {"u18": (None, 17), "18-20": (18, 20), "21-25": (21, 25), "26-27": (26, 27), "28+": (28, None)}
EDUCATION_BANDS = {"primary": (0, 5), "lower": (6, 7), "grade8-9": (8, 9), "upper": (10, 12)}

CANDIDATE_SORTS = {
    "name": ("person__search_key", "pk"),
    "birth_date": ("person__birth_date", "pk"),
    "commune": ("commune__name", "person__search_key", "pk"),
    "stage": ("stage", "person__search_key", "pk"),
    "health_class": ("health_class", "person__search_key", "pk"),
    "education": ("education", "person__search_key", "pk"),
}


def campaigns_visible(*, user):
    return Campaign.objects.visible_to(user).select_related("district")


def candidates_visible(*, user):
    return Candidate.objects.visible_to(user).select_related(
        "person", "person__ethnicity", "person__home_unit", "commune", "campaign", "campaign__district", "ground"
    )


def campaign_communes(*, campaign, user):
    """The current communes of the campaign's district that the user sees."""
    return (
        Unit.objects.visible_to(user)
        .communes()
        .current()
        .filter(path__startswith=campaign.district.path)
        .select_related("kind")
        .order_by("name")
    )


def sorted_by(queryset, sort):
    key = (sort or "").lstrip("-")
    fields = CANDIDATE_SORTS.get(key, CANDIDATE_SORTS["name"])
    if sort and sort.startswith("-") and key in CANDIDATE_SORTS:
        fields = ("-" + fields[0],) + fields[1:]
    return queryset.order_by(*fields)


def filter_age_band(queryset, band, *, on):
    """Candidates whose age on the hand-over date lies in the band."""
    if band not in AGE_BANDS:
        return queryset
    earliest, latest = birth_date_range_for_age(*AGE_BANDS[band], on=on)
    if earliest:
        queryset = queryset.filter(person__birth_date__gte=earliest)
    if latest:
        queryset = queryset.filter(person__birth_date__lte=latest)
    return queryset


def filter_education_band(queryset, band):
    if band == "unknown":
        return queryset.filter(education__isnull=True)
    if band not in EDUCATION_BANDS:
        return queryset
    low, high = EDUCATION_BANDS[band]
    return queryset.filter(education__gte=low, education__lte=high)


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _stage_counts(candidates, *group):
    counts = {stage: Count("pk", filter=Q(stage=stage)) for stage in Stage.values}
    return candidates.values(*group, "commune_id").annotate(total=Count("pk"), **counts)


def campaign_summary_by_commune(*, campaign, user, today=None):
    """Per visible commune: quota, candidates per stage, approved, handed over, rate %, shortfall, the risk
    flag (approved below quota with the hand-over 14 days away or less) and the especially disadvantaged
    period in force on the hand-over day, if any. Four queries."""
    return campaigns_summary_by_commune(campaigns=[campaign], user=user, today=today)[0][1]


def campaigns_summary_by_commune(*, campaigns, user, today=None):
    """`campaign_summary_by_commune` of several campaigns (a province's districts) in the same four
    queries: [(campaign, summary), ...]."""
    today = today or timezone.localdate()
    if not campaigns:
        return []
    paths = Q()
    for campaign in campaigns:
        paths |= Q(path__startswith=campaign.district.path)
    communes = list(
        Unit.objects.visible_to(user).communes().current().filter(paths).select_related("kind").order_by("name")
    )
    quotas = {
        (q.campaign_id, q.commune_id): q
        for q in Quota.objects.filter(campaign__in=campaigns, commune__in=[c.pk for c in communes])
    }
    counts = {
        (row["campaign_id"], row["commune_id"]): row
        for row in _stage_counts(Candidate.objects.visible_to(user).filter(campaign__in=campaigns), "campaign_id")
    }
    scope = get_scope(user)
    disadvantaged = disadvantaged_on_days(unit_ids=[c.pk for c in communes], days=[c.handover_date for c in campaigns])
    result = []
    for campaign in campaigns:
        near = campaign.status != CampaignStatus.CLOSED and (campaign.handover_date - today).days <= RISK_DAYS
        rows = []
        for commune in communes:
            if not commune.path.startswith(campaign.district.path):
                continue
            row = counts.get((campaign.pk, commune.pk), {})
            quota = quotas.get((campaign.pk, commune.pk))
            rows.append(
                _summary_row(
                    commune,
                    quota.count if quota else 0,
                    disadvantaged[campaign.handover_date].get(commune.pk),
                    row,
                    near,
                )
            )
        total_row = {stage: sum(r["stages"][stage] for r in rows) for stage in Stage.values}
        total_row["total"] = sum(r["candidates"] for r in rows)
        total = _summary_row(None, sum(r["quota"] for r in rows), False, total_row, near)
        campaign_quotas = [q.count for (campaign_id, _c), q in quotas.items() if campaign_id == campaign.pk]
        summary = {
            "rows": rows,
            "total": total,
            "stages": list(Stage),
            "columns": FUNNEL + EXITS,
            "days_to_handover": (campaign.handover_date - today).days,
            "days_since_handover": max(0, (today - campaign.handover_date).days),
            "quota_difference": sum(campaign_quotas) - campaign.district_quota
            if scope.can_read_path(campaign.district.path)
            else None,
        }
        result.append((campaign, summary))
    return result


def _summary_row(commune, quota, disadvantaged, counts, near):
    stages = {stage: counts.get(stage, 0) for stage in Stage.values}
    reached, exits = stage_reach(stages)
    handed_over = reached[Stage.HANDED_OVER]
    approved = reached[Stage.APPROVED]
    shortfall = max(quota - approved, 0)
    if quota and handed_over >= quota:
        risk = "done"
    elif quota and approved < quota and near:
        risk = "risk"
    elif quota and approved < quota:
        risk = "open"
    else:
        risk = "ok"
    return {
        "unit": commune,
        "quota": quota,
        "disadvantaged": disadvantaged,
        "candidates": counts.get("total", 0),
        "stages": stages,
        # The table's cells, in the order of `columns` (the funnel's stages, then its side exits).
        "cells": [(stage, reached[stage]) for stage in FUNNEL] + [(stage, exits[stage]) for stage in EXITS],
        "approved": approved,
        "handed_over": handed_over,
        "rate": _share(handed_over, quota),
        "approved_rate": _share(approved, quota),
        "shortfall": shortfall,
        "risk": risk,
    }


def campaign_funnel(*, campaign, user):
    """How many candidates reached each stage of the pipeline (cumulative), and the side exits. One query."""
    return campaigns_funnel(campaigns=[campaign], user=user)


def campaigns_funnel(*, campaigns, user):
    """The funnel of several campaigns together (a province's districts), in one query."""
    counts = dict(
        Candidate.objects.visible_to(user)
        .filter(campaign__in=campaigns)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    reached, exits = stage_reach(counts)
    top = reached[Stage.REGISTERED]
    rows = [{"stage": s, "label": s.label, "count": reached[s]} for s in FUNNEL]
    side = [{"stage": s, "label": s.label, "count": exits[s]} for s in EXITS]
    for row in rows + side:
        row["share"] = _share(row["count"], top)
    return {"funnel": rows, "exits": side, "total": top}


def stage_reach(counts):
    """The one definition of a campaign's counts, used by the funnel and by the per-commune table: from how
    many candidates stand at each stage (`counts`), how many reached each stage of the pipeline and how many
    left it by each side exit.

    Reaching is cumulative: a recruit handed over was registered, pre-screened, examined and approved; one on
    the reserve list was examined; one deferred, exempt or not selected was registered (where they left the
    pipeline after that is not recorded, so they count at registration only)."""
    reached, running = {}, 0
    for stage in reversed(FUNNEL):
        running += counts.get(stage, 0)
        if stage == Stage.EXAMINED:
            running += counts.get(Stage.RESERVE_LIST, 0)
        reached[stage] = running
    reached[Stage.REGISTERED] += sum(counts.get(s, 0) for s in (Stage.DEFERRED, Stage.EXEMPT, Stage.NOT_SELECTED))
    exits = {stage: counts.get(stage, 0) for stage in EXITS}
    return reached, exits


def _mix(queryset, field, labels):
    rows = dict(queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    total = sum(rows.values())
    result = []
    for key, label in labels:
        n = rows.pop(key, 0)
        result.append({"key": key, "label": label, "count": n, "share": _share(n, total)})
    for key, n in rows.items():
        result.append({"key": key, "label": str(key), "count": n, "share": _share(n, total)})
    return result


def health_class_mix(*, campaign, user):
    """Examined candidates by health class (1–6 and not yet examined). One query."""
    qs = Candidate.objects.visible_to(user).filter(campaign=campaign)
    return _mix(qs, "health_class", [(n, str(n)) for n in range(1, 7)] + [(None, "—")])


def education_mix(*, campaign, user):
    """Candidates by education band. One query."""
    qs = Candidate.objects.visible_to(user).filter(campaign=campaign)
    rows = dict(qs.values_list("education").annotate(n=Count("pk")).values_list("education", "n"))
    total = sum(rows.values())
    result = []
    for key, (low, high) in EDUCATION_BANDS.items():
        n = sum(v for grade, v in rows.items() if grade is not None and low <= grade <= high)
        result.append({"key": key, "label": f"{low}–{high}", "count": n, "share": _share(n, total)})
    n = rows.get(None, 0)
    result.append({"key": "unknown", "label": "—", "count": n, "share": _share(n, total)})
    return result


def ethnic_mix(*, campaign, user, stages=None):
    """Candidates (or only those at the given stages) by ethnic group, largest first. One query."""
    qs = Candidate.objects.visible_to(user).filter(campaign=campaign)
    if stages:
        qs = qs.filter(stage__in=stages)
    rows = list(qs.values("person__ethnicity__name").annotate(n=Count("pk")).order_by("-n", "person__ethnicity__name"))
    total = sum(r["n"] for r in rows)
    return [{"label": r["person__ethnicity__name"], "count": r["n"], "share": _share(r["n"], total)} for r in rows]


def membership_share(*, campaign, user):
    """Party and Youth Union members among the approved and handed-over recruits. One query."""
    row = (
        Candidate.objects.visible_to(user)
        .filter(campaign=campaign, stage__in=APPROVED_STAGES)
        .aggregate(
            total=Count("pk"),
            party=Count("pk", filter=Q(person__is_party_member=True)),
            youth=Count("pk", filter=Q(person__is_youth_union_member=True)),
        )
    )
    return {
        "total": row["total"],
        "party": row["party"],
        "party_share": _share(row["party"], row["total"]),
        "youth": row["youth"],
        "youth_share": _share(row["youth"], row["total"]),
    }


def flagged_duplicates(*, campaign, user):
    """Candidates flagged as the same folded name and birth date in two communes. One query."""
    return list(
        candidates_visible(user=user)
        .filter(campaign=campaign, flagged_duplicate=True)
        .order_by("person__search_key", "person__birth_date", "commune__name")
    )


def campaign_page_figures(*, campaign, user, can_manage):
    """The dozen aggregates of the campaign page, kept until the records they count change in the campaign's
    district (or in the user's communes of it): those of the call-up (quotas, candidates by stage, health and
    education) across an edit of a person's record; those that read the candidates' persons (ethnic groups,
    Party and Youth Union members, names of possible duplicates) until that too."""
    units = scope_units(get_scope(user), within=campaign.district)

    def of_the_call_up():
        return {
            "summary": campaign_summary_by_commune(campaign=campaign, user=user),
            "funnel": campaign_funnel(campaign=campaign, user=user),
            "health_mix": health_class_mix(campaign=campaign, user=user),
            "education_mix": education_mix(campaign=campaign, user=user),
        }

    def of_the_persons():
        return {
            "ethnic_mix": ethnic_mix(campaign=campaign, user=user),
            "membership": membership_share(campaign=campaign, user=user),
            "duplicates": flagged_duplicates(campaign=campaign, user=user) if can_manage else [],
        }

    return {
        **remember(
            user_key("campaign-page", user, campaign.pk),
            of_the_call_up,
            units=units,
            reads={"recruitment", "units"},
        ),
        **remember(
            user_key("campaign-page-persons", user, campaign.pk, can_manage),
            of_the_persons,
            units=units,
            reads={"recruitment", "people", "units"},
        ),
    }


def stage_history(candidate):
    return list(StageChange.objects.filter(candidate=candidate).select_related("by").order_by("-at", "-pk"))


def registration_day(campaign, today=None):
    """The day the duty to register is evaluated for a campaign: today while it is prepared, its hand-over
    day once that has passed (a past campaign is read as it stood then)."""
    return min(today or timezone.localdate(), campaign.handover_date)


def _registration_due(campaign, people, *, on, first_only):
    """The people of `people` in the campaign's district who must have registered on `on`
    (rules.registration_due_births; women with a profession on the list, rules.listed_profession), leaving
    out those recorded with a ground of Điều 13–14 for the campaign. Returns (queryset, {woman's pk: the
    profession matched}). Three queries: the two provisions and the women's occupations."""
    bounds = rules.registration_due_births(
        preparation_year=campaign.preparation_year, handover=campaign.handover_date, on=on, first_only=first_only
    )
    professions = rules.women_professions(on)
    base = people.filter(home_unit__path__startswith=campaign.district.path).exclude(
        registration_exclusions__campaign=campaign
    )
    women = {}
    occupations = (
        base.filter(sex="F", birth_date__range=bounds["F"]).exclude(occupation="").values_list("pk", "occupation")
    )
    for pk, occupation in occupations:
        profession = rules.listed_profession(occupation, on=on, professions=professions)
        if profession:
            women[pk] = profession
    due = base.filter(Q(sex="M", birth_date__range=bounds["M"]) | Q(pk__in=list(women)))
    return due.select_related(
        "home_unit", "home_unit__kind", "home_unit__parent", "home_unit__parent__kind", "ethnicity"
    ), women


def first_registrations(*, campaign, user, on=None):
    """The year's first registration (Luật NVQS 2015 Điều 12, 16): men of the user's units in the campaign's
    district who turn 17 in the year the campaign is prepared (its April registration), and women who turn 18
    in it, are 18 on `on` and have a profession the army needs; not yet candidates of the campaign. Returns
    (queryset, {woman's pk: profession})."""
    on = on or registration_day(campaign)
    due, women = _registration_due(campaign, Person.objects.editable_by(user), on=on, first_only=True)
    due = due.exclude(candidacies__campaign=campaign)
    return due.order_by("home_unit__path", "search_key", "pk"), women


def not_registered(*, campaign, user, on=None):
    """People of the user's units in the campaign's communes who must have registered by `on` (default: the
    campaign's registration day) and have not: never a candidate of this campaign or an earlier one of the
    district, and no ground of Điều 13–14 recorded for it. Returns (queryset, {woman's pk: profession})."""
    on = on or registration_day(campaign)
    due, women = _registration_due(campaign, Person.objects.visible_to(user), on=on, first_only=False)
    registered = Candidate.objects.filter(
        person=OuterRef("pk"), campaign__district_id=campaign.district_id, campaign__year__lte=campaign.year
    )
    due = due.exclude(Exists(registered))
    return due.order_by("home_unit__path", "search_key", "pk"), women


# --- The recruitment of a year as it stood on a day --------------------------------------------------------
# A report or the dashboard speaks of the call-up handed over in its year (Campaign.year) and counts the
# candidates as they stood on its last day: a stage reached later, or a hand-over after that day, does
# not count yet.

EXAMINED_STAGES = (Stage.EXAMINED, Stage.RESERVE_LIST, Stage.APPROVED, Stage.HANDED_OVER)


def _day_after(day):
    """The first instant after `day` in the portal's time zone: stage changes before it happened by `day`."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def candidates_as_of(queryset, day):
    """Annotate `stage_then`: the candidate's stage at the end of `day` (the last stage change by then), None
    when not yet registered. A candidate with no recorded stage change keeps its stage."""
    changes = StageChange.objects.filter(candidate=OuterRef("pk"))
    last = changes.filter(at__lt=_day_after(day)).order_by("-at", "-pk").values("to_stage")[:1]
    return queryset.annotate(
        stage_then=Coalesce(
            Subquery(last),
            Case(When(~Exists(changes), then=F("stage")), default=Value(None), output_field=CharField()),
        )
    )


def handed_over_by(day):
    """Handed over on or before `day` (the candidate's hand-over date, else the campaign's)."""
    return Q(stage=Stage.HANDED_OVER) & (
        Q(handover_date__lte=day) | Q(handover_date__isnull=True, campaign__handover_date__lte=day)
    )


def progress_counts(day):
    """The conditional counts of a year's recruitment on `day`, over candidates annotated by `candidates_as_of`."""
    handed = handed_over_by(day)
    return {
        "registered": Count("pk", filter=Q(stage_then__isnull=False)),
        "examined": Count(
            "pk",
            filter=Q(stage_then__in=EXAMINED_STAGES)
            | Q(stage_then=Stage.NOT_SELECTED, health_class__isnull=False)
            | handed,
        ),
        "approved": Count("pk", filter=Q(stage_then__in=APPROVED_STAGES) | handed),
        "handed_over": Count("pk", filter=handed),
    }


def recruitment_figures(*, user, year, on=None):
    """For reports and the dashboard: per commune and for the districts of the user's scope, the quota of the
    call-up handed over in `year`, its candidates registered, examined, approved and handed over as they stood
    on `on` (default: today), the hand-over rate (%) and whether the hand-over has come by then (else the
    campaign is in preparation). Three queries whatever the size."""
    on = on or timezone.localdate()
    campaigns = list(Campaign.objects.visible_to(user).filter(year=year).select_related("district"))
    quotas = list(
        Quota.objects.visible_to(user)
        .filter(campaign__in=campaigns)
        .select_related("commune")
        .order_by("commune__name")
    )
    counts = {
        (row["campaign_id"], row["commune_id"]): row
        for row in candidates_as_of(Candidate.objects.visible_to(user).filter(campaign__in=campaigns), on)
        .order_by()
        .values("campaign_id", "commune_id")
        .annotate(**progress_counts(on))
    }
    by_pk = {c.pk: c for c in campaigns}
    rows = []
    for quota in quotas:
        row = counts.get((quota.campaign_id, quota.commune_id), {})
        campaign = by_pk[quota.campaign_id]
        rows.append(
            {
                "unit": quota.commune,
                "campaign": campaign,
                "quota": quota.count,
                **{key: row.get(key, 0) for key in ("registered", "examined", "approved", "handed_over")},
                "rate": _share(row.get("handed_over", 0), quota.count),
                "approved_rate": _share(row.get("approved", 0), quota.count),
                "handed_over_on": campaign.is_handed_over_on(on),
                "days_to_handover": campaign.days_to_handover(on),
            }
        )
    quota_total = sum(r["quota"] for r in rows)
    total = {
        "quota": quota_total,
        "district_quota": sum(c.district_quota for c in campaigns),
        **{key: sum(r[key] for r in rows) for key in ("registered", "examined", "approved", "handed_over")},
    }
    total["rate"] = _share(total["handed_over"], quota_total)
    total["approved_rate"] = _share(total["approved"], quota_total)
    # The year's call-up is over once every campaign of it has reached its hand-over day.
    total["handed_over_on"] = bool(campaigns) and all(c.is_handed_over_on(on) for c in campaigns)
    total["days_to_handover"] = min((c.days_to_handover(on) for c in campaigns), default=None)
    return {"year": year, "on": on, "rows": rows, "total": total, "campaigns": campaigns}


def handover_rate(*, user, year=None):
    """Hand-overs as a share of quota (%) in the user's units: the headline figure of a report."""
    return recruitment_figures(user=user, year=year or timezone.localdate().year)["total"]["rate"]


def campaigns_in_preparation(*, user, on):
    """The campaigns of the user's districts whose hand-over is still to come on `on`, soonest first."""
    return list(
        Campaign.objects.visible_to(user)
        .filter(handover_date__gt=on)
        .select_related("district")
        .order_by("handover_date", "district__name")
    )


# --- Automatic figures of the reports (units/figures.py): the call-up handed over in the period's year, --
# counted as it stood on the period's last day.


def _unit_candidates(unit, year, on):
    return candidates_as_of(
        Candidate.objects.filter(subtree_on_q(unit, on, "commune__path"), campaign__year=year), on
    ).order_by()


def _unit_progress(unit, end):
    return _unit_candidates(unit, end.year, end).aggregate(**progress_counts(end))


def _unit_quota(unit, year, on):
    """A district's quota is the one the province gave it; a commune's, the one the district gave it. The
    units below `unit` as they stood on `on`."""
    if not unit.kind.is_commune_level:
        campaign = Campaign.objects.filter(subtree_on_q(unit, on, "district__path"), year=year).aggregate(
            n=Sum("district_quota")
        )
        if campaign["n"] is not None:
            return campaign["n"]
    quotas = Quota.objects.filter(subtree_on_q(unit, on, "commune__path"), campaign__year=year)
    return quotas.aggregate(n=Sum("count"))["n"]


@figure("recruitment.quota", _("Call-up handed over in the year: quota"), over_rollup=True)
def figure_recruitment_quota(*, unit, on):
    return _unit_quota(unit, on.year, on)


@figure(
    "recruitment.registered",
    _("Call-up handed over in the year: candidates registered by the period's end"),
    over_rollup=True,
)
def figure_recruitment_registered(*, unit, on):
    return _unit_progress(unit, on)["registered"]


@figure(
    "recruitment.approved",
    _("Call-up handed over in the year: candidates approved by the period's end"),
    over_rollup=True,
)
def figure_recruitment_approved(*, unit, on):
    return _unit_progress(unit, on)["approved"]


@figure(
    "recruitment.handed_over",
    _("Call-up handed over in the year: recruits handed over by the period's end"),
    over_rollup=True,
)
def figure_recruitment_handed_over(*, unit, on):
    return _unit_progress(unit, on)["handed_over"]


@figure(
    "recruitment.handover_rate", _("Call-up handed over in the year: hand-overs against quota (%)"), over_rollup=True
)
def figure_recruitment_handover_rate(*, unit, on):
    quota = _unit_quota(unit, on.year, on)
    handed = _unit_progress(unit, on)["handed_over"]
    return Decimal(100 * handed) / Decimal(quota) if quota else None


# --- Per commune and year, for the dashboard's summary table (dashboard.summary) ----------------------------------


def yearly_progress_by_unit(*, unit_ids, days):
    """For the communes `unit_ids` and each year of `days` ({year: the day its figures are taken}): the quota
    of the call-up handed over in the year and its candidates registered, examined, approved and handed over
    as they stood on the day (candidates of a campaign that gave the commune no quota are not counted, as in
    `recruitment_figures`), and the campaign when a single one gave the commune its quota. One query for the
    quotas and one per year that has any: {(unit id, year): {figure: value}}."""
    quotas = {}
    for row in (
        Quota.objects.filter(commune_id__in=unit_ids, campaign__year__in=list(days))
        .order_by()
        .values("commune_id", "campaign_id", "campaign__year", "count")
    ):
        quotas.setdefault((row["commune_id"], row["campaign__year"]), {})[row["campaign_id"]] = row["count"]
    result = {}
    for (unit_id, year), by_campaign in quotas.items():
        result[(unit_id, year)] = {
            "has_quota": True,
            "quota": sum(by_campaign.values()),
            "campaign_id": next(iter(by_campaign)) if len(by_campaign) == 1 else None,
            "registered": 0,
            "examined": 0,
            "approved": 0,
            "handed_over": 0,
        }
    for year in sorted({year for _unit, year in quotas}):
        day = days[year]
        candidates = Candidate.objects.filter(commune_id__in=unit_ids, campaign__year=year)
        for row in (
            candidates_as_of(candidates, day)
            .order_by()
            .values("commune_id", "campaign_id")
            .annotate(**progress_counts(day))
        ):
            figures = result.get((row["commune_id"], year))
            if figures is None or row["campaign_id"] not in quotas[(row["commune_id"], year)]:
                continue
            for key in ("registered", "examined", "approved", "handed_over"):
                figures[key] += row[key]
    return result
