"""factory_boy factories of the registry: people, ethnic groups and the person form's data."""

import datetime

import factory

from people.models import Ethnicity, Person
from units.tests.factories import UnitFactory


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
