"""The automatic figures the records of activities give the reports (units/figures.py).

Each counts the records of the unit's subtree dated within the period [start, end] (a duty day by its date,
a training or course by the day it began, a visit or a day of work by its date), so a past period's report
shows what was recorded for that period. The trained share of the militia is a figure about the strength
on the period's last day: the members in the ranks that day who attended a militia training that year.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from militia.models import MilitiaMember
from militia.selectors import in_ranks_q
from units.figures import figure
from units.selectors import subtree_on_q

from .models import (
    GOOD_RESULTS,
    RESCUE_KINDS,
    Attendance,
    AttendanceStatus,
    Attendee,
    DutyEvent,
    DutyLog,
    GroupCount,
    PolicyVisit,
    TargetGroup,
    Training,
    TrainingKind,
    WorkDay,
)


def _percent(part, whole):
    return Decimal(100 * part) / Decimal(whole) if whole else None


def _sum(queryset, expression):
    return queryset.aggregate(n=Coalesce(Sum(expression), Value(0)))["n"]


PERSON_DAYS = ExpressionWrapper(
    F("participants") * F("days"), output_field=DecimalField(max_digits=12, decimal_places=1)
)


def _logs(unit, start, end):
    return DutyLog.objects.filter(subtree_on_q(unit, end), on_date__gte=start, on_date__lte=end)


def _trainings(unit, start, end, kind=None):
    queryset = Training.objects.filter(subtree_on_q(unit, end), starts_on__gte=start, starts_on__lte=end)
    return queryset.filter(kind=kind) if kind else queryset


def _rescue_events(unit, start, end):
    within = subtree_on_q(unit, end, "log__unit__path")
    return DutyEvent.objects.filter(within, log__on_date__gte=start, log__on_date__lte=end, kind__in=RESCUE_KINDS)


# --- Section I: readiness duty, search and rescue --------------------------------------------------------


@figure("activities.duty_person_shifts", _("Readiness duty: people on duty, summed over the days"), over_period=True)
def figure_duty_person_shifts(*, unit, start, end):
    return _sum(_logs(unit, start, end), "on_duty")


@figure("activities.rescue_operations", _("Readiness duty: rescue, fire and flood events handled"), over_period=True)
def figure_rescue_operations(*, unit, start, end):
    return _rescue_events(unit, start, end).count()


@figure("activities.rescue_personnel", _("Readiness duty: people taking part in rescue events"), over_period=True)
def figure_rescue_personnel(*, unit, start, end):
    return _sum(_rescue_events(unit, start, end), "participants")


# --- Section III: training and exercises -----------------------------------------------------------------


@figure("activities.trainings", _("Training: courses and exercises held"), over_period=True)
def figure_trainings(*, unit, start, end):
    return _trainings(unit, start, end).count()


@figure("activities.exercises", _("Training: defensive-combat exercises held"), over_period=True)
def figure_exercises(*, unit, start, end):
    return _trainings(unit, start, end, TrainingKind.EXERCISE).count()


@figure("activities.reserve_drills", _("Training: reserve trainings and drills held"), over_period=True)
def figure_reserve_drills(*, unit, start, end):
    return _trainings(unit, start, end, TrainingKind.RESERVE).count()


@figure("activities.safety_incidents", _("Training: safety incidents"), over_period=True)
def figure_safety_incidents(*, unit, start, end):
    return _sum(_trainings(unit, start, end), "safety_incidents")


@figure(
    "activities.good_result_rate", _("Training: excellent and good results among those tested (%)"), over_period=True
)
def figure_good_result_rate(*, unit, start, end):
    tested = Attendance.objects.filter(
        training__in=_trainings(unit, start, end), status=AttendanceStatus.PRESENT
    ).exclude(result="")
    counts = tested.aggregate(n=Count("pk"), good=Count("pk", filter=Q(result__in=GOOD_RESULTS)))
    return _percent(counts["good"], counts["n"])


def trained_in_year_q(on):
    """Members who attended a militia training that began in `on`'s year, on or before `on`."""
    first = datetime.date(on.year, 1, 1)
    attended = Attendance.objects.filter(
        person_id=OuterRef("person_id"),
        status=AttendanceStatus.PRESENT,
        training__kind=TrainingKind.MILITIA,
        training__starts_on__gte=first,
        training__starts_on__lte=on,
    )
    return Exists(attended)


@figure("activities.militia_trained_share", _("Training: militia in the ranks who attended a training in the year (%)"))
def figure_militia_trained_share(*, unit, on):
    members = MilitiaMember.objects.filter(in_ranks_q(on)).filter(subtree_on_q(unit, on))
    counts = members.aggregate(n=Count("pk"), trained=Count("pk", filter=trained_in_year_q(on)))
    return _percent(counts["trained"], counts["n"])


# --- Section VII: defence and security education ---------------------------------------------------------


def educated(*, unit, start, end, group):
    """People of `group` trained by the courses begun in [start, end]: the number given for a course and
    group, or else the attendees listed by name."""
    courses = {"course__starts_on__gte": start, "course__starts_on__lte": end}
    within = subtree_on_q(unit, end, "course__unit__path")
    counted = GroupCount.objects.filter(within, group=group, **courses)
    named = Attendee.objects.filter(within, group=group, **courses).exclude(
        Exists(GroupCount.objects.filter(course_id=OuterRef("course_id"), group=group))
    )
    return _sum(counted, "trained") + named.count()


for _group in TargetGroup:
    figure(
        f"activities.education.{_group.value}",
        format_lazy(_("Defence education: {group} trained"), group=_group.label),
        over_period=True,
    )(lambda *, unit, start, end, group=_group.value: educated(unit=unit, start=start, end=end, group=group))


# --- Section VIII: civil affairs and the policy ----------------------------------------------------------


def _visits(unit, start, end):
    return PolicyVisit.objects.filter(subtree_on_q(unit, end), visited_on__gte=start, visited_on__lte=end)


@figure("activities.policy_visits", _("Policy: visits to families and soldiers"), over_period=True)
def figure_policy_visits(*, unit, start, end):
    return _visits(unit, start, end).count()


@figure("activities.gift_value", _("Policy: value of the gifts (million VND)"), over_period=True)
def figure_gift_value(*, unit, start, end):
    return Decimal(_sum(_visits(unit, start, end), "gift_value")) / Decimal(1_000_000)


@figure("activities.work_days", _("Civil affairs: person-days of work for the people"), over_period=True)
def figure_work_days(*, unit, start, end):
    work = WorkDay.objects.filter(subtree_on_q(unit, end), on_date__gte=start, on_date__lte=end)
    total = work.aggregate(n=Sum(PERSON_DAYS))["n"]
    return Decimal(total or 0)
