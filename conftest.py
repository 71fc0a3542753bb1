"""Shared fixtures: a small tree with two communes and the three users of every scoped test."""

import os

import pytest

from tests.factories import PersonFactory, UnitFactory, UserFactory, activity_records, make_user_with_role
from units.roles import Role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with an empty cache: test transactions roll back the generations (units.freshness),
    so summaries cached by an earlier test could otherwise match."""
    from tests.caches import cold

    cold()
    yield
    cold()


def _cold(assert_queries):
    """A query-count assertion that starts from an empty cache (tests/caches.py)."""
    from contextlib import contextmanager

    from tests.caches import cold

    @contextmanager
    def assert_cold(*args, **kwargs):
        cold()
        with assert_queries(*args, **kwargs) as queries:
            yield queries

    return assert_cold


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries):
    """pytest-django's, measuring the cost of a page with nothing cached, as the first view after a write."""
    return _cold(django_assert_num_queries)


@pytest.fixture
def moved(django_capture_on_commit_callbacks):
    """`with moved() as keys: service(...)`: the generation keys (units.freshness) the block's committed
    changes moved; compare with `tests.caches.places(unit, ...)`."""
    from functools import partial

    from tests.caches import moved_generations

    return partial(moved_generations, django_capture_on_commit_callbacks)


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    """pytest-django's, measuring the cost with nothing cached, as the first view after a write."""
    return _cold(django_assert_max_num_queries)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language (Vietnamese): a client request in English
    leaves English active in the thread, and no test may depend on what ran before it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def tree(db):
    """Province → district → two communes, each with two hamlets."""
    province = UnitFactory(kind_code="province", name="Cao Bằng", code="04")
    district = UnitFactory(kind_code="district", name="Bảo Lâm", code="042", parent=province)
    vinh_quang = UnitFactory(kind_code="commune", name="Vĩnh Quang", code="01300", parent=district)
    ly_bon = UnitFactory(kind_code="commune", name="Lý Bôn", code="01294", parent=district)
    return {
        "province": province,
        "district": district,
        "vinh_quang": vinh_quang,
        "ly_bon": ly_bon,
        "vq_hamlet": UnitFactory(kind_code="hamlet", name="Nà Đoỏng", code="01300-01", parent=vinh_quang),
        "vq_hamlet2": UnitFactory(kind_code="hamlet", name="Bản Tìn", code="01300-02", parent=vinh_quang),
        "lb_hamlet": UnitFactory(kind_code="hamlet", name="Nà Ké", code="01294-01", parent=ly_bon),
    }


@pytest.fixture
def officer(tree):
    """Commune officer of Vĩnh Quang: edits its people."""
    return make_user_with_role("vinhquang", tree["vinh_quang"], Role.COMMUNE_OFFICER)


@pytest.fixture
def viewer(tree):
    """Viewer at Vĩnh Quang: reads its people, edits nothing."""
    return make_user_with_role("xemvq", tree["vinh_quang"], Role.VIEWER)


@pytest.fixture
def outsider(tree):
    """Commune officer of Lý Bôn: must not see Vĩnh Quang."""
    return make_user_with_role("lybon", tree["ly_bon"], Role.COMMUNE_OFFICER)


@pytest.fixture
def commander(tree):
    return make_user_with_role("chihuy", tree["district"], Role.COMMANDER)


@pytest.fixture
def district_officer(tree):
    return make_user_with_role("trolyhuyen", tree["district"], Role.DISTRICT_OFFICER)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def vq_person(tree):
    return PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"])


@pytest.fixture
def lb_person(tree):
    return PersonFactory(full_name="Vàng Seo Páo", home_unit=tree["lb_hamlet"])


@pytest.fixture
def other_district(tree):
    """A second province and district (Hà Giang → Mèo Vạc) with one record of every scoped kind: what the
    first district's users must neither see, pick, change nor delete."""
    import datetime
    from decimal import Decimal

    from militia.models import MilitiaDutyRecord
    from recruitment.models import DeferralGround, ListPosting, RegistrationExclusion, StageChange
    from reports import services as report_services
    from reports.models import IssuingBody, Report, Target, TargetIndicator
    from tests.factories import (
        CampaignFactory,
        CandidateFactory,
        MilitiaMemberFactory,
        QuotaFactory,
        ReservePostFactory,
        ReserveUnitFactory,
        ReservistFactory,
        restructuring_of,
    )
    from units.models import DisadvantagedPeriod, Officeholder

    province = UnitFactory(kind_code="province", name="Hà Giang", code="02")
    district = UnitFactory(kind_code="district", name="Mèo Vạc", code="027", parent=province)
    commune = UnitFactory(kind_code="commune", name="Pả Vi", code="00730", parent=district)
    hamlet = UnitFactory(kind_code="hamlet", name="Pả Vi Hạ", code="00730-01", parent=commune)
    person = PersonFactory(full_name="Giàng Mí Chứ", home_unit=hamlet)
    reserve_unit = ReserveUnitFactory(name="Đại đội dự bị Mèo Vạc", district=district)
    post = ReservePostFactory(reserve_unit=reserve_unit, title="Chiến sĩ Mèo Vạc")
    campaign = CampaignFactory(district=district)
    candidate = CandidateFactory(
        person=PersonFactory(full_name="Sùng Mí Páo", home_unit=hamlet, birth_date=datetime.date(2006, 6, 1)),
        campaign=campaign,
    )
    period = report_services.period_create(kind="year", year=2024, due_date=datetime.date(2024, 12, 15))
    report_services.period_open(period=period)
    return {
        "province": province,
        "district": district,
        "commune": commune,
        "disadvantaged": DisadvantagedPeriod.objects.create(
            unit=commune, start=datetime.date(2021, 6, 4), legal_ground="Quyết định 861/QĐ-TTg"
        ),
        "hamlet": hamlet,
        "person": person,
        "member": MilitiaMemberFactory(person=PersonFactory(full_name="Vàng Mí Lử", home_unit=hamlet)),
        "reservist": ReservistFactory(person=PersonFactory(full_name="Lầu Mí Sử", home_unit=hamlet)),
        "reserve_unit": reserve_unit,
        "post": post,
        "campaign": campaign,
        "quota": QuotaFactory(campaign=campaign, commune=commune),
        "candidate": candidate,
        "stage_change": StageChange.objects.create(candidate=candidate, from_stage="", to_stage="registered"),
        "target": Target.objects.create(
            unit=district, year=2026, indicator=TargetIndicator.MILITIA_RATIO, value=Decimal("1.5")
        ),
        "issuing_body": IssuingBody.objects.create(unit=commune, name="BAN CHỈ HUY QUÂN SỰ XÃ PẢ VI"),
        "officeholder": Officeholder.objects.create(
            unit=commune, office="committee_chair", full_name="Giàng Mí Sính", start=datetime.date(2021, 7, 1)
        ),
        "period": period,
        "report": Report.objects.get(unit=commune, period=period),
        "posting": ListPosting.objects.create(
            campaign=campaign, commune=commune, kind="deferment", posted_on=datetime.date(2026, 11, 20)
        ),
        "duty_record": MilitiaDutyRecord.objects.create(
            person=PersonFactory(full_name="Mua Mí Chá", home_unit=hamlet),
            unit=commune,
            kind="registration",
            recorded_on=datetime.date(2026, 4, 10),
        ),
        "exclusion": RegistrationExclusion.objects.create(
            campaign=campaign,
            person=PersonFactory(full_name="Thào Mí Dế", home_unit=hamlet),
            commune=commune,
            ground=DeferralGround.objects.filter(code__startswith="13.").order_by("code").first(),
        ),
        "restructuring": restructuring_of(commune),
        **activity_records(commune, "Mèo Vạc"),
    }


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or {"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run transactional tests (the browser tests) last, as Django does: pytest's own fixture reordering
    for Playwright's parametrised browser can undo pytest-django's sort."""
    items.sort(key=_is_transactional)


@pytest.fixture(autouse=True)
def _reference_rows(request):
    """A transactional test starts after another one flushed every table, reference rows included:
    load the rows our data migrations provide (unit kinds, ethnic groups, force types) again."""
    if not _is_transactional(request.node):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    for module in (
        "units.migrations.0002_reference_unit_kinds",
        "people.migrations.0002_reference_ethnic_groups",
        "people.migrations.0009_reference_small_ethnic_groups",
        "recruitment.migrations.0005_reference_health_classes_provisions_grounds",
        "militia.migrations.0002_reference_force_types",
        "militia.migrations.0004_reference_militia_law_data",
        "reports.migrations.0003_annual_report_template",
    ):
        import_module(module).load(apps, None)
