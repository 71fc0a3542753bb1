"""The demo seeder: idempotent, the documented accounts and roles, valid people, scoped like real data."""

import datetime
import io
import os
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from people.models import Person
from units.models import Assignment, Unit
from units.roles import Role

pytestmark = pytest.mark.django_db

ROW_LINK = re.compile(r'<a href="/people/(\d+)/">')


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module inside a transaction that is rolled back at its end (each test nests in it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", quiet=True, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def commune(name):
    return Unit.objects.get(name=name, kind__is_commune_level=True)


def people_of(unit):
    return Person.objects.filter(home_unit__path__startswith=unit.path)


def test_it_seeds_the_district(client):
    assert Person.objects.count() == 3000
    district = Unit.objects.get(code="042")
    assert district.name == "Bảo Lâm"
    communes = Unit.objects.filter(parent=district)
    assert communes.count() == 13
    for unit in communes:
        assert unit.children.exists(), f"{unit} has no hamlet"
        assert people_of(unit).exists(), f"nobody lives in {unit}"
    assert not Person.objects.filter(home_unit__in=communes).exists()  # everyone lives in a hamlet


def test_a_second_run_changes_nothing():
    before = row_counts()
    assert before["people.HistoricalPerson"] == 3000
    call_command("seed_demo", quiet=True, stdout=io.StringIO())
    after = row_counts()
    assert after == before
    for label in ("people.Person", "units.Unit", "auth.User", "units.Assignment", "people.HistoricalPerson"):
        assert after[label] == before[label] > 0


def test_it_creates_the_demo_accounts_with_their_roles():
    User = get_user_model()
    district = Unit.objects.get(code="042")
    roles = {(a.user.username, a.unit_id, a.role) for a in Assignment.objects.select_related("user")}
    assert ("chihuy", district.pk, Role.COMMANDER) in roles
    assert ("trolyhuyen", district.pk, Role.DISTRICT_OFFICER) in roles
    assert ("vinhquang", commune("Vĩnh Quang").pk, Role.COMMUNE_OFFICER) in roles
    assert ("lybon", commune("Lý Bôn").pk, Role.COMMUNE_OFFICER) in roles
    # Every commune-level unit has its officer, and the role groups follow the assignments.
    assert Assignment.objects.filter(role=Role.COMMUNE_OFFICER).count() == 13
    assert list(User.objects.get(username="chihuy").groups.values_list("name", flat=True)) == ["role:commander"]
    assert User.objects.get(username="admin").is_superuser
    password = os.environ.get("DEMO_PASSWORD") or "baolam-demo"
    assert User.objects.get(username="vinhquang").check_password(password)


def test_seeded_people_pass_the_registry_rules():
    pks = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    sample = Person.objects.filter(pk__in=pks[::60]).select_related("home_unit")
    assert len(sample) == 50
    for person in sample:
        person.full_clean()
        assert person.history.count() == 1


def test_commune_officer_lists_only_own_commune(client):
    vinh_quang, ly_bon = commune("Vĩnh Quang"), commune("Lý Bôn")
    client.force_login(get_user_model().objects.get(username="vinhquang"))
    response = client.get("/people/")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == people_of(vinh_quang).count() > 25
    shown = {int(pk) for pk in ROW_LINK.findall(response.content.decode())}
    assert len(shown) == settings.PAGE_SIZE
    assert set(people_of(vinh_quang).filter(pk__in=shown).values_list("pk", flat=True)) == shown
    assert "Lý Bôn" not in response.content.decode()

    stranger = people_of(ly_bon).first()
    assert client.get(f"/people/{stranger.pk}/").status_code == 404
    assert client.get(f"/people/{stranger.pk}/edit/").status_code == 404


def test_commander_reads_every_commune(client):
    client.force_login(get_user_model().objects.get(username="chihuy"))
    response = client.get("/people/")
    assert response.context["page"].paginator.count == 3000
    assert client.get("/people/new/").status_code == 403


def test_it_refuses_to_run_under_production_settings(settings):
    settings.DEMO_SEED_ALLOWED = False
    before = row_counts()
    with pytest.raises(CommandError, match="refuses to run under production settings"):
        call_command("seed_demo", quiet=True, stdout=io.StringIO())
    assert row_counts() == before


def test_the_2026_annual_report_shows_the_february_2026_hand_over_beside_2025s(client):
    """Campaigns are named by their hand-over: the district's 2026 report opens with the call-up handed over
    in February 2026, and last year's column holds the approved 2025 report's February 2025 hand-over."""
    from decimal import Decimal

    from recruitment.models import Campaign
    from reports.models import Report
    from reports.selectors import report_sheet

    district = Unit.objects.get(code="042")

    def rate(year):
        campaign = Campaign.objects.get(district=district, year=year)
        assert campaign.handover_date.year == year and campaign.is_closed
        handed = campaign.candidates.filter(stage="handed_over", handover_date__year=year).count()
        return (Decimal(100 * handed) / campaign.district_quota).quantize(Decimal("0.1"))

    assert rate(2026) > 90 and rate(2025) > 0
    report = Report.objects.get(unit=district, period__kind="year", period__year=2026)
    rows = [row for block in report_sheet(report)["sections"] for row in block["rows"]]
    handover = next(row for row in rows if row["indicator"].source == "recruitment.handover_rate")
    assert handover["auto"] == rate(2026)
    assert handover["last"] == rate(2025)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(get_user_model().objects.get(username="chihuy"))
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert str(rate(2026)).replace(".", ",") in page and str(rate(2025)).replace(".", ",") in page
    # The call-up being prepared is 2027's, handing over in February 2027.
    assert Campaign.objects.get(district=district, year=2027).handover_date == datetime.date(2027, 2, 20)
