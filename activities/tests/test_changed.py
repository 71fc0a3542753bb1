"""The activities' writes mark the places they changed (units.freshness): the record's commune with its
district and province, never the neighbour; a training also the communes of the memberships whose last
trained year follows its attendance."""

import datetime

from activities import services
from militia.models import MilitiaMember
from tests.caches import places
from tests.factories import MilitiaMemberFactory, PersonFactory


def test_a_record_of_the_year_moves_its_commune_only(moved, officer, tree):
    vq = tree["vinh_quang"]
    writes = [
        lambda: services.duty_log_save(
            user=officer, unit=vq, on_date=datetime.date(2025, 9, 2), officer="Lý Văn Sình", on_duty=8
        ),
        lambda: services.policy_family_save(user=officer, unit=vq, kind="fallen", head="Nông Thị Hoa"),
        lambda: services.policy_visit_save(
            user=officer, unit=vq, visited_on=datetime.date(2025, 7, 27), occasion="27/7", gift_value=500_000
        ),
        lambda: services.work_day_save(
            user=officer,
            unit=vq,
            on_date=datetime.date(2025, 3, 26),
            work="Nạo vét kênh mương",
            place="Vĩnh Quang",
            participants=30,
        ),
    ]
    for write in writes:
        with moved() as keys:
            write()
        assert keys == places(vq)
        assert f"u{tree['ly_bon'].pk}" not in keys


def test_a_training_moves_its_commune_and_the_trained_members_communes(moved, district_officer, tree):
    member = MilitiaMemberFactory(person=PersonFactory(home_unit=tree["lb_hamlet"]))
    MilitiaMember.objects.filter(pk=member.pk).update(joined_on=datetime.date(2024, 1, 10))
    with moved() as keys:
        services.training_save(
            user=district_officer,
            unit=tree["vinh_quang"],
            kind="militia",
            title="Huấn luyện dân quân",
            starts_on=datetime.date(2025, 6, 2),
            ends_on=datetime.date(2025, 6, 20),
            safety_incidents=0,
            attendances=[{"person": member.person, "status": "present", "result": "good"}],
        )
    assert keys == places(tree["vinh_quang"], tree["ly_bon"])
