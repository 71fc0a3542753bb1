"""unit_merge: every kind of record either follows the place or stays with the unit that existed then."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from militia.models import MilitiaDutyRecord, MilitiaMember, ReserveUnit, Reservist
from people.models import Person
from recruitment.models import Campaign, Candidate, ListPosting, Quota, RegistrationExclusion
from reorg import services
from reorg.services import Basis, NewUnit
from reports.models import Report, Target
from units.models import Assignment, AuditEvent, Restructuring, Unit, UnitKind
from units.scoping import get_scope

from .conftest import BASIS, REFORM_DAY

pytestmark = pytest.mark.django_db


def _new_ly_bon(world):
    return NewUnit(
        name="Lý Bôn",
        code="01294",  # the official code of the old Lý Bôn passes to the merged commune
        kind=UnitKind.objects.get(code="commune"),
        parent=world["province"],
    )


def _merge(world, **kwargs):
    return services.unit_merge(
        sources=[world["ly_bon"], world["vinh_quang"]], into=_new_ly_bon(world), on=REFORM_DAY, basis=BASIS, **kwargs
    )


def test_merge_moves_what_belongs_to_the_place(world):
    record = _merge(world, by=world["district_officer"])

    new = Unit.objects.get(code="01294", valid_to__isnull=True)
    vq = Unit.objects.get(pk=world["vinh_quang"].pk)
    assert (vq.valid_to, vq.successor) == (datetime.date(2025, 6, 30), new)
    assert Unit.objects.get(pk=world["ly_bon"].pk).successor == new
    assert new.valid_from == REFORM_DAY
    assert new.population == 10000
    # Hamlets move with their people; a person registered at the commune itself changes unit.
    assert set(new.children.values_list("name", flat=True)) == {"Nà Đoỏng", "Bản Tìn", "Nà Ké"}
    assert Person.objects.get(pk=world["at_commune"].pk).home_unit == new
    assert Person.objects.filter(home_unit__path__startswith=new.path).count() == Person.objects.count()
    # Serving militia, the reservist, this year's duty record, open candidates, lists and exclusions follow.
    assert MilitiaMember.objects.get(pk=world["serving"].pk).unit == new
    assert Reservist.objects.get(pk=world["reservist"].pk).unit == new
    assert MilitiaDutyRecord.objects.get(pk=world["duty_now"].pk).unit == new
    assert Candidate.objects.get(pk=world["candidate"].pk).commune == new
    assert ListPosting.objects.get(pk=world["posting"].pk).commune == new
    assert RegistrationExclusion.objects.get(pk=world["exclusion"].pk).commune == new
    # What finished before the day stays where it happened.
    assert MilitiaMember.objects.get(pk=world["left"].pk).unit == vq
    assert MilitiaDutyRecord.objects.get(pk=world["duty_old"].pk).unit == vq
    assert Candidate.objects.get(pk=world["old_candidate"].pk).commune == vq
    assert Report.objects.get(unit=vq, period=world["p2024"]).status == "approved"
    assert Target.objects.get(pk=world["targets"][0].pk).unit == vq
    # Reports and targets of the periods from the day on: the new commune's.
    assert Report.objects.filter(period=world["p2026"], unit=new).count() == 1
    assert Target.objects.get(pk=world["targets"][1].pk).unit == new
    # The open campaign's quotas add up into one; the closed campaign's stays.
    assert list(Quota.objects.filter(campaign=world["open_campaign"]).values_list("commune", "count")) == [(new.pk, 10)]
    assert Quota.objects.get(pk=world["quotas"][2].pk).commune == vq
    # Nothing is deleted: both old communes are still there, with their history.
    assert Unit.objects.filter(pk__in=[world["ly_bon"].pk, vq.pk]).count() == 2
    assert vq.history.count() >= 2
    assert MilitiaMember.objects.get(pk=world["serving"].pk).history.first().history_change_reason
    # The change is recorded with its legal basis, and in the audit trail.
    assert record.basis == "1667/NQ-UBTVQH15"
    assert set(record.units.all()) == {world["ly_bon"], vq, new}
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.RESTRUCTURE)
    assert "1667/NQ-UBTVQH15" in event.detail and event.user == world["district_officer"]


def test_merge_moves_roles_and_keeps_history_readable(world, monkeypatch):
    _merge(world)
    new = Unit.objects.get(code="01294", valid_to__isnull=True)
    officer = world["vq_officer"]
    ended = Assignment.objects.get(user=officer, unit=world["vinh_quang"])
    assert ended.ends_on == datetime.date(2025, 6, 30)
    assert Assignment.objects.filter(user=officer, unit=new, role="commune_officer", ends_on=None).exists()
    officer.refresh_from_db()
    scope = get_scope(officer)
    # The old commune's history is readable, not writable; the new commune is both.
    assert scope.can_read_path(world["vinh_quang"].path)
    assert not scope.can_write_path(world["vinh_quang"].path)
    assert scope.can_write_path(new.path)
    assert MilitiaMember.objects.visible_to(officer).count() == 2  # the one serving and the one who left
    assert MilitiaMember.objects.editable_by(officer).count() == 1


def test_before_the_day_the_old_units_are_counted_after_it_the_new_one(world):
    from reports.selectors import units_expected

    _merge(world)
    new = Unit.objects.get(code="01294", valid_to__isnull=True)
    expected_2024 = set(units_expected(world["p2024"]).filter(kind__code="commune"))
    expected_2026 = set(units_expected(world["p2026"]).filter(kind__code="commune"))
    assert expected_2024 == {world["vinh_quang"], world["ly_bon"]}
    assert expected_2026 == {new}


def test_preview_lists_exactly_what_the_commit_moves(world):
    plan = services.merge_preview(
        sources=[world["ly_bon"], world["vinh_quang"]], into=_new_ly_bon(world), on=REFORM_DAY, basis=BASIS
    )
    assert plan.errors == []
    assert plan.line("militia").count == 1 and plan.line("militia_left").count == 1
    assert plan.line("candidates").count == 1 and plan.line("candidates_closed").count == 1
    assert plan.line("people").count == Person.objects.count()
    record = _merge(world)
    assert record.summary["moves"] == plan.summary()["moves"]


def test_bad_input_changes_nothing(world):
    before = list(Unit.objects.values_list("pk", "valid_to", "parent_id"))
    tomorrow_plus = datetime.date.today() + datetime.timedelta(days=400)
    cases = [
        {"on": tomorrow_plus},
        {"basis": Basis(number="", date=datetime.date(2025, 6, 16))},
        {"basis": Basis(number="1667/NQ", date=datetime.date(2025, 8, 1))},
        {"into": NewUnit(name="Lý Bôn", code="01300", kind=UnitKind.objects.get(code="commune"), parent=None)},
    ]
    for change in cases:
        kwargs = {"sources": [world["vinh_quang"]], "into": _new_ly_bon(world), "on": REFORM_DAY, "basis": BASIS}
        kwargs.update(change)
        if change.get("into") and change["into"].code == "01300":
            kwargs["sources"] = [world["ly_bon"]]  # Vĩnh Quang stays in force and keeps its code
        with pytest.raises(ValidationError) as exc:
            services.unit_merge(**kwargs)
        assert exc.value.messages
        assert list(Unit.objects.values_list("pk", "valid_to", "parent_id")) == before
    assert not Restructuring.objects.exists()


def test_a_merge_that_fails_half_way_leaves_nothing_changed(world):
    units_before = list(Unit.objects.order_by("pk").values_list("pk", "valid_to", "parent_id", "path"))
    members_before = list(MilitiaMember.objects.order_by("pk").values_list("pk", "unit_id"))
    original = services._move_quotas

    def broken(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("disk full")

    with mock.patch.object(services, "_move_quotas", broken), pytest.raises(RuntimeError):
        _merge(world)
    assert list(Unit.objects.order_by("pk").values_list("pk", "valid_to", "parent_id", "path")) == units_before
    assert list(MilitiaMember.objects.order_by("pk").values_list("pk", "unit_id")) == members_before
    assert Quota.objects.filter(campaign=world["open_campaign"]).count() == 2
    assert not Restructuring.objects.exists()


def test_district_merged_into_an_area_command_takes_its_campaigns_and_reserve_units(world):
    area = Unit.objects.create(
        name="Phòng thủ khu vực 1", code="PTKV1", kind=UnitKind.objects.get(code="area"), parent=world["province"]
    )
    _merge(world)
    services.unit_merge(sources=[world["district"]], into=area, on=REFORM_DAY, basis=BASIS)
    assert Campaign.objects.get(pk=world["open_campaign"].pk).district == area
    assert Campaign.objects.get(pk=world["closed_campaign"].pk).district == world["district"]
    assert ReserveUnit.objects.get(pk=world["reserve_unit"].pk).district == area
    officer = world["district_officer"]
    assert Assignment.objects.filter(user=officer, unit=area, role="district_officer").exists()


def test_policy_families_move_with_the_merged_commune_and_activities_from_the_day_on_too(world):
    from activities.models import DutyEvent, DutyLog, PolicyFamily, Training, WorkDay

    vq, lb = world["vinh_quang"], world["ly_bon"]
    family = PolicyFamily.objects.create(unit=vq, kind="fallen", head="Nông Thị Hoa")
    before = WorkDay.objects.create(
        unit=vq, on_date=datetime.date(2025, 3, 26), work="Nạo vét kênh mương", place="Vĩnh Quang", participants=30
    )
    after = WorkDay.objects.create(
        unit=vq, on_date=datetime.date(2026, 3, 26), work="Làm đường", place="Vĩnh Quang", participants=20
    )
    training = Training.objects.create(
        unit=lb,
        kind="militia",
        title="Huấn luyện dân quân năm 2026",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 4, 12),
    )
    day = datetime.date(2026, 2, 10)
    vq_log = DutyLog.objects.create(unit=vq, on_date=day, officer="Chỉ huy trực Vĩnh Quang", on_duty=5)
    lb_log = DutyLog.objects.create(unit=lb, on_date=day, officer="Chỉ huy trực Lý Bôn", on_duty=7)
    event = DutyEvent.objects.create(log=vq_log, kind="fire", description="Chữa cháy rừng", participants=12)
    old_log = DutyLog.objects.create(unit=vq, on_date=datetime.date(2025, 6, 30), officer="Trực", on_duty=4)
    plan = services.merge_preview(sources=[lb, vq], into=_new_ly_bon(world), on=REFORM_DAY, basis=BASIS)
    assert plan.line("work_days").count == 1 and plan.line("duty_logs").count == 2

    _merge(world, by=world["district_officer"])

    new = Unit.objects.get(code="01294", valid_to__isnull=True)
    assert PolicyFamily.objects.get(pk=family.pk).unit == new
    # Done before the day: stays with the commune that did it (the day before included).
    assert WorkDay.objects.get(pk=before.pk).unit_id == vq.pk
    assert DutyLog.objects.get(pk=old_log.pk).unit_id == vq.pk
    # Dated from the day on: the old communes no longer existed, the new one did it.
    assert WorkDay.objects.get(pk=after.pk).unit == new
    assert Training.objects.get(pk=training.pk).unit == new
    # Both communes on duty the same day: one log of the new commune with everyone and every event.
    merged = DutyLog.objects.get(unit=new, on_date=day)
    assert merged.on_duty == 12 and DutyEvent.objects.get(pk=event.pk).log == merged
    assert not DutyLog.objects.filter(pk__in=[vq_log.pk, lb_log.pk]).exclude(pk=merged.pk).exists()
    assert not DutyLog.objects.filter(unit__in=[vq, lb], on_date__gte=REFORM_DAY).exists()


def test_a_call_up_handed_over_after_the_day_follows_the_place_even_if_closed_since(world):
    """A reorganisation recorded after its day: the call-up handed over on 20/02/2026 (closed since) was run
    by the merged commune, so its quotas and candidates are the merged commune's; the call-up handed over
    before the day stays with the communes that existed then."""
    from tests.factories import CampaignFactory, CandidateFactory, PersonFactory, QuotaFactory

    vq, lb = world["vinh_quang"], world["ly_bon"]
    held_after = CampaignFactory(
        district=world["district"], year=2026, handover_date=datetime.date(2026, 2, 20), status="closed"
    )
    QuotaFactory(campaign=held_after, commune=vq, count=3)
    QuotaFactory(campaign=held_after, commune=lb, count=5)
    recruit = CandidateFactory(
        person=PersonFactory(home_unit=world["lb_hamlet"], birth_date=datetime.date(2006, 1, 1)),
        campaign=held_after,
        stage="handed_over",
    )
    plan = services.merge_preview(
        sources=[world["ly_bon"], world["vinh_quang"]], into=_new_ly_bon(world), on=REFORM_DAY, basis=BASIS
    )
    assert plan.line("quotas").count == 4  # the open 2027 call-up's two, and 2026's two
    _merge(world)
    new = Unit.objects.get(code="01294", valid_to__isnull=True)
    assert list(Quota.objects.filter(campaign=held_after).values_list("commune_id", "count")) == [(new.pk, 8)]
    assert Candidate.objects.get(pk=recruit.pk).commune == new
    assert Quota.objects.get(pk=world["quotas"][2].pk).commune == vq
    assert Candidate.objects.get(pk=world["old_candidate"].pk).commune == vq
