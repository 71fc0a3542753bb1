"""Reads of the calendar: what falls due in a user's units between two days, from the events kept here and
from the records that carry their own dates (report deadlines, hand-overs, list postings, militia terms and
deferments ending), each a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from militia.models import DutyKind, MemberStatus, MilitiaDutyRecord, MilitiaMember, ReserveAgeLimit, Reservist
from militia.rules import reservist_over_age_q
from recruitment.models import Campaign, Candidate, ListPosting, Stage
from reports.models import Period, Report, Target
from units.scoping import get_scope

from .models import Event, EventKind


@dataclass(frozen=True)
class Entry:
    """One line of the calendar (and one event of the feed)."""

    uid: str
    day: datetime.date
    last_day: datetime.date | None
    kind: str
    title: str
    unit: str
    url: str

    @property
    def kind_label(self):
        return EventKind(self.kind).label if self.kind in EventKind.values else self.kind


def _ancestor_ids(user):
    """The units above the user's own: their events (a district's deadlines) concern the user too."""
    ids = set()
    for assignment in get_scope(user).assignments:
        ids.update(int(part) for part in assignment.unit.path.split(".") if part)
    return ids


def _in_window(field, start, end, last_field=None):
    if last_field is None:
        return Q(**{f"{field}__gte": start, f"{field}__lte": end})
    return Q(**{f"{field}__lte": end}) & (
        Q(**{f"{last_field}__gte": start}) | Q(**{f"{last_field}__isnull": True, f"{field}__gte": start})
    )


def entries(*, user, start, end):
    """The calendar of the user's units from `start` to `end`, in date order."""
    scope = get_scope(user)
    above = _ancestor_ids(user)
    found = []
    events = Event.objects.filter(Q(scope.q("unit__path")) | Q(unit_id__in=above)).filter(
        _in_window("starts_on", start, end, "ends_on")
    )
    for event in events.select_related("unit"):
        found.append(
            Entry(f"event-{event.pk}", event.starts_on, event.ends_on, event.kind, event.title, event.unit.name, "")
        )
    periods = Period.objects.filter(due_date__gte=start, due_date__lte=end).filter(
        pk__in=Report.objects.visible_to(user).values("period_id")
    )
    for period in periods:
        title = _("Reports of %(period)s due") % {"period": period}
        url = reverse("reports:inbox")
        found.append(Entry(f"period-{period.pk}", period.due_date, None, EventKind.REPORT_DEADLINE, title, "", url))
    campaigns = Campaign.objects.filter(Q(scope.q("district__path")) | Q(district_id__in=above)).filter(
        handover_date__gte=start, handover_date__lte=end
    )
    for campaign in campaigns.select_related("district"):
        title = _("Hand-over of the %(year)s call-up") % {"year": campaign.year}
        url = reverse("recruitment:campaign_detail", args=[campaign.pk])
        found.append(
            Entry(
                f"handover-{campaign.pk}",
                campaign.handover_date,
                None,
                EventKind.HANDOVER,
                title,
                campaign.district.name,
                url,
            )
        )
    postings = ListPosting.objects.visible_to(user).filter(posted_on__gte=start, posted_on__lte=end)
    for posting in postings.select_related("commune", "campaign"):
        title = _("Lists posted: %(list)s") % {"list": posting.get_kind_display()}
        url = reverse("recruitment:campaign_postings", args=[posting.campaign_id])
        found.append(
            Entry(
                f"posting-{posting.pk}",
                posting.posted_on,
                None,
                EventKind.LIST_POSTING,
                title,
                posting.commune.name,
                url,
            )
        )
    terms = (
        MilitiaMember.objects.visible_to(user)
        .filter(status=MemberStatus.ACTIVE, term_ends_on__gte=start, term_ends_on__lte=end)
        .values("term_ends_on", "unit__name", "unit_id")
        .annotate(n=Count("pk"))
        .order_by("term_ends_on", "unit__name")
    )
    for row in terms:
        title = _("%(count)s militia term(s) end") % {"count": row["n"]}
        found.append(
            Entry(
                f"terms-{row['unit_id']}-{row['term_ends_on']:%Y%m%d}",
                row["term_ends_on"],
                None,
                EventKind.TERMS_ENDING,
                title,
                row["unit__name"],
                reverse("militia:member_list"),
            )
        )
    deferred = (
        Candidate.objects.visible_to(user)
        .filter(stage=Stage.DEFERRED, ground_ends_on__gte=start, ground_ends_on__lte=end)
        .values("ground_ends_on", "commune__name", "commune_id", "campaign_id")
        .annotate(n=Count("pk"))
        .order_by("ground_ends_on")
    )
    for row in deferred:
        title = _("%(count)s call-up deferment(s) end") % {"count": row["n"]}
        url = reverse("recruitment:candidate_list", args=[row["campaign_id"]]) + "?stage=deferred"
        found.append(
            Entry(
                f"deferred-{row['commune_id']}-{row['ground_ends_on']:%Y%m%d}",
                row["ground_ends_on"],
                None,
                EventKind.DEFERMENTS_ENDING,
                title,
                row["commune__name"],
                url,
            )
        )
    militia_deferred = (
        MilitiaDutyRecord.objects.visible_to(user)
        .filter(kind=DutyKind.DEFERMENT, ends_on__gte=start, ends_on__lte=end)
        .values("ends_on", "unit__name", "unit_id")
        .annotate(n=Count("pk"))
        .order_by("ends_on")
    )
    for row in militia_deferred:
        title = _("%(count)s militia deferment(s) end") % {"count": row["n"]}
        found.append(
            Entry(
                f"militia-deferred-{row['unit_id']}-{row['ends_on']:%Y%m%d}",
                row["ends_on"],
                None,
                EventKind.DEFERMENTS_ENDING,
                title,
                row["unit__name"],
                reverse("militia:duty_list"),
            )
        )
    found += _age_limits(user, start, end)
    targets = (
        Target.objects.visible_to(user)
        .filter(year__gte=start.year, year__lte=end.year)
        .values("year", "unit__name", "unit_id")
        .annotate(n=Count("pk"))
        .order_by("year", "unit__name")
    )
    for row in targets:
        day = datetime.date(row["year"], 12, 31)
        if start <= day <= end:
            title = _("%(count)s target(s) of %(year)s due") % {"count": row["n"], "year": row["year"]}
            found.append(
                Entry(
                    f"targets-{row['unit_id']}-{row['year']}",
                    day,
                    None,
                    EventKind.TARGETS_DUE,
                    title,
                    row["unit__name"],
                    reverse("home"),
                )
            )
    return sorted(found, key=lambda e: (e.day, e.kind, e.unit, e.uid))


def _months(start, end):
    first = start.replace(day=1)
    while first <= end:
        following = datetime.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        yield max(first, start), min(following - datetime.timedelta(days=1), end)
        first = following


def _age_limits(user, start, end):
    """Reservists who pass their age limit (Luật NVQS 2015 Điều 37, militia.rules.validate_reservist_age) in
    each month of the window: over age on its last day, not yet the day before its first. One query a month."""
    limits = ReserveAgeLimit.objects.rows()
    found = []
    url = reverse("militia:reservist_list") + "?standing=over_age"
    for first, last in _months(start, end):
        rows = (
            Reservist.objects.visible_to(user)
            .active()
            .filter(reservist_over_age_q(last, limits=limits))
            .exclude(reservist_over_age_q(first - datetime.timedelta(days=1), limits=limits))
            .values("unit__name", "unit_id")
            .annotate(n=Count("pk"))
            .order_by("unit__name")
        )
        for row in rows:
            title = _("%(count)s reservist(s) reach their age limit in %(month)s") % {
                "count": row["n"],
                "month": f"{first:%m/%Y}",
            }
            found.append(
                Entry(
                    f"age-{row['unit_id']}-{first:%Y%m}",
                    first,
                    last,
                    EventKind.AGE_LIMITS,
                    title,
                    row["unit__name"],
                    url,
                )
            )
    return found


def month_days(entries_, year, month):
    """[(day, [entries that day])] of every day of the month. An event of several days shows on its first day
    (or on the month's first day when it began before), with its last day."""
    first = datetime.date(year, month, 1)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    days = []
    day = first
    while day < following:
        days.append((day, [e for e in entries_ if max(e.day, first) == day]))
        day += datetime.timedelta(days=1)
    return days
