"""The pages of the records of activities, as a commune officer, a viewer and a neighbour use them."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from activities import services
from activities.models import Attendance, Training, WorkDay
from militia.models import MilitiaMember
from tests.factories import MilitiaMemberFactory, PersonFactory
from units.models import AuditEvent


def _training_data(unit, rows, **extra):
    data = {
        "unit": unit.pk,
        "kind": "militia",
        "title": "Huấn luyện dân quân năm thứ nhất",
        "starts_on": "02/06/2025",
        "ends_on": "20/06/2025",
        "safety_incidents": "0",
        "attendances-TOTAL_FORMS": str(len(rows)),
        "attendances-INITIAL_FORMS": "0",
        "attendances-MIN_NUM_FORMS": "0",
        "attendances-MAX_NUM_FORMS": "500",
        **extra,
    }
    for index, (national_id, status, result) in enumerate(rows):
        data |= {
            f"attendances-{index}-national_id": national_id,
            f"attendances-{index}-status": status,
            f"attendances-{index}-result": result,
        }
    return data


@pytest.fixture
def member(tree):
    found = MilitiaMemberFactory(person=PersonFactory(full_name="Lý Văn Sình", home_unit=tree["vq_hamlet"]))
    MilitiaMember.objects.filter(pk=found.pk).update(joined_on=datetime.date(2024, 1, 10))
    return found


def test_the_officer_records_a_training_with_attendance(client, tree, officer, member):
    client.force_login(officer)
    rows = [(member.person.national_id, "present", "good"), ("", "present", "")]
    response = client.post(reverse("activities:create", args=["training"]), _training_data(tree["vinh_quang"], rows))
    training = Training.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("activities:detail", args=["training", training.pk])
    page = client.get(response.url).content.decode()
    assert "Lý Văn Sình" in page and "Huấn luyện dân quân năm thứ nhất" in page
    assert Attendance.objects.get().result == "good"
    assert MilitiaMember.objects.get(pk=member.pk).last_trained_year == 2025
    assert training.history.count() == 1


def test_a_person_outside_the_units_is_refused_and_nothing_is_saved(client, tree, officer, lb_person):
    client.force_login(officer)
    rows = [(lb_person.national_id, "present", "")]
    response = client.post(reverse("activities:create", args=["training"]), _training_data(tree["vinh_quang"], rows))
    assert response.status_code == 200
    assert "Không có công dân nào mang số CCCD này" in response.content.decode()
    assert not Training.objects.exists()


def test_bad_dates_are_refused_in_vietnamese(client, tree, officer):
    client.force_login(officer)
    data = _training_data(tree["vinh_quang"], [], starts_on="20/06/2025", ends_on="02/06/2025")
    response = client.post(reverse("activities:create", args=["training"]), data)
    assert response.status_code == 200
    assert "Ngày này không được trước" in response.content.decode()
    tomorrow = datetime.date.today() + datetime.timedelta(days=30)
    data = {
        "unit": tree["vinh_quang"].pk,
        "on_date": tomorrow.strftime("%d/%m/%Y"),
        "work": "Nạo vét kênh mương",
        "place": "Vĩnh Quang",
        "participants": "30",
        "days": "1",
    }
    response = client.post(reverse("activities:create", args=["workdays"]), data)
    assert "Ngày không được sau hôm nay" in response.content.decode()
    assert not Training.objects.exists() and not WorkDay.objects.exists()


def test_a_neighbours_unit_cannot_be_chosen(client, tree, officer):
    client.force_login(officer)
    data = {"unit": tree["ly_bon"].pk, "on_date": "26/03/2025", "work": "Nạo vét", "place": "Lý Bôn"}
    data |= {"participants": "3", "days": "1"}
    response = client.post(reverse("activities:create", args=["workdays"]), data)
    assert response.status_code == 200
    assert not WorkDay.objects.exists()


def test_the_viewer_reads_but_does_not_edit_and_the_neighbour_sees_nothing(client, tree, officer, viewer, outsider):
    work = services.work_day_save(
        user=officer,
        unit=tree["vinh_quang"],
        on_date=datetime.date(2025, 3, 26),
        work="Nạo vét kênh mương",
        place="Vĩnh Quang",
        participants=30,
    )
    client.force_login(viewer)
    assert client.get(reverse("activities:detail", args=["workdays", work.pk])).status_code == 200
    assert client.get(reverse("activities:update", args=["workdays", work.pk])).status_code == 403
    assert client.post(reverse("activities:create", args=["workdays"]), {}).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("activities:detail", args=["workdays", work.pk])).status_code == 404
    assert "Nạo vét kênh mương" not in client.get(reverse("activities:list", args=["workdays"])).content.decode()
    assert client.get(reverse("activities:list", args=["nothing"])).status_code == 404


def test_the_officer_edits_a_record_and_its_history_shows_it(client, tree, officer):
    work = services.work_day_save(
        user=officer,
        unit=tree["vinh_quang"],
        on_date=datetime.date(2025, 3, 26),
        work="Nạo vét kênh mương",
        place="Vĩnh Quang",
        participants=30,
    )
    client.force_login(officer)
    data = {"unit": tree["vinh_quang"].pk, "on_date": "26/03/2025", "work": "Nạo vét kênh mương"}
    data |= {"place": "Nà Đoỏng", "participants": "32", "days": "1,5"}
    response = client.post(reverse("activities:update", args=["workdays", work.pk]), data)
    assert response.status_code == 302
    work.refresh_from_db()
    assert (work.place, work.participants, str(work.days)) == ("Nà Đoỏng", 32, "1.5")
    page = client.get(response.url).content.decode()
    assert "48" in page  # 32 people × 1.5 days
    assert "Nà Đoỏng" in page


def test_the_export_holds_the_filtered_list(client, tree, officer, district_officer):
    for year, place in ((2025, "Vĩnh Quang"), (2026, "Nà Đoỏng")):
        services.work_day_save(
            user=district_officer,
            unit=tree["vinh_quang"],
            on_date=datetime.date(year, 3, 26),
            work="Nạo vét kênh mương",
            place=place,
            participants=10,
        )
    client.force_login(officer)
    response = client.get(reverse("activities:export", args=["workdays"]), {"year": "2025"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Ngày", "Đơn vị", "Công việc")
    assert [row[3] for row in rows[1:]] == ["Vĩnh Quang"]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, user=officer).exists()


@pytest.mark.parametrize("kind", ["duty", "training", "education", "families", "visits", "workdays"])
def test_a_list_costs_the_same_whatever_its_length(client, tree, district_officer, kind):
    def count():
        client.get(reverse("activities:list", args=[kind]))  # warm the caches of the request
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("activities:list", args=[kind])).status_code == 200
        return len(queries)

    def add(n):
        services.duty_log_save(
            user=district_officer,
            unit=tree["vinh_quang"],
            on_date=datetime.date(2025, 1, n + 1),
            officer="A",
            on_duty=3,
        )
        training = services.training_save(
            user=district_officer,
            unit=tree["vinh_quang"],
            kind="militia",
            title=f"Huấn luyện {n}",
            starts_on=datetime.date(2025, 2, n + 1),
            ends_on=datetime.date(2025, 2, n + 1),
        )
        services.education_course_save(
            user=district_officer,
            unit=tree["vinh_quang"],
            title=f"Bồi dưỡng {n}",
            starts_on=training.starts_on,
            ends_on=training.ends_on,
            group_counts=[{"group": "elders", "trained": 3}],
        )
        family = services.policy_family_save(user=district_officer, unit=tree["ly_bon"], kind="serving", head=f"Hộ {n}")
        services.policy_visit_save(
            user=district_officer, unit=tree["ly_bon"], visited_on=training.starts_on, family=family, occasion="Tết"
        )
        services.work_day_save(
            user=district_officer,
            unit=tree["ly_bon"],
            on_date=training.starts_on,
            work="Làm đường",
            place="Nà Ké",
            participants=5,
        )

    client.force_login(district_officer)
    add(0)
    few = count()
    for n in range(1, 9):
        add(n)
    assert count() == few


def test_the_units_militia_can_be_listed_at_once(client, tree, officer, member):
    other = MilitiaMemberFactory(person=PersonFactory(full_name="Hoàng Văn Páo", home_unit=tree["vq_hamlet2"]))
    MilitiaMember.objects.filter(pk=other.pk).update(joined_on=datetime.date(2024, 1, 10))
    client.force_login(officer)
    rows = [(member.person.national_id, "excused", "")]
    data = _training_data(tree["vinh_quang"], rows, add_militia="on")
    response = client.post(reverse("activities:create", args=["training"]), data)
    assert response.status_code == 302
    attended = dict(Attendance.objects.values_list("person__full_name", "status"))
    assert attended == {"Lý Văn Sình": "excused", "Hoàng Văn Páo": "present"}
    assert MilitiaMember.objects.get(pk=other.pk).last_trained_year == 2025
