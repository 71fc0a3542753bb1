"""What each person is to be reminded of on a day: the occasions, each with the key that makes it once.

Who is reminded: the officers who keep the records of the unit the occasion concerns (a report is filed by
the officers assigned to its unit; a commune's militia and call-up by its commune officers), and for a
report waiting for review, the commanders of the unit above it. A reminder falls due on its day and stays
due until it is made, so a run missed one day makes it the next; its key makes it once.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from militia.models import DutyKind, MemberStatus, MilitiaDutyRecord, MilitiaMember
from recruitment.models import Campaign, CampaignStatus, Candidate, Quota, Stage
from recruitment.selectors import first_registrations
from reports.models import Report, ReportStatus, ReportTransition
from units.models import Assignment
from units.roles import Role

from .models import Notification

# How far ahead each reminder falls due.
REPORT_SOON_DAYS = 7
REPORT_LAST_DAYS = 1
TERM_DAYS = 90
DEFERMENT_DAYS = 30
HANDOVER_DAYS = 14
WRITERS = (Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER)


@dataclass(frozen=True)
class Occasion:
    user_id: int
    key: str
    kind: str
    title: str
    url: str


class _People:
    """The active users' assignments in force on the day, by unit."""

    def __init__(self, on):
        active = get_user_model().objects.filter(is_active=True)
        rows = (
            Assignment.objects.filter(user__in=active)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
            .values_list("user_id", "unit_id", "role", "unit__path")
        )
        self.at = defaultdict(list)  # unit id -> [(user id, role)]
        self.paths = {}
        for user_id, unit_id, role, path in rows:
            self.at[unit_id].append((user_id, role))
            self.paths[unit_id] = path

    def writers(self, unit_id):
        return [user for user, role in self.at.get(unit_id, ()) if role in WRITERS]

    def commanders(self, unit_id):
        return [user for user, role in self.at.get(unit_id, ()) if role == Role.COMMANDER]


def occasions(*, on) -> list:
    people = _People(on)
    found = []
    found += _reports(on, people)
    found += _terms(on, people)
    found += _deferments(on, people)
    found += _quotas(on, people)
    found += _seventeen(on, people)
    return found


def _reports(on, people):
    found = []
    open_ = Report.objects.filter(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED]).filter(
        period__due_date__gte=on - datetime.timedelta(days=60),
        period__due_date__lte=on + datetime.timedelta(days=REPORT_SOON_DAYS),
    )
    for report in open_.select_related("period", "unit"):
        days = (report.period.due_date - on).days
        url = reverse("reports:report_detail", args=[report.pk])
        if days < 0:
            key, title = f"report-overdue:{report.pk}", _("Overdue: the report %(report)s was due on %(date)s")
        elif days <= REPORT_LAST_DAYS:
            key, title = f"report-due1:{report.pk}", _("Due tomorrow: the report %(report)s (%(date)s)")
        else:
            key, title = f"report-due7:{report.pk}", _("Due in a week: the report %(report)s (%(date)s)")
        title = title % {
            "report": f"{report.unit.name} · {report.period}",
            "date": f"{report.period.due_date:%d/%m/%Y}",
        }
        found += [Occasion(user, key, "report_due", title, url) for user in people.writers(report.unit_id)]
    return found + _report_steps(on, people)


def report_occasions(*, report_id, on) -> list:
    """What one report's last step calls for now: returned, its filer; submitted, the commanders above. The
    keys are those of the daily run, so a reminder made at once is not made again."""
    return _report_steps(on, _People(on), report_ids=[report_id])


def _report_steps(on, people, report_ids=None):
    """Returned to the one who filed it, with the comment; waiting for review, to the commanders above."""
    found = []
    latest = ReportTransition.objects.filter(report__status__in=[ReportStatus.RETURNED, ReportStatus.SUBMITTED])
    if report_ids is not None:
        latest = latest.filter(report_id__in=report_ids)
    latest = (
        latest.filter(at__date__gte=on - datetime.timedelta(days=60))
        .select_related("report", "report__unit", "report__period")
        .order_by("report_id", "-at", "-pk")
    )
    seen = set()
    for step in latest:
        report = step.report
        if report.pk in seen or step.to_status != report.status:
            seen.add(report.pk)
            continue
        seen.add(report.pk)
        url = reverse("reports:report_detail", args=[report.pk])
        name = f"{report.unit.name} · {report.period}"
        if report.status == ReportStatus.RETURNED:
            filer = report.submitted_by_id or report.last_saved_by_id
            targets = [filer] if filer else people.writers(report.unit_id)
            title = _("Returned to you: the report %(report)s — %(comment)s") % {
                "report": name,
                "comment": step.comment,
            }
            found += [Occasion(user, f"report-returned:{step.pk}", "report_returned", title, url) for user in targets]
        else:
            title = _("Waiting for your review: the report %(report)s") % {"report": name}
            found += [
                Occasion(user, f"report-review:{step.pk}", "report_review", title, url)
                for user in people.commanders(report.unit.parent_id)
            ]
    return found


def _terms(on, people):
    ending = MilitiaMember.objects.filter(
        status=MemberStatus.ACTIVE, term_ends_on__gte=on, term_ends_on__lte=on + datetime.timedelta(days=TERM_DAYS)
    )
    found = []
    url = reverse("militia:member_list")
    for pk, unit_id, ends, name in ending.values_list("pk", "unit_id", "term_ends_on", "person__full_name"):
        title = _("Militia term of %(name)s ends on %(date)s") % {"name": name, "date": f"{ends:%d/%m/%Y}"}
        key = f"term:{pk}:{ends:%Y%m%d}"
        found += [Occasion(user, key, "term_ending", title, f"{url}{pk}/") for user in people.writers(unit_id)]
    return found


def _deferments(on, people):
    last = on + datetime.timedelta(days=DEFERMENT_DAYS)
    found = []
    deferred = Candidate.objects.filter(stage=Stage.DEFERRED, ground_ends_on__gte=on, ground_ends_on__lte=last)
    for pk, unit_id, ends, name in deferred.values_list("pk", "commune_id", "ground_ends_on", "person__full_name"):
        title = _("The call-up deferment of %(name)s ends on %(date)s") % {"name": name, "date": f"{ends:%d/%m/%Y}"}
        url = reverse("recruitment:candidate_detail", args=[pk])
        found += [
            Occasion(u, f"deferment:{pk}:{ends:%Y%m%d}", "deferment_ending", title, url)
            for u in people.writers(unit_id)
        ]
    militia = MilitiaDutyRecord.objects.filter(kind=DutyKind.DEFERMENT, ends_on__gte=on, ends_on__lte=last)
    url = reverse("militia:duty_list")
    for pk, unit_id, ends, name in militia.values_list("pk", "unit_id", "ends_on", "person__full_name"):
        title = _("The militia deferment of %(name)s ends on %(date)s") % {"name": name, "date": f"{ends:%d/%m/%Y}"}
        found += [
            Occasion(u, f"militia-deferment:{pk}:{ends:%Y%m%d}", "deferment_ending", title, url)
            for u in people.writers(unit_id)
        ]
    return found


def _quotas(on, people):
    """Luật NVQS 2015 Điều 33: the call-up is handed over on its day; 14 days before it, a commune with fewer
    approved than its quota is reminded (and the district's officers with it)."""
    campaigns = Campaign.objects.exclude(status=CampaignStatus.CLOSED).filter(
        handover_date__gte=on, handover_date__lte=on + datetime.timedelta(days=HANDOVER_DAYS)
    )
    found = []
    quotas = Quota.objects.filter(campaign__in=campaigns)
    counts = {
        (row["campaign_id"], row["commune_id"]): row["n"]
        for row in Candidate.objects.filter(campaign__in=campaigns, stage__in=[Stage.APPROVED, Stage.HANDED_OVER])
        .values("campaign_id", "commune_id")
        .annotate(n=Count("pk"))
    }
    for quota in quotas.select_related("campaign", "commune"):
        have = counts.get((quota.campaign_id, quota.commune_id), 0)
        if have >= quota.count:
            continue
        title = _("%(commune)s: %(approved)s of %(quota)s approved, %(days)s days before the hand-over") % {
            "commune": quota.commune.name,
            "approved": have,
            "quota": quota.count,
            "days": (quota.campaign.handover_date - on).days,
        }
        url = reverse("recruitment:campaign_detail", args=[quota.campaign_id])
        users = people.writers(quota.commune_id) + people.writers(quota.campaign.district_id)
        found += [Occasion(u, f"quota:{quota.pk}", "below_quota", title, url) for u in users]
    return found


def _seventeen(on, people):
    """Luật NVQS 2015 Điều 16.1: once April opens, the commune officers hear how many of those turning 17 are
    not yet registered for the call-up prepared that year."""
    if on.month != 4:
        return []
    found = []
    campaigns = Campaign.objects.exclude(status=CampaignStatus.CLOSED).select_related("district")
    campaigns = [c for c in campaigns if c.preparation_year == on.year]
    done = set(Notification.objects.filter(key__startswith="seventeen:").values_list("user_id", "key"))
    officers = [
        (unit_id, user_id)
        for unit_id, members in people.at.items()
        for user_id, role in members
        if role == Role.COMMUNE_OFFICER
    ]
    users = get_user_model().objects.in_bulk({user_id for _unit, user_id in officers})
    for campaign in campaigns:
        for unit_id, user_id in officers:
            key = f"seventeen:{campaign.pk}:{unit_id}"
            if (user_id, key) in done or not people.paths[unit_id].startswith(campaign.district.path):
                continue
            due, _women = first_registrations(campaign=campaign, user=users[user_id], on=on)
            count = due.count()
            if not count:
                continue
            title = _("%(count)s people turning 17 are not yet registered (April registration)") % {"count": count}
            url = reverse("recruitment:register_seventeen", args=[campaign.pk])
            found.append(Occasion(user_id, key, "not_registered", title, url))
    return found
