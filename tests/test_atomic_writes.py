"""Nothing lost, nothing half-written: every multi-step write is atomic. A failure is injected half-way
(one of our own functions raises on its Nth call, after earlier steps have written rows) and the whole
database must be exactly as it was before: every row of every table, history included.

The database is real; only our own service steps are patched, never the ORM.

Two officers editing the same record (a report, a person, a militia member) with two clients: the
second save, made on a stale copy, is refused and the first one stands.
"""

import datetime

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import DatabaseError
from django.urls import reverse

from militia.models import MilitiaMember
from people.models import Person
from recruitment import services as recruitment_services
from recruitment.models import Candidate
from reports import rules as report_rules
from reports import services as report_services
from reports.models import DocumentNumber, Period, Report, ReportStatus, ReportTransition
from tests.factories import CampaignFactory, CandidateFactory, PersonFactory, QuotaFactory

pytestmark = pytest.mark.django_db

# Rows a request writes by itself, whatever the outcome: the session, the audit trail, axes.
NOT_COMPARED = {Session._meta.label, "units.AuditEvent", "axes.AccessLog", "axes.AccessAttempt"}


def database_state():
    """Every row of every table (but the per-request ones), as plain values: equal means nothing changed."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label in NOT_COMPARED or model._meta.proxy:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        state[model._meta.label] = [tuple(map(str, row)) for row in rows]
    return state


def fail_on_call(monkeypatch, owner, name, n):
    """Patch `owner.name` to raise a DatabaseError on its n-th call; earlier calls run the real function."""
    real, calls = getattr(owner, name), []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == n:
            raise DatabaseError("injected failure")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing)
    return calls


def assert_unchanged(before):
    after = database_state()
    changed = [label for label in before if before[label] != after.get(label)]
    assert not changed, f"tables changed by a failed write: {changed}"


# --- An import commit (militia roster): people created and updated, then the members fail ------------------


@pytest.fixture
def militia_import(client, officer, settings, tmp_path):
    from militia.tests import test_import as helpers

    settings.MILITIA_IMPORT_DIR = str(tmp_path / "imports")
    client.force_login(officer)
    return helpers


def test_a_roster_import_failing_after_writing_people_leaves_nothing(client, militia_import, monkeypatch):
    h = militia_import
    # A first import gives member 1; the second file changes member 1 and adds members 2 and 3.
    location, _page = h.preview_of(client, h.upload(client, h.xlsx([h.member_row(1)])))
    h.confirm(client, location)
    assert MilitiaMember.objects.count() == 1
    rows = [h.member_row(1, **{"Trung đội": "3", "Họ và tên": "Hoàng Văn Đổi Tên"}), h.member_row(2), h.member_row(3)]
    location, _page = h.preview_of(client, h.upload(client, h.xlsx(rows)))
    before = database_state()

    from militia.io import importing

    # Steps of the write: new people, changed people, new members, changed members — the last one fails.
    real_update = importing.bulk_update_with_history

    def failing_update(objs, model, *args, **kwargs):
        if model is MilitiaMember:
            assert Person.objects.count() == 3  # the new people are written by now
            raise DatabaseError("injected failure")
        return real_update(objs, model, *args, **kwargs)

    monkeypatch.setattr(importing, "bulk_update_with_history", failing_update)
    response = h.confirm(client, location)
    assert response.status_code == 302
    assert_unchanged(before)
    assert Person.objects.get().full_name == "Hoàng Văn Nhập 1"


# --- Stage changes -----------------------------------------------------------------------------------------


@pytest.fixture
def campaign(tree):
    campaign = CampaignFactory(district=tree["district"], year=2027)
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=5)
    return campaign


@pytest.fixture
def candidates(campaign, tree):
    return [
        CandidateFactory(
            campaign=campaign,
            person=PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(2005, 1, 1 + i)),
        )
        for i in range(3)
    ]


def test_a_stage_change_failing_after_saving_the_candidate_changes_nothing(officer, candidates, monkeypatch):
    candidate = candidates[0]
    before = database_state()
    fail_on_call(monkeypatch, recruitment_services, "_record_stage", 1)
    with pytest.raises(DatabaseError):
        recruitment_services.candidate_change_stage(candidate=candidate, to_stage="prescreened", user=officer)
    assert_unchanged(before)
    assert Candidate.objects.get(pk=candidate.pk).stage == "registered"


def test_a_bulk_stage_change_failing_on_the_third_candidate_changes_none(officer, candidates, monkeypatch):
    before = database_state()
    calls = fail_on_call(monkeypatch, recruitment_services, "_record_stage", 3)
    with pytest.raises(DatabaseError):
        recruitment_services.candidates_change_stage_bulk(
            candidates=list(Candidate.objects.order_by("pk")), to_stage="prescreened", user=officer
        )
    assert len(calls) == 3  # two candidates were moved and recorded before the failure
    assert_unchanged(before)
    assert set(Candidate.objects.values_list("stage", flat=True)) == {"registered"}


def test_the_bulk_stage_page_rolls_back_a_refused_candidate(client, officer, candidates, campaign):
    """Through the page: one candidate of the selection is refused by the rules → none moves."""
    Candidate.objects.filter(pk=candidates[1].pk).update(stage="exempt")  # exempt → prescreened is refused
    client.force_login(officer)
    before = database_state()
    response = client.post(
        reverse("recruitment:candidate_bulk_stage", args=[campaign.pk]),
        {"ids": [c.pk for c in candidates], "bulk-to_stage": "prescreened", "bulk-confirm": "on"},
    )
    assert response.status_code == 302
    assert_unchanged(before)


def test_a_carry_over_failing_half_way_registers_nobody(district_officer, campaign, candidates, tree, monkeypatch):
    later = CampaignFactory(
        district=tree["district"], year=2028, handover_date=datetime.date(2028, 2, 20), status="planning"
    )
    before = database_state()
    calls = fail_on_call(monkeypatch, recruitment_services, "_flag_duplicates", 2)
    with pytest.raises(DatabaseError):
        recruitment_services.campaign_carry_over(from_campaign=campaign, to_campaign=later, user=district_officer)
    assert len(calls) == 2
    assert_unchanged(before)
    assert not Candidate.objects.filter(campaign=later).exists()


# --- Reports: opening a period, approving a report -----------------------------------------------------------


def test_opening_a_period_failing_on_the_second_unit_creates_no_report(tree, monkeypatch):
    period = report_services.period_create(kind="year", year=2024, due_date=datetime.date(2024, 12, 15))
    before = database_state()
    fail_on_call(monkeypatch, report_rules, "issuing_names", 2)
    with pytest.raises(DatabaseError):
        report_services.period_open(period=period)
    assert_unchanged(before)
    assert not Report.objects.exists()
    assert Period.objects.get(pk=period.pk).opened_at is None


@pytest.fixture
def submitted(tree, officer):
    from reports.tests.conftest import fill_report

    period = report_services.period_create(kind="year", year=2024, due_date=datetime.date(2024, 12, 15))
    report_services.period_open(period=period)
    report = Report.objects.select_related("unit", "period", "template").get(period=period, unit=tree["vinh_quang"])
    report = fill_report(report, officer)
    return report_services.report_submit(user=officer, report=report)


def test_an_approval_failing_at_the_document_number_leaves_the_report_submitted(submitted, commander, monkeypatch):
    before = database_state()
    transitions = ReportTransition.objects.count()
    fail_on_call(monkeypatch, report_services, "allocate_number", 1)
    report = Report.objects.select_related("unit", "period", "template").get(pk=submitted.pk)
    with pytest.raises(DatabaseError):
        report_services.report_approve(user=commander, report=report)
    assert_unchanged(before)
    fresh = Report.objects.get(pk=submitted.pk)
    assert fresh.status == ReportStatus.SUBMITTED
    assert fresh.doc_number is None and fresh.approved_at is None
    assert ReportTransition.objects.count() == transitions
    assert not DocumentNumber.objects.filter(last__gt=0).exists()


# --- Two people editing the same record ---------------------------------------------------------------------


def _form_of(client, url):
    """The edit form as the browser holds it: every field with the value the page showed."""
    from tests.test_hostile_input import form_fields

    return {name: values[0] if values else "" for name, (_kind, values) in form_fields(client, url, []).items()}


def two_officers(client_class, *users):
    clients = []
    for user in users:
        c = client_class()
        c.force_login(user)
        clients.append(c)
    return clients


def test_the_second_of_two_report_saves_is_refused_not_overwritten(tree, officer, commander, monkeypatch):
    from django.test import Client

    from reports.models import SectionText
    from tests.factories import make_user_with_role
    from units.roles import Role

    period = report_services.period_create(kind="year", year=2024, due_date=datetime.date(2024, 12, 15))
    report_services.period_open(period=period)
    report = Report.objects.get(period=period, unit=tree["vinh_quang"])
    second = make_user_with_role("vinhquang2", tree["vinh_quang"], Role.COMMUNE_OFFICER)
    first_client, second_client = two_officers(Client, officer, second)
    url = reverse("reports:report_edit", args=[report.pk])
    first_form, second_form = _form_of(first_client, url), _form_of(second_client, url)
    text_field = next(name for name in first_form if name.startswith("text_"))
    first_form[text_field], second_form[text_field] = "Bản của người thứ nhất", "Bản của người thứ hai"

    assert first_client.post(url, first_form).status_code == 302
    response = second_client.post(url, second_form)
    assert response.status_code == 409  # refused, with the form still holding the second officer's text
    assert "Bản của người thứ hai" in response.content.decode()
    section = int(text_field.removeprefix("text_"))
    assert SectionText.objects.get(report=report, section_id=section).text == "Bản của người thứ nhất"
    assert Report.objects.get(pk=report.pk).version == 1


def test_the_second_of_two_person_saves_is_refused(tree, officer):
    from django.test import Client

    from tests.factories import make_user_with_role
    from units.roles import Role

    person = PersonFactory(home_unit=tree["vq_hamlet"], full_name="Tên cũ")
    second = make_user_with_role("vinhquang2", tree["vinh_quang"], Role.COMMUNE_OFFICER)
    first_client, second_client = two_officers(Client, officer, second)
    url = reverse("people:update", args=[person.pk])
    first_form, second_form = _form_of(first_client, url), _form_of(second_client, url)
    first_form["full_name"], second_form["occupation"] = "Tên mới", "Làm ruộng"
    assert first_client.post(url, first_form).status_code == 302
    response = second_client.post(url, second_form)
    assert response.status_code in (200, 409)  # the form again, with the conflict explained
    assert "Làm ruộng" in response.content.decode()  # the second officer's input is kept in the form
    person = Person.objects.get(pk=person.pk)
    assert (person.full_name, person.occupation) == ("Tên mới", "")  # the first save stands, untouched


def test_the_second_of_two_member_saves_is_refused(tree, officer):
    from django.test import Client

    from tests.factories import MilitiaMemberFactory, make_user_with_role
    from units.roles import Role

    member = MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]), platoon="1")
    second = make_user_with_role("vinhquang2", tree["vinh_quang"], Role.COMMUNE_OFFICER)
    first_client, second_client = two_officers(Client, officer, second)
    url = reverse("militia:member_update", args=[member.pk])
    first_form, second_form = _form_of(first_client, url), _form_of(second_client, url)
    first_form["platoon"], second_form["squad"] = "2", "3"
    assert first_client.post(url, first_form).status_code == 302
    response = second_client.post(url, second_form)
    assert response.status_code in (200, 409)
    member = MilitiaMember.objects.get(pk=member.pk)
    assert (member.platoon, member.squad) == ("2", "")
