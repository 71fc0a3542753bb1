"""Demo rosters for the seeded district: militia per commune, a reserve regiment and its reservists."""

import datetime
import random

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from people.models import Person
from people.rules import age_on

from . import rules
from .models import (
    ForceType,
    MilitiaMember,
    Position,
    ReservePlacement,
    ReservePost,
    ReserveUnit,
    Reservist,
)

# Posts of each demo reserve company: (title, specialty code, number needed).
COMPANY_POSTS = [
    ("Chiến sĩ bộ binh", "BB-01", 9),
    ("Xạ thủ súng máy", "BB-04", 3),
    ("Chiến sĩ thông tin", "TT-02", 2),
    ("Y tá", "QY-01", 1),
    ("Lái xe", "LX-03", 2),
]
SPECIALTIES = [code for _title, code, _n in COMPANY_POSTS] + ["CB-05", "PB-02"]
FORCE_WEIGHTS = {"tai_cho": 60, "co_dong": 25, "thuong_truc": 8, "phong_khong": 3, "y_te": 2, "thong_tin": 2}
# Members who passed the age of duty (Law 48/2019 art. 8.1) and are still on the roster, nobody having
# recorded their leaving: the over-age figure, alert and filter show them. One in each of the first communes.
OVER_AGE_COMMUNES = 4


@transaction.atomic
def seed_rosters(*, district, communes, seed=20241216, today=None):
    """Create the demo rosters once; a second call changes nothing. Returns (members, reservists) created."""
    if MilitiaMember.objects.filter(unit__in=communes).exists():
        return 0, 0
    rng = random.Random(seed)
    today = today or datetime.date.today()
    force_types = {ft.code: ft for ft in ForceType.objects.all()}
    posts = _seed_reserve_units(district)
    members, reservists = [], []
    capacity = {post.pk: post.required_count for post in posts}
    aside = random.Random(seed + 1)  # the over-age members draw apart: the rest of the demo stays as it was
    for index, commune in enumerate(communes):
        people = list(Person.objects.filter(home_unit__path__startswith=commune.path).order_by("national_id", "pk"))
        rng.shuffle(people)
        target = max(10, round((commune.population or 3000) * rng.uniform(0.011, 0.017)))
        enlisted = 0
        for person in people:
            age = age_on(person.birth_date, today)
            if enlisted >= target:
                break
            if 18 <= age <= rules.MILITIA_MAX_AGE[person.sex] - 2:
                code = rng.choices(list(FORCE_WEIGHTS), weights=list(FORCE_WEIGHTS.values()))[0]
                force_type = force_types[code]
                joined = today - datetime.timedelta(days=rng.randint(30, 365 * force_type.term_years - 10))
                if age_on(person.birth_date, joined) < 18:
                    joined = today - datetime.timedelta(days=20)
                members.append(
                    MilitiaMember(
                        person=person,
                        unit=commune,
                        force_type=force_type,
                        is_core=rng.random() < 0.8,
                        platoon=f"Trung đội {rng.randint(1, 3)}",
                        squad=f"Tiểu đội {rng.randint(1, 3)}",
                        position=rng.choices(
                            [Position.SOLDIER, Position.SQUAD_LEADER, Position.PLATOON_LEADER], weights=[85, 11, 4]
                        )[0],
                        joined_on=joined,
                        term_ends_on=rules.militia_term_ends_on(
                            joined,
                            force_type.term_years,
                            last_day=rules.militia_last_day(person.birth_date, person.sex, volunteer=False),
                        ),
                        last_trained_year=today.year if rng.random() < 0.75 else today.year - 1,
                    )
                )
                enlisted += 1
        if index < OVER_AGE_COMMUNES:
            over_age = _over_age_member(aside, people, {m.person_id for m in members}, commune, force_types, today)
            if over_age:
                members.append(over_age)
        in_militia = {m.person_id for m in members}
        count = 0
        for person in people:
            if person.pk in in_militia or person.sex != "M":
                continue
            age = age_on(person.birth_date, today)
            if not 24 <= age <= 44 or count >= target // 2:
                continue
            count += 1
            specialty = rng.choice(SPECIALTIES)
            post = None
            if age <= 35 and rng.random() < 0.7:
                open_posts = [p for p in posts if capacity[p.pk] > 0]
                matching = [p for p in open_posts if p.specialty_code == specialty]
                choice = matching or open_posts
                if choice:
                    post = (matching if matching and rng.random() < 0.85 else choice)[0]
                    capacity[post.pk] -= 1
            registered = today - datetime.timedelta(days=rng.randint(200, 2500))
            reservists.append(
                Reservist(
                    person=person,
                    unit=commune,
                    category=rng.choices(["hsq_bs", "qncn", "officer"], weights=[88, 7, 5])[0],
                    tier="",
                    rank=rng.choice(["binh_nhat", "ha_si", "trung_si"]),
                    specialty_code=specialty,
                    registered_on=registered,
                    post=post,
                    placed_on=registered + datetime.timedelta(days=30) if post else None,
                    specialty_matches=bool(post and post.specialty_code == specialty),
                )
            )
    for reservist in reservists:
        if reservist.category == "hsq_bs":
            reservist.tier = rng.choice(["1", "1", "2"])
        else:
            # Officers and professional soldiers hold officer ranks (rules.RANKS_OF_CATEGORY).
            reservist.rank = rng.choice(["thieu_uy", "trung_uy"])
    bulk_create_with_history(members, MilitiaMember, batch_size=1000)
    bulk_create_with_history(reservists, Reservist, batch_size=1000)
    ReservePlacement.objects.follow(reservists, today=today)
    return len(members), len(reservists)


def _over_age_member(rng, people, taken, commune, force_types, today):
    """A local-force member who joined within the age of duty and has since passed it, still active."""
    for person in people:
        if person.pk in taken or not person.birth_date:
            continue
        last_day = rules.militia_last_day(person.birth_date, person.sex, volunteer=False)
        if not today - datetime.timedelta(days=3 * 365) <= last_day < today - datetime.timedelta(days=30):
            continue
        joined = last_day - datetime.timedelta(days=rng.randint(400, 1400))
        force_type = force_types["tai_cho"]
        return MilitiaMember(
            person=person,
            unit=commune,
            force_type=force_type,
            platoon=f"Trung đội {rng.randint(1, 3)}",
            squad=f"Tiểu đội {rng.randint(1, 3)}",
            joined_on=joined,
            term_ends_on=rules.militia_term_ends_on(joined, force_type.term_years, last_day=last_day),
            last_trained_year=today.year - 1,
        )
    return None


def _seed_reserve_units(district):
    regiment, _ = ReserveUnit.objects.get_or_create(
        name="Trung đoàn bộ binh dự bị 1", district=district, defaults={"kind": "regiment", "is_combat": True}
    )
    posts = []
    for b in (1, 2, 3):
        battalion, _ = ReserveUnit.objects.get_or_create(
            name=f"Tiểu đoàn {b}", district=district, parent=regiment, defaults={"kind": "battalion"}
        )
        for c in (1, 2, 3):
            company, _ = ReserveUnit.objects.get_or_create(
                name=f"Đại đội {c} (tiểu đoàn {b})", district=district, parent=battalion, defaults={"kind": "company"}
            )
            for title, code, count in COMPANY_POSTS:
                post, _ = ReservePost.objects.get_or_create(
                    reserve_unit=company, title=title, defaults={"specialty_code": code, "required_count": count}
                )
                posts.append(post)
    return posts
