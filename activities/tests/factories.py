"""Records of the activities app for tests (with an event of the agenda, for the admin's matrix of scoped
records)."""

import datetime

from activities.models import DutyLog, EducationCourse, PolicyFamily, PolicyVisit, Training, WorkDay


def activity_records(unit, name):
    """One record of every kind of activity at `unit` (the admin's matrix of scoped records)."""
    from agenda.models import Event

    day = datetime.date(2026, 3, 26)
    family = PolicyFamily.objects.create(unit=unit, kind="fallen", head=f"Gia đình {name}")
    return {
        "duty_log": DutyLog.objects.create(unit=unit, on_date=day, officer=f"Trực ban {name}", on_duty=5),
        "training": Training.objects.create(
            unit=unit, kind="militia", title=f"Huấn luyện {name}", starts_on=day, ends_on=day
        ),
        "education_course": EducationCourse.objects.create(
            unit=unit, title=f"Bồi dưỡng {name}", starts_on=day, ends_on=day
        ),
        "policy_family": family,
        "policy_visit": PolicyVisit.objects.create(unit=unit, visited_on=day, family=family, occasion=f"Thăm {name}"),
        "work_day": WorkDay.objects.create(unit=unit, on_date=day, work=f"Dân vận {name}", place=name, participants=9),
        "event": Event.objects.create(unit=unit, kind="other", title=f"Họp {name}", starts_on=day),
    }
