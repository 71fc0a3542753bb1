"""What a reorganisation of units moves and what it leaves in place, worked out before anything is written.

The preview page shows a plan and the services commit the very same plan, so what the user confirmed is
what moves. The rule (issue of the 2025 reform): records that belong to a place follow it — hamlets, the
people living there, serving militia members and reservists, militia-duty records in force, reserve units,
the campaigns that run in the new structure (open ones, and those handed over on or after the day, even if
closed since: a reorganisation recorded after the day) with their candidates, quotas and lists, reports of
periods that start on or after the day
(approved ones excepted), targets of that year on, records of activities dated from the day on, the roles at
the unit — and records of what finished before the day stay with the unit that existed then: campaigns
handed over before the day, reports of earlier periods, activities before the day, members and reservists who had left,
history. Nothing is deleted except a quota added into the successor's quota of the same campaign and a day
of readiness duty added into the successor's log of the same day (their history keeps them).
"""

import datetime
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import DutyLog, EducationCourse, PolicyFamily, PolicyVisit, Training, WorkDay
from militia.models import MemberStatus, MilitiaDutyRecord, MilitiaMember, ReserveUnit, Reservist, ReservistStatus
from people.models import Person
from recruitment.models import (
    Campaign,
    CampaignStatus,
    Candidate,
    ListPosting,
    Quota,
    RegistrationExclusion,
)
from reports.models import Report, ReportStatus, Target
from units.models import Assignment, CommandLink, DisadvantagedPeriod, Officeholder, Unit

EXAMPLES = 8  # names shown per line of the preview

# The records of what units did (line key, model, the date that places it before or after the day).
ACTIVITIES = [
    ("duty_logs", DutyLog, "on_date"),
    ("trainings", Training, "starts_on"),
    ("education_courses", EducationCourse, "starts_on"),
    ("policy_visits", PolicyVisit, "visited_on"),
    ("work_days", WorkDay, "on_date"),
]


# What each line of a plan holds, by its key (the preview shows it; the admin's record of a reorganisation too).
LABELS = {
    "units": _("Hamlets and units below"),
    "people": _("People of the registry"),
    "militia": _("Militia members serving"),
    "militia_left": _("Militia members who had left"),
    "reservists": _("Reservists on the roster"),
    "reservists_left": _("Reservists who had left the roster"),
    "duty": _("Militia-duty records in force or of this year"),
    "duty_past": _("Militia-duty records of earlier years"),
    "reserve_units": _("Reserve units and their posts"),
    "campaigns": _("Recruitment campaigns open or handed over from the day on"),
    "campaigns_conflict": _("Campaigns of a year the successor already runs"),
    "campaigns_closed": _("Recruitment campaigns handed over before the day"),
    "candidates": _("Candidates of campaigns open or handed over from the day on"),
    "candidates_closed": _("Candidates of campaigns handed over before the day"),
    "exclusions": _("Grounds for not registering (campaigns open or from the day on)"),
    "exclusions_closed": _("Grounds for not registering (campaigns before the day)"),
    "quotas": _("Quotas of campaigns open or handed over from the day on"),
    "quota_division": _("Quotas of campaigns open or from the day on, divided between the parts"),
    "new_reports": _("Reports of the periods under way, opened for each new unit"),
    "postings": _("Public postings of campaigns open or from the day on"),
    "postings_kept": _("Public postings kept (campaigns before the day, or already posted)"),
    "reports": _("Reports of periods from the day on"),
    "reports_kept": _("Reports of earlier periods (approved ones included)"),
    "reports_approved": _("of which approved"),
    "reports_covered": _("Reports of periods from the day on that another merged unit's report covers (kept)"),
    "targets": _("Targets of this year on"),
    "targets_kept": _("Targets of earlier years"),
    "policy_families": _("Policy families"),
    "activities": _("Records of activities before the day (duty, training, education, visits, work)"),
    "duty_logs": _("Days of readiness duty from the day on"),
    "trainings": _("Trainings and exercises begun from the day on"),
    "education_courses": _("Defence education courses begun from the day on"),
    "policy_visits": _("Policy visits from the day on"),
    "work_days": _("Work for the people from the day on"),
    "assignments": _("Roles of users (end here, continue at the successor)"),
    "command_links": _("Lines of command (end here, continue at the successor)"),
    "disadvantaged": _("Periods on the list of especially disadvantaged communes (a new unit needs its own decision)"),
    "history": _("History of every record and of the units themselves"),
}


@dataclass
class Line:
    """One kind of record in the plan: which records, and the unit each goes to."""

    key: str
    label: str
    model: type = None
    unit_field: str = ""  # the field that points to the unit; empty when the records follow their hamlet
    targets: dict = dataclass_field(default_factory=dict)  # record pk -> unit pk it goes to
    examples: list = dataclass_field(default_factory=list)
    count: int = 0

    def add(self, pk, target_id, name):
        self.targets[pk] = target_id
        if len(self.examples) < EXAMPLES:
            self.examples.append(str(name))
        self.count = len(self.targets)


@dataclass
class Plan:
    kind: str
    on: datetime.date
    sources: list
    results: list  # the units that take over (the merger's unit, the parts of a split)
    moves: list = dataclass_field(default_factory=list)
    stays: list = dataclass_field(default_factory=list)
    errors: list = dataclass_field(default_factory=list)
    # A split: [(quota, [count per part], proportional)] for each quota of an open campaign, and the
    # (unit, period) reports opened for the parts (reorg.services).
    quota_division: list = None
    new_reports: list = dataclass_field(default_factory=list)

    def line(self, key):
        return next((line for line in self.moves + self.stays if line.key == key), None)

    def summary(self):
        """What the audit record keeps: per line, the count and the moved ids."""
        return {
            "moves": {line.key: sorted(line.targets) for line in self.moves},
            "stays": {line.key: line.count for line in self.stays},
        }


class Router:
    """Which result unit a record of a source goes to: its hamlet's part for a split, else the default; the
    reports of the periods from the day on go to `reports_to` (the part the user names; the default)."""

    def __init__(self, default, hamlet_parts=None, reports_to=None):
        self.default = default
        self.hamlet_parts = hamlet_parts or {}
        self.reports_to = reports_to or default

    def for_home(self, home_unit_id):
        return self.hamlet_parts.get(home_unit_id, self.default)


def campaign_runs_q(on, prefix="campaign__"):
    """A recruitment campaign that runs in the structure of `on`: open, or handed over on or after that day (a
    campaign is run by the units that exist in its year; a reorganisation may be recorded after the day)."""
    return ~Q(**{f"{prefix}status": CampaignStatus.CLOSED}) | Q(**{f"{prefix}handover_date__gte": on})


def build(*, kind, sources, results, router, on):
    """The plan of moving everything that follows the place from `sources` to the results on `on`."""
    plan = Plan(kind=kind, on=on, sources=list(sources), results=list(results))
    ids = [s.pk for s in sources]
    by_id = {u.pk: u for u in results}
    year_start = datetime.date(on.year, 1, 1)
    open_campaign = campaign_runs_q(on)

    children = Line("units", LABELS["units"], Unit, "parent")
    for unit in Unit.objects.filter(parent_id__in=ids, valid_to__isnull=True).order_by("path"):
        children.add(unit.pk, router.for_home(unit.pk).pk, unit.name)
    hamlet_ids = list(children.targets)

    people = Line("people", LABELS["people"], Person, "home_unit")
    for pk, home_id, name in (
        Person.objects.filter(Q(home_unit_id__in=ids) | Q(home_unit_id__in=hamlet_ids))
        .order_by("home_unit_id", "search_key", "pk")
        .values_list("pk", "home_unit_id", "full_name")
    ):
        # Residents of a hamlet follow the hamlet; residents registered at the commune itself change unit.
        people.add(pk, None if home_id in hamlet_ids else router.for_home(home_id).pk, name)

    def by_person(key, label, model, unit_field, queryset, stay_key, stay_label, stay_qs):
        line = Line(key, label, model, unit_field)
        for record in queryset.select_related("person"):
            line.add(record.pk, router.for_home(record.person.home_unit_id).pk, record.person)
        plan.moves.append(line)
        plan.stays.append(Line(stay_key, stay_label, count=stay_qs.count()))

    plan.moves += [children, people]
    by_person(
        "militia",
        LABELS["militia"],
        MilitiaMember,
        "unit",
        MilitiaMember.objects.filter(unit_id__in=ids, status=MemberStatus.ACTIVE),
        "militia_left",
        LABELS["militia_left"],
        MilitiaMember.objects.filter(unit_id__in=ids).exclude(status=MemberStatus.ACTIVE),
    )
    by_person(
        "reservists",
        LABELS["reservists"],
        Reservist,
        "unit",
        Reservist.objects.filter(unit_id__in=ids, status=ReservistStatus.ACTIVE),
        "reservists_left",
        LABELS["reservists_left"],
        Reservist.objects.filter(unit_id__in=ids).exclude(status=ReservistStatus.ACTIVE),
    )
    duty_now = Q(recorded_on__gte=year_start) | (
        Q(kind__in=["deferment", "exemption"]) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    )
    by_person(
        "duty",
        LABELS["duty"],
        MilitiaDutyRecord,
        "unit",
        MilitiaDutyRecord.objects.filter(unit_id__in=ids).filter(duty_now),
        "duty_past",
        LABELS["duty_past"],
        MilitiaDutyRecord.objects.filter(unit_id__in=ids).exclude(duty_now),
    )

    reserve = Line("reserve_units", LABELS["reserve_units"], ReserveUnit, "district")
    for unit in ReserveUnit.objects.filter(district_id__in=ids).order_by("name"):
        reserve.add(unit.pk, router.default.pk, unit.name)
    plan.moves.append(reserve)

    campaigns = Line("campaigns", LABELS["campaigns"], Campaign, "district")
    campaigns_kept = Line("campaigns_conflict", LABELS["campaigns_conflict"])
    taken_years = set(Campaign.objects.filter(district_id__in=by_id).values_list("district_id", "year"))
    running = campaign_runs_q(on, prefix="")
    for campaign in Campaign.objects.filter(district_id__in=ids).filter(running):
        target = router.default.pk
        if (target, campaign.year) in taken_years:
            campaigns_kept.count += 1
            continue
        taken_years.add((target, campaign.year))
        campaigns.add(campaign.pk, target, campaign.year)
    plan.moves.append(campaigns)
    plan.stays.append(
        Line(
            "campaigns_closed",
            LABELS["campaigns_closed"],
            count=Campaign.objects.filter(district_id__in=ids).exclude(running).count(),
        )
    )
    if campaigns_kept.count:
        plan.stays.append(campaigns_kept)

    by_person(
        "candidates",
        LABELS["candidates"],
        Candidate,
        "commune",
        Candidate.objects.filter(commune_id__in=ids).filter(open_campaign),
        "candidates_closed",
        LABELS["candidates_closed"],
        Candidate.objects.filter(commune_id__in=ids).exclude(open_campaign),
    )
    by_person(
        "exclusions",
        LABELS["exclusions"],
        RegistrationExclusion,
        "commune",
        RegistrationExclusion.objects.filter(commune_id__in=ids).filter(open_campaign),
        "exclusions_closed",
        LABELS["exclusions_closed"],
        RegistrationExclusion.objects.filter(commune_id__in=ids).exclude(open_campaign),
    )

    quotas = Line("quotas", LABELS["quotas"], Quota, "commune")
    for quota in Quota.objects.filter(commune_id__in=ids).filter(open_campaign).select_related("campaign", "commune"):
        quotas.add(quota.pk, router.default.pk, f"{quota.commune.name} {quota.campaign.year}: {quota.count}")
    plan.moves.append(quotas)

    postings = Line("postings", LABELS["postings"], ListPosting, "commune")
    postings_kept = Line("postings_kept", LABELS["postings_kept"])
    posted = set(ListPosting.objects.filter(commune_id__in=by_id).values_list("campaign_id", "commune_id", "kind"))
    for posting in ListPosting.objects.filter(commune_id__in=ids).select_related("campaign"):
        key = (posting.campaign_id, router.default.pk, posting.kind)
        ran_before = posting.campaign.status == CampaignStatus.CLOSED and posting.campaign.handover_date < on
        if ran_before or key in posted:
            postings_kept.count += 1
            continue
        posted.add(key)
        postings.add(posting.pk, router.default.pk, posting)
    plan.moves.append(postings)
    plan.stays.append(postings_kept)

    reports = Line("reports", LABELS["reports"], Report, "unit")
    reports_kept = Line("reports_kept", LABELS["reports_kept"])
    reports_covered = Line("reports_covered", LABELS["reports_covered"])
    filed = set(Report.objects.filter(unit_id__in=by_id).values_list("unit_id", "period_id"))
    # Of the sources' drafts of one period, the one most worked on goes to the successor (one report per unit
    # and period); the others stay, readable, with the unit that wrote them.
    for report in (
        Report.objects.filter(unit_id__in=ids)
        .select_related("period", "unit")
        .order_by("period__start", "-version", "unit__path")
    ):
        key = (router.reports_to.pk, report.period_id)
        if report.period.start < on or report.status == ReportStatus.APPROVED:
            reports_kept.count += 1
            continue
        if key in filed:
            reports_covered.add(report.pk, None, f"{report.unit.name} · {report.period.label}")
            continue
        filed.add(key)
        reports.add(
            report.pk, router.reports_to.pk, f"{report.unit.name} · {report.period.label} → {router.reports_to.name}"
        )
    plan.moves.append(reports)
    plan.stays.append(reports_kept)
    if reports_covered.count:
        plan.stays.append(reports_covered)
    plan.stays.append(
        Line(
            "reports_approved",
            LABELS["reports_approved"],
            count=Report.objects.filter(unit_id__in=ids, status=ReportStatus.APPROVED).count(),
        )
    )

    targets = Line("targets", LABELS["targets"], Target, "unit")
    targets_kept = Line("targets_kept", LABELS["targets_kept"])
    set_targets = set(Target.objects.filter(unit_id__in=by_id).values_list("unit_id", "year", "indicator"))
    for target in Target.objects.filter(unit_id__in=ids).order_by("year"):
        key = (router.default.pk, target.year, target.indicator)
        if target.year < on.year or key in set_targets:
            targets_kept.count += 1
            continue
        set_targets.add(key)
        targets.add(target.pk, router.default.pk, f"{target.get_indicator_display()} {target.year}")
    plan.moves.append(targets)
    plan.stays.append(targets_kept)

    # The families the policy looks after move with their commune; what units did stays where it was done,
    # before the day. A record dated from the day on was done by the unit that took over the place (the old
    # one no longer existed) and goes to it.
    families = Line("policy_families", LABELS["policy_families"], PolicyFamily, "unit")
    for family in PolicyFamily.objects.filter(unit_id__in=ids).order_by("head", "pk"):
        families.add(family.pk, router.default.pk, family.head)
    plan.moves.append(families)
    done = 0
    for key, model, date_field in ACTIVITIES:
        line = Line(key, LABELS[key], model, "unit")
        after = {f"{date_field}__gte": on}
        for record in model.objects.filter(unit_id__in=ids, **after).select_related("unit").order_by(date_field, "pk"):
            line.add(record.pk, router.default.pk, f"{record.unit.name} {getattr(record, date_field):%d/%m/%Y}")
        if line.count:
            plan.moves.append(line)
        done += model.objects.filter(unit_id__in=ids).exclude(**after).count()
    plan.stays.append(Line("activities", LABELS["activities"], count=done))

    roles = Line("assignments", LABELS["assignments"], Assignment, "unit")
    for assignment in Assignment.objects.filter(unit_id__in=ids, ends_on__isnull=True).select_related("user"):
        roles.add(assignment.pk, router.default.pk, f"{assignment.user.username} ({assignment.get_role_display()})")
    plan.moves.append(roles)

    links = Line("command_links", LABELS["command_links"], CommandLink, "")
    for link in (
        CommandLink.objects.on(on)
        .filter(Q(unit_id__in=ids) | Q(commander_id__in=ids))
        .select_related("unit", "commander")
    ):
        links.add(link.pk, router.default.pk, link)
    plan.moves.append(links)
    plan.stays.append(
        Line(
            "disadvantaged",
            LABELS["disadvantaged"],
            count=DisadvantagedPeriod.objects.filter(unit_id__in=ids).count(),
        )
    )
    plan.stays.append(
        Line(
            "signers",
            _("Who signed the unit's documents (the successor records its own chair and commander)"),
            count=Officeholder.objects.filter(unit_id__in=ids).count(),
        )
    )
    plan.stays.append(Line("history", LABELS["history"], count=None))
    return plan
