"""factory_boy factories shared by every app's tests."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from people.models import Ethnicity, Person
from units.models import Unit, UnitKind
from units.services import assignment_create

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)
    is_active = True


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        exclude = ["kind_code"]

    kind_code = "commune"
    kind = factory.LazyAttribute(lambda o: UnitKind.objects.get(code=o.kind_code))
    name = factory.Sequence(lambda n: f"Xã {n}")
    code = factory.Sequence(lambda n: f"T{n:05d}")
    population = 5000


def _national_id(person):
    """A national ID consistent with the person's sex and birth date (Cao Bằng, code 004)."""
    digit4 = (0 if person.birth_date.year < 2000 else 2) + (0 if person.sex == "M" else 1)
    return f"004{digit4}{person.birth_date.year % 100:02d}{person.serial:06d}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        exclude = ["serial"]

    serial = factory.Sequence(lambda n: n + 1)
    full_name = factory.Sequence(lambda n: f"Lý Văn Sình {n}")
    birth_date = datetime.date(1998, 5, 17)
    sex = "M"
    ethnicity = factory.LazyFunction(lambda: Ethnicity.objects.get(name="Mông"))
    national_id = factory.LazyAttribute(_national_id)
    home_unit = factory.SubFactory(UnitFactory)
    general_education = 9


def make_user_with_role(username, unit, role, **extra):
    user = UserFactory(username=username, **extra)
    assignment_create(user=user, unit=unit, role=role)
    return get_user_model().objects.get(pk=user.pk)


def ethnicity(name):
    """One of the 54 ethnic groups loaded by the migrations."""
    return Ethnicity.objects.get(name=name)


def person_form_data(home_unit, **overrides):
    """POST data of the person form with every required field filled, as a browser sends it."""
    data = {
        "full_name": "Hoàng Văn Thắng",
        "national_id": "",
        "birth_date": "17/05/1998",
        "sex": "M",
        "ethnicity": ethnicity("Tày").pk,
        "religion": "none",
        "home_unit": home_unit.pk,
        "general_education": "12",
        "qualification": "none",
        "occupation": "",
        "party_joined_on": "",
        "phone": "",
        "notes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Militia and reserve rosters (militia app) ------------------------------------------------
# Model names as strings and imports inside the helpers: this block is appended to the file.


def _today():
    from django.utils import timezone

    return timezone.localdate()


def militia_force_type(code):
    """A militia force type loaded by the data migration: tai_cho, co_dong, thuong_truc, ..."""
    from militia.models import ForceType

    return ForceType.objects.get(code=code)


class MilitiaMemberFactory(factory.django.DjangoModelFactory):
    """An active member of the person's commune militia (local force, joined a year ago)."""

    class Meta:
        model = "militia.MilitiaMember"
        exclude = ["force_code"]

    force_code = "tai_cho"
    person = factory.SubFactory(PersonFactory)
    unit = factory.LazyAttribute(lambda o: o.person.commune)
    force_type = factory.LazyAttribute(lambda o: militia_force_type(o.force_code))
    joined_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=365))


class ReserveUnitFactory(factory.django.DjangoModelFactory):
    """A combat reserve company of a district."""

    class Meta:
        model = "militia.ReserveUnit"

    name = factory.Sequence(lambda n: f"Đại đội dự bị {n}")
    kind = "company"
    district = factory.SubFactory(UnitFactory, kind_code="district")
    is_combat = True


class ReservePostFactory(factory.django.DjangoModelFactory):
    """A post needing ten riflemen (BB-01) with the usual 10 % margin."""

    class Meta:
        model = "militia.ReservePost"

    reserve_unit = factory.SubFactory(ReserveUnitFactory)
    title = factory.Sequence(lambda n: f"Chiến sĩ bộ binh {n}")
    specialty_code = "BB-01"
    required_count = 10
    margin_percent = 10


class ReservistFactory(factory.django.DjangoModelFactory):
    """An active tier-one NCO/soldier registered at the person's commune, not placed unless given a post."""

    class Meta:
        model = "militia.Reservist"

    person = factory.SubFactory(PersonFactory)
    unit = factory.LazyAttribute(lambda o: o.person.commune)
    category = "hsq_bs"
    tier = factory.LazyAttribute(lambda o: "1" if o.category == "hsq_bs" else "")
    rank = factory.LazyAttribute(lambda o: "binh_nhat" if o.category == "hsq_bs" else "thieu_uy")
    specialty_code = "BB-01"
    registered_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=400))
    post = None
    placed_on = factory.LazyAttribute(lambda o: o.registered_on + datetime.timedelta(days=30) if o.post else None)


# --- Military-service recruitment (recruitment app) --------------------------------------------


def deferral_ground(code):
    """A ground of Luật NVQS 2015 Điều 41 loaded by the data migration: 41.1a … 41.1g, 41.2a … 41.2đ."""
    from recruitment.models import DeferralGround

    return DeferralGround.objects.get(code=code)


class CampaignFactory(factory.django.DjangoModelFactory):
    """The open 2027 call-up of a district: prepared from April 2026, handing over on 20/02/2027."""

    class Meta:
        model = "recruitment.Campaign"

    year = 2027
    district = factory.SubFactory(UnitFactory, kind_code="district")
    handover_date = datetime.date(2027, 2, 20)
    district_quota = 10
    status = "open"


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recruitment.Quota"

    campaign = factory.SubFactory(CampaignFactory)
    commune = factory.SubFactory(UnitFactory)
    count = 5


class CandidateFactory(factory.django.DjangoModelFactory):
    """A registered candidate of the person's commune, aged 20 on the hand-over date, grade 9, whose political
    standard was verified a month ago (`political_checked_on=None` for one not yet verified)."""

    class Meta:
        model = "recruitment.Candidate"

    person = factory.SubFactory(PersonFactory, birth_date=datetime.date(2006, 6, 1))
    campaign = factory.SubFactory(CampaignFactory)
    commune = factory.LazyAttribute(lambda o: o.person.commune)
    stage = "registered"
    education = 9
    political_checked_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    political_checked_by = factory.LazyAttribute(lambda o: "Công an xã" if o.political_checked_on else "")
    political_result = factory.LazyAttribute(lambda o: "meets" if o.political_checked_on else "")


# --- Commander dashboard (reports app) ---------------------------------------------------------


def bulk_militia_members(hamlet, count, **member_fields):
    """`count` active militia members living in `hamlet`, written with two bulk inserts: the query-count
    tests need a thousand of them without a thousand saves."""
    from militia import rules as militia_rules
    from militia.models import MilitiaMember
    from units.text import fold, normalize_name

    people = PersonFactory.build_batch(count, home_unit=hamlet)
    for person in people:
        person.full_name = normalize_name(person.full_name)
        person.search_key = fold(person.full_name)
    people = Person.objects.bulk_create(people)
    force_type = member_fields.pop("force_type", None) or militia_force_type("tai_cho")
    joined_on = member_fields.pop("joined_on", None) or _today() - datetime.timedelta(days=365)
    commune = hamlet if hamlet.kind.is_commune_level else hamlet.parent
    members = [
        MilitiaMember(
            person=person,
            unit=commune,
            force_type=force_type,
            joined_on=joined_on,
            term_ends_on=militia_rules.militia_term_ends_on(joined_on, force_type.term_years, 0),
            **member_fields,
        )
        for person in people
    ]
    return MilitiaMember.objects.bulk_create(members)


def activity_records(unit, name):
    """One record of every kind of activity at `unit` (the admin's matrix of scoped records)."""
    from activities.models import DutyLog, EducationCourse, PolicyFamily, PolicyVisit, Training, WorkDay
    from agenda.models import Event

    day = datetime.date(2026, 3, 26)
    family = PolicyFamily.objects.create(unit=unit, kind="fallen", head=f"Gia đình {name}")
    return {
        "duty_log": DutyLog.objects.create(unit=unit, on_date=day, officer=f"Trực ban {name}", on_duty=5),
        "training": Training.objects.create(
            unit=unit, kind="militia", title=f"Huấn luyện {name}", starts_on=day, ends_on=day
        ),
        "education_course": EducationCourse.objects.create(
            unit=unit, title=f"Bồi dưỡng {name}", starts_on=day, ends_on=day
        ),
        "policy_family": family,
        "policy_visit": PolicyVisit.objects.create(unit=unit, visited_on=day, family=family, occasion=f"Thăm {name}"),
        "work_day": WorkDay.objects.create(unit=unit, on_date=day, work=f"Dân vận {name}", place=name, participants=9),
        "event": Event.objects.create(unit=unit, kind="other", title=f"Họp {name}", starts_on=day),
    }
