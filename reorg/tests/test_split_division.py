"""A split divides the quotas of open campaigns between its parts (in proportion to the people each takes,
or as typed, adding up to the quota) and gives every part its own report for the periods under way."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from people.models import Person
from recruitment.models import Quota
from reorg import services
from reports import services as report_services
from reports.models import Report, ReportStatus
from units.models import Restructuring, Unit

from .conftest import BASIS, REFORM_DAY
from .test_split_rename_move import _parts

pytestmark = pytest.mark.django_db


def _people(world):
    """People the two parts take: the first the commune's own and its first hamlet's, the second the other's."""
    first = Person.objects.filter(home_unit__in=[world["vinh_quang"], world["vq_hamlet"]]).count()
    return [first, Person.objects.filter(home_unit=world["vq_hamlet2"]).count()]


def _quotas(world):
    return dict(
        Quota.objects.filter(campaign=world["open_campaign"], commune__code__in=["01300", "01399"])
        .exclude(commune=world["vinh_quang"])
        .values_list("commune__name", "count")
    )


def test_proportional_division_adds_up_to_the_quota():
    assert services.proportional(4, [6, 2]) == [3, 1]
    assert services.proportional(5, [1, 1]) == [3, 2]  # a tie goes to the earlier part
    assert services.proportional(7, [0, 0, 0]) == [3, 2, 2]
    assert services.proportional(10, [1, 2, 3, 4]) == [1, 2, 3, 4]
    assert sum(services.proportional(13, [466, 301, 98])) == 13


def test_the_quota_is_divided_in_proportion_to_the_people(world):
    expected = services.proportional(4, _people(world))
    plan = services.split_preview(source=world["vinh_quang"], parts=_parts(world), on=REFORM_DAY, basis=BASIS)
    assert plan.quota_division[0][1] == expected and plan.quota_division[0][2]  # proportional
    services.unit_split(source=world["vinh_quang"], parts=_parts(world), on=REFORM_DAY, basis=BASIS)
    assert _quotas(world) == {"Vĩnh Quang": expected[0], "Vĩnh Tân": expected[1]}
    # The quota of the closed campaign stays with the old commune, as history.
    assert Quota.objects.get(pk=world["quotas"][2].pk).commune == world["vinh_quang"]
    # The first part keeps the quota record, its history goes on.
    assert Quota.objects.get(pk=world["quotas"][0].pk).count == expected[0]


def test_a_division_typed_by_the_user(world):
    quota = world["quotas"][0]
    services.unit_split(
        source=world["vinh_quang"], parts=_parts(world), on=REFORM_DAY, basis=BASIS, quotas={quota.pk: [0, 4]}
    )
    assert _quotas(world) == {"Vĩnh Tân": 4}
    assert Quota.objects.get(pk=quota.pk).commune.name == "Vĩnh Tân"  # the part with a share keeps the record


def test_a_division_that_does_not_add_up_is_refused_in_vietnamese_and_nothing_changes(world):
    quota = world["quotas"][0]
    with pytest.raises(ValidationError) as refused:
        services.unit_split(
            source=world["vinh_quang"], parts=_parts(world), on=REFORM_DAY, basis=BASIS, quotas={quota.pk: [1, 1]}
        )
    assert "Chỉ tiêu gọi công dân nhập ngũ năm 2027 là 4: các phần cộng lại 2" in " ".join(refused.value.messages)
    assert Unit.objects.get(pk=world["vinh_quang"].pk).valid_to is None
    assert Quota.objects.get(pk=quota.pk).count == 4 and not Restructuring.objects.exists()
    with pytest.raises(ValidationError):
        services.unit_split(
            source=world["vinh_quang"], parts=_parts(world), on=REFORM_DAY, basis=BASIS, quotas={quota.pk: [-1, 5]}
        )


def test_each_part_files_its_own_report_and_the_old_draft_goes_to_the_part_named(world):
    p2025 = report_services.period_create(kind="year", year=2025, due_date=datetime.date(2025, 12, 15))
    report_services.period_open(period=p2025)
    old_2025 = Report.objects.get(unit=world["vinh_quang"], period=p2025)
    old_2026 = Report.objects.get(unit=world["vinh_quang"], period=world["p2026"])
    plan = services.split_preview(
        source=world["vinh_quang"], parts=_parts(world), on=REFORM_DAY, basis=BASIS, reports_to=1
    )
    previewed = sorted((unit.name, period.year) for unit, period in plan.new_reports)
    assert previewed == [("Vĩnh Quang", 2025), ("Vĩnh Quang", 2026), ("Vĩnh Tân", 2025)]
    services.unit_split(source=world["vinh_quang"], parts=_parts(world), on=REFORM_DAY, basis=BASIS, reports_to=1)
    first = Unit.objects.get(code="01300", valid_to__isnull=True)
    second = Unit.objects.get(code="01399")
    # 2025 began before the day: the old commune keeps its report (it owes it for the half it existed).
    assert Report.objects.get(pk=old_2025.pk).unit == world["vinh_quang"]
    # 2026 begins after: the old commune's draft goes to the part named, the other part gets a new report.
    assert Report.objects.get(pk=old_2026.pk).unit == second
    new = Report.objects.filter(unit__in=[first, second]).exclude(pk=old_2026.pk)
    assert sorted((r.unit.name, r.period.year) for r in new) == previewed[:1] + [("Vĩnh Quang", 2026)] + [
        ("Vĩnh Tân", 2025)
    ]
    assert all(r.status == ReportStatus.DRAFT and r.template.unit_kinds.filter(code="commune") for r in new)


def test_the_page_divides_the_quota_and_names_the_part_for_the_reports(client, world):
    client.force_login(world["district_officer"])
    url = f"/units/{world['vinh_quang'].pk}/split/"
    quota = world["quotas"][0]
    data = {
        "part1_name": "Vĩnh Quang",
        "part1_code": "01300",
        "part2_name": "Vĩnh Tân",
        "part2_code": "01399",
        f"unit_{world['vq_hamlet'].pk}": "1",
        f"unit_{world['vq_hamlet2'].pk}": "2",
        "reports_to": "2",
        "on": "01/07/2025",
        "basis_number": "1667/NQ-UBTVQH15",
        "basis_date": "16/06/2025",
    }
    page = client.get(url).content.decode()
    assert f'name="quota_{quota.pk}_part1"' in page and 'name="reports_to"' in page
    refused = client.post(url, {**data, f"quota_{quota.pk}_part1": "3", f"quota_{quota.pk}_part2": "3", "preview": 1})
    assert refused.status_code == 200 and "các phần phải cộng lại đúng bằng 4" in refused.content.decode()
    preview = client.post(url, {**data, "preview": 1})
    body = preview.content.decode()
    expected = services.proportional(4, _people(world))
    assert f"Vĩnh Quang {expected[0]}, Vĩnh Tân {expected[1]}" in body
    # The division shown is carried, written out, into the confirmation.
    assert f'name="quota_{quota.pk}_part2" value="{expected[1]}"' in body
    assert (
        client.post(
            url,
            {
                **data,
                f"quota_{quota.pk}_part2": str(expected[1]),
                f"quota_{quota.pk}_part1": str(expected[0]),
                "confirm": 1,
            },
        ).status_code
        == 302
    )
    assert _quotas(world) == {"Vĩnh Quang": expected[0], "Vĩnh Tân": expected[1]}
    assert Report.objects.get(unit__code="01399", period=world["p2026"]).status == ReportStatus.DRAFT
