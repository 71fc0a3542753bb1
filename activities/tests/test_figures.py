"""The figures the records of activities give the annual report, against hand counts for a past period:
the records of 2025 count in the 2025 report, those of 2026 do not, and a neighbour's records never."""

import datetime
from decimal import Decimal

import pytest

from activities import services
from militia.models import MilitiaMember
from tests.factories import MilitiaMemberFactory, PersonFactory
from units.figures import get_figure

Y2025 = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
Y2026 = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def value(code, unit, period):
    start, end = period
    return get_figure(code).compute(unit=unit, start=start, end=end)


@pytest.fixture
def records(tree, district_officer):
    vq, lb = tree["vinh_quang"], tree["ly_bon"]
    user = district_officer
    day = datetime.date
    # Readiness duty: 2 days in 2025 at Vĩnh Quang (6 + 8 on duty), one in 2026, one at Lý Bôn.
    services.duty_log_save(
        user=user,
        unit=vq,
        on_date=day(2025, 3, 1),
        officer="Lý Văn Sình",
        on_duty=6,
        events=[
            {"kind": "flood", "description": "Lũ quét ở Nà Đoỏng", "participants": 25},
            {"kind": "incident", "description": "Gây rối trật tự", "participants": 3},
        ],
    )
    services.duty_log_save(
        user=user,
        unit=vq,
        on_date=day(2025, 9, 2),
        officer="Lý Văn Sình",
        on_duty=8,
        events=[{"kind": "fire", "description": "Cháy rừng", "participants": 40}],
    )
    services.duty_log_save(user=user, unit=vq, on_date=day(2026, 1, 1), officer="Hoàng Văn A", on_duty=5)
    services.duty_log_save(
        user=user,
        unit=lb,
        on_date=day(2025, 5, 5),
        officer="Vàng Seo Páo",
        on_duty=7,
        events=[{"kind": "rescue", "description": "Tìm người mất tích", "participants": 10}],
    )
    # Training: at Vĩnh Quang a militia course in 2025 with four people, an exercise with an incident.
    members = [MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet"])) for _ in range(4)]
    MilitiaMember.objects.filter(pk__in=[m.pk for m in members]).update(joined_on=day(2024, 1, 10))
    services.training_save(
        user=user,
        unit=vq,
        kind="militia",
        title="Huấn luyện dân quân năm thứ nhất",
        starts_on=day(2025, 6, 2),
        ends_on=day(2025, 6, 20),
        safety_incidents=0,
        attendances=[
            {"person": members[0].person, "status": "present", "result": "good"},
            {"person": members[1].person, "status": "present", "result": "fair"},
            {"person": members[2].person, "status": "present", "result": "pass"},
            {"person": members[3].person, "status": "absent", "result": ""},
        ],
    )
    services.training_save(
        user=user,
        unit=vq,
        kind="exercise",
        title="Diễn tập chiến đấu phòng thủ xã Vĩnh Quang",
        starts_on=day(2025, 10, 1),
        ends_on=day(2025, 10, 2),
        safety_incidents=1,
    )
    services.training_save(
        user=user,
        unit=vq,
        kind="militia",
        title="Huấn luyện dân quân 2026",
        starts_on=day(2026, 5, 4),
        ends_on=day(2026, 5, 20),
        attendances=[{"person": members[3].person, "status": "present", "result": "fail"}],
    )
    # Education: a number for leaders, names for elders; a second course's names of leaders are not
    # counted again where a number is given.
    elders = [PersonFactory(home_unit=tree["vq_hamlet"]) for _ in range(2)]
    services.education_course_save(
        user=user,
        unit=vq,
        title="Bồi dưỡng kiến thức quốc phòng an ninh đối tượng 4",
        starts_on=day(2025, 4, 1),
        ends_on=day(2025, 4, 3),
        group_counts=[{"group": "leaders", "trained": 12}],
        attendees=[
            {"person": elders[0], "group": "elders"},
            {"person": elders[1], "group": "elders"},
            {"person": members[0].person, "group": "leaders"},
        ],
    )
    # Policy and civil affairs.
    family = services.policy_family_save(user=user, unit=vq, kind="fallen", head="Nông Thị Hoa", soldier="Nông Văn Tú")
    services.policy_visit_save(
        user=user, unit=vq, visited_on=day(2025, 7, 27), family=family, occasion="27/7", gift_value=1_500_000
    )
    services.policy_visit_save(user=user, unit=vq, visited_on=day(2025, 12, 22), occasion="22/12", gift_value=500_000)
    services.policy_visit_save(user=user, unit=vq, visited_on=day(2026, 2, 1), occasion="Tết", gift_value=9_000_000)
    services.work_day_save(
        user=user,
        unit=vq,
        on_date=day(2025, 3, 26),
        work="Nạo vét kênh mương",
        place="Vĩnh Quang",
        participants=30,
        days=Decimal("1.5"),
    )
    return {"members": members}


def test_the_figures_of_2025_are_the_hand_counts(tree, records):
    vq, lb, district = tree["vinh_quang"], tree["ly_bon"], tree["district"]
    assert value("activities.duty_person_shifts", vq, Y2025) == 14
    assert value("activities.duty_person_shifts", district, Y2025) == 21
    assert value("activities.rescue_operations", vq, Y2025) == 2  # flood and fire, not the incident
    assert value("activities.rescue_personnel", vq, Y2025) == 65
    assert value("activities.rescue_operations", lb, Y2025) == 1
    assert value("activities.trainings", vq, Y2025) == 2
    assert value("activities.exercises", vq, Y2025) == 1
    assert value("activities.safety_incidents", vq, Y2025) == 1
    assert value("activities.good_result_rate", vq, Y2025) == Decimal("66.7")  # 2 of 3 tested
    assert value("activities.education.leaders", vq, Y2025) == 12
    assert value("activities.education.elders", vq, Y2025) == 2
    assert value("activities.education.students", vq, Y2025) == 0
    assert value("activities.policy_visits", vq, Y2025) == 2
    assert value("activities.gift_value", vq, Y2025) == Decimal("2.0")
    assert value("activities.work_days", vq, Y2025) == Decimal("45.0")
    assert value("activities.work_days", lb, Y2025) == 0


def test_2026_counts_its_own_records(tree, records):
    vq = tree["vinh_quang"]
    assert value("activities.duty_person_shifts", vq, Y2026) == 5
    assert value("activities.rescue_operations", vq, Y2026) == 0
    assert value("activities.good_result_rate", vq, Y2026) == 0
    assert value("activities.policy_visits", vq, Y2026) == 1
    assert value("activities.gift_value", vq, Y2026) == 9


def test_the_trained_share_comes_from_attendance_year_by_year(tree, records):
    vq = tree["vinh_quang"]
    # 2025: three of the four members attended; 2026: only the one absent in 2025.
    assert value("activities.militia_trained_share", vq, Y2025) == 75
    assert value("activities.militia_trained_share", vq, Y2026) == 25
    # Half-way through 2026, before the 2026 course, nobody had trained that year yet.
    assert value("activities.militia_trained_share", vq, (Y2026[0], datetime.date(2026, 4, 30))) == 0


def test_the_last_trained_year_follows_attendance(tree, records, district_officer):
    members = records["members"]
    years = dict(MilitiaMember.objects.filter(pk__in=[m.pk for m in members]).values_list("pk", "last_trained_year"))
    assert [years[m.pk] for m in members] == [2025, 2025, 2025, 2026]
    # The 2026 attendance is taken back: the last trained year goes back to none.
    from activities.models import Training

    training = Training.objects.get(title="Huấn luyện dân quân 2026")
    services.training_save(user=district_officer, training=training, attendances=[])
    assert MilitiaMember.objects.get(pk=members[3].pk).last_trained_year is None
