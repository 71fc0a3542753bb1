"""Demo records of the year's activities for the seeded district: what its communes did in 2025 and 2026,
so that sections I, III, VII and VIII of the demo reports fill themselves."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from militia.models import MilitiaMember

from .models import (
    Attendance,
    DutyEvent,
    DutyLog,
    EducationCourse,
    GroupCount,
    PolicyFamily,
    PolicyVisit,
    Training,
    WorkDay,
)

YEARS = (2025, 2026)
EVENTS = [
    ("flood", "Ứng cứu lũ quét, sạt lở đất"),
    ("fire", "Chữa cháy rừng"),
    ("rescue", "Tìm kiếm người mất tích"),
    ("incident", "Phối hợp giải quyết vụ việc an ninh trật tự"),
]
WORK = ["Nạo vét kênh mương", "Làm đường giao thông nông thôn", "Giúp dân thu hoạch mùa màng", "Sửa nhà cho hộ nghèo"]


def _day(rng, year, today, first_month=1, last_month=12):
    day = datetime.date(year, rng.randint(first_month, last_month), rng.randint(1, 28))
    return min(day, today)


@transaction.atomic
def seed_activities(*, communes, seed=20250326, today=None):
    """Create the demo records once; a second call changes nothing. Returns the number of records made."""
    if DutyLog.objects.filter(unit__in=communes).exists():
        return 0
    rng = random.Random(seed)
    today = today or datetime.date.today()
    made = 0
    for commune in communes:
        members = list(MilitiaMember.objects.filter(unit=commune, status="active").order_by("pk"))
        families = [
            PolicyFamily(unit=commune, kind=kind, head=f"Hộ gia đình {commune.name} {n}", soldier=f"Quân nhân {n}")
            for n, kind in enumerate(rng.choices(["serving", "fallen", "invalid"], k=rng.randint(3, 6)), start=1)
        ]
        families = bulk_create_with_history(families, PolicyFamily)
        for year in YEARS:
            if year > today.year:
                continue
            last_month = today.month if year == today.year else 12
            days = sorted({_day(rng, year, today, last_month=last_month) for _ in range(rng.randint(10, 16))})
            bulk_create_with_history(
                [
                    DutyLog(
                        unit=commune, on_date=day, officer=f"Chỉ huy trực {commune.name}", on_duty=rng.randint(4, 9)
                    )
                    for day in days
                ],
                DutyLog,
            )
            logs = DutyLog.objects.filter(unit=commune, on_date__year=year).order_by("on_date")
            events = []
            for log in logs:
                if rng.random() < 0.3:
                    kind, text = rng.choice(EVENTS)
                    events.append(DutyEvent(log=log, kind=kind, description=text, participants=rng.randint(5, 40)))
            bulk_create_with_history(events, DutyEvent)
            start = _day(rng, year, today, first_month=3, last_month=min(last_month, 6))
            training = Training.objects.create(
                unit=commune,
                kind="militia",
                title=f"Huấn luyện dân quân năm {year}",
                starts_on=start,
                ends_on=min(start + datetime.timedelta(days=12), today),
            )
            trained = [m for m in members if (m.last_trained_year or 0) >= year and rng.random() < 0.95]
            results = ["good", "fair", "pass", "fail"]
            attendance = [
                Attendance(
                    training=training,
                    person_id=m.person_id,
                    status="present",
                    result=rng.choices(results, weights=[30, 50, 17, 3])[0],
                )
                for m in trained
            ]
            bulk_create_with_history(attendance, Attendance)
            if rng.random() < 0.4:
                day = _day(rng, year, today, first_month=8, last_month=last_month)
                Training.objects.create(
                    unit=commune,
                    kind="exercise",
                    title=f"Diễn tập chiến đấu phòng thủ xã {commune.name}",
                    starts_on=day,
                    ends_on=day,
                )
            day = _day(rng, year, today, last_month=last_month)
            course = EducationCourse.objects.create(
                unit=commune, title=f"Bồi dưỡng kiến thức quốc phòng và an ninh {year}", starts_on=day, ends_on=day
            )
            counts = {"leaders": (5, 25), "hamlet_heads": (4, 12), "elders": (2, 10), "religious": (0, 3)}
            counts["students"] = (80, 400)
            bulk_create_with_history(
                [GroupCount(course=course, group=g, trained=rng.randint(*r)) for g, r in counts.items()], GroupCount
            )
            visits = [
                PolicyVisit(
                    unit=commune,
                    visited_on=min(datetime.date(year, month, day), today),
                    family=rng.choice(families),
                    occasion=occasion,
                    place=commune.name,
                    participants="Ban Chỉ huy quân sự xã",
                    gift_value=rng.choice([300_000, 500_000, 1_000_000]),
                )
                for month, day, occasion in ((1, 20, "Tết Nguyên đán"), (7, 27, "Ngày Thương binh - Liệt sĩ"))
                for _ in range(rng.randint(2, 5))
                if datetime.date(year, month, day) <= today
            ]
            bulk_create_with_history(visits, PolicyVisit)
            work = [
                WorkDay(
                    unit=commune,
                    on_date=_day(rng, year, today, last_month=last_month),
                    work=rng.choice(WORK),
                    place=commune.name,
                    participants=rng.randint(10, 40),
                    days=Decimal(rng.choice([1, 1, 2])),
                )
                for _ in range(rng.randint(2, 5))
            ]
            bulk_create_with_history(work, WorkDay)
            made += len(days) + len(events) + len(attendance) + len(visits) + len(work) + 2
    return made
