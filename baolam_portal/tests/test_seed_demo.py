"""The demo seeder: idempotent, the documented accounts and roles, valid people, scoped like real data."""

import datetime
import html
import io
import os
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

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


# --- The README walkthrough: `vinhquang` opens the 2026 report from the inbox, fills it and submits --------


class FormFields(HTMLParser):
    """The named inputs and text areas of one form of a page, with the value each shows."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields, self.textarea = form_id, False, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif self.inside and tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "button"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif self.inside and tag == "textarea" and attrs.get("name"):
            self.textarea = attrs["name"]
            self.fields[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.inside = False


def form_fields(response, form_id):
    parser = FormFields(form_id)
    parser.feed(response.content.decode())
    return parser.fields


def link(response, pattern):
    found = re.search(pattern, response.content.decode(), re.DOTALL)
    assert found, f"no link matching {pattern}"
    return html.unescape(found.group(1))


def test_the_demo_reports_are_dated_in_the_order_things_happened():
    from reports.models import Period, Report, ReportComment, ReportStatus, ReportTransition

    now = timezone.now()
    for period in Period.objects.all():
        assert period.opened_at < now
        for report in period.reports.all():
            steps = list(ReportTransition.objects.filter(report=report).order_by("at", "pk"))
            times = [period.opened_at, *(s.at for s in steps)]
            assert times == sorted(times) and len(set(times)) == len(times), report
            assert all(t < now for t in times)
            if report.last_saved_at:
                assert period.opened_at < report.last_saved_at < now
            if report.submitted_at:
                assert report.last_saved_at <= report.submitted_at
            if report.status == ReportStatus.APPROVED:
                assert report.approved_at == steps[-1].at
    # Numbered in the year of their approval (Decree 30/2020, art. 15): each unit's 2025 report is its no. 1.
    for report in Report.objects.filter(period__year=2025, unit__kind__code="district"):
        assert report.doc_number == 1
    assert ReportComment.objects.exists()
    assert all(c.created_at < now for c in ReportComment.objects.all())


def test_the_readme_walkthrough_files_vinh_quangs_2026_report(client):
    from reports.models import Period, Report, ReportStatus

    period = Period.objects.get(kind="year", year=2026)
    report = Report.objects.get(period=period, unit=commune("Vĩnh Quang"))
    assert report.status == ReportStatus.DRAFT and report.submitted_at is None
    today = timezone.now()
    steps = Report.objects.filter(period=period).exclude(submitted_at=None)
    assert period.opened_at < min(r.submitted_at for r in steps)
    for other in steps.filter(status=ReportStatus.APPROVED):
        assert other.submitted_at < other.approved_at < today

    password = os.environ.get("DEMO_PASSWORD") or "baolam-demo"
    response = client.post("/login/", {"username": "vinhquang", "password": password}, follow=True)
    assert response.context["user"].username == "vinhquang"

    inbox = client.get("/reports/inbox/")
    assert inbox.status_code == 200
    detail_url = link(inbox, rf'<tr data-report="{report.pk}">.*?href="(/reports/{report.pk}/)"')
    assert "Vĩnh Quang" in inbox.content.decode()

    detail = client.get(detail_url)
    edit = client.get(link(detail, r'id="action-edit" href="([^"]+)"'))
    assert edit.status_code == 200
    fields = form_fields(edit, "report-form")
    for name, value in list(fields.items()):
        if name.startswith("text_") and not value.strip():
            fields[name] = "Ban Chỉ huy quân sự xã đã hoàn thành các nhiệm vụ được giao."
        elif name.startswith("value_") and not value.strip():
            fields[name] = "3"
    fields["then"] = "check"
    check = client.post(edit.request["PATH_INFO"], fields, follow=True)
    assert check.redirect_chain[-1][0] == f"/reports/{report.pk}/check/"
    assert check.context["missing_count"] == 0

    submit_url = link(check, r'<form method="post" action="(/reports/\d+/submit/)"')
    submitted = client.post(submit_url, {"comment": ""}, follow=True)
    assert submitted.redirect_chain[-1][0] == detail_url
    assert "Đã gửi báo cáo để duyệt." in submitted.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_at > period.opened_at


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


def test_the_demo_has_over_age_militia_the_filter_and_the_alert_show(client):
    """A few members passed the age of duty (Law 48/2019 art. 8.1) and are still on the roster: they are out
    of the strength, listed by the over-age filter and counted by the alert of members due to leave."""
    from militia import selectors
    from militia.models import MilitiaMember

    today = timezone.localdate()
    over_age = MilitiaMember.objects.filter(selectors.over_age_on_q(today))
    assert 1 <= over_age.count() <= 6
    assert not over_age.filter(selectors.in_ranks_q(today)).exists()
    for member in over_age.select_related("person", "force_type"):
        assert member.is_over_age(today) and member.term_ends_on <= member.last_day
    client.force_login(get_user_model().objects.get(username="chihuy"))
    response = client.get("/militia/members/", {"standing": "over_age"})
    assert response.context["page"].paginator.count == over_age.count()
    alerts = {a["key"]: a for a in selectors.alerts(user=get_user_model().objects.get(username="chihuy"))}
    assert alerts["reaching"]["count"] >= over_age.count()


def test_demo_reservists_hold_the_ranks_of_their_category():
    from militia import rules
    from militia.models import Reservist

    for category, rank in Reservist.objects.values_list("category", "rank").distinct():
        rules.validate_rank_for_category(category=category, rank=rank)
