"""Seed the demo: hamlets, about 3,000 citizens and the demo accounts. Deterministic and idempotent.

`--scale N` (N > 1) makes it province-shaped: Bảo Lâm exactly as at scale 1, plus synthetic districts of the
same province (about one per 10,000 extra people, 14 communes of 5 hamlets each) holding the other
(N - 1) × 3,000 people, each with its militia, reservists and six recruitment campaigns (the call-ups
handed over in 2022–2026 and the 2027 one in preparation), and a province-level commander account
(`chihuytinh`) that reads them all.
"""

import io
import os
import random
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from activities.demo import seed_activities
from agenda.services import calendar_seed
from militia.demo import seed_rosters
from people.demo import DISTRICT_POPULATION, HAMLETS, generate_people
from people.models import Ethnicity, Person
from recruitment.demo import (
    PREVIOUS_YEAR,
    seed_campaigns,
    seed_closed_campaigns,
    seed_disadvantaged,
    seed_earlier_campaign,
    seed_previous_campaign,
)
from reorg.demo import apply_reform, reform_applied
from reports.demo import PAST_YEAR, seed_reports
from units.demo import commune_username
from units.freshness import changed
from units.models import Unit, UnitKind
from units.roles import Role
from units.services import assignment_create, roles_ensure_groups

PEOPLE_PER_SCALE = 3000
DEFAULT_PASSWORD = "baolam-demo"  # noqa: S105  (demo accounts only; never in production)
DISTRICT_CODE = "042"
PROVINCE_CODE = "04"
PROVINCE_USERNAME = "chihuytinh"
# Synthetic districts of the province-shaped demo (real district names of Cao Bằng; a number is added
# once the list is used up).
SYNTHETIC_DISTRICTS = [
    "Bảo Lạc",
    "Hà Quảng",
    "Trùng Khánh",
    "Hạ Lang",
    "Quảng Hòa",
    "Hòa An",
    "Nguyên Bình",
    "Thạch An",
    "Thông Nông",
    "Trà Lĩnh",
]
SYNTHETIC_COMMUNES = 14
SYNTHETIC_HAMLETS = 5
PEOPLE_PER_SYNTHETIC_DISTRICT = 10000
# Campaigns are named by their hand-over year: 2022–2026 handed over, 2027 in preparation; the last three
# are seeded as in Bảo Lâm.
CAMPAIGN_YEARS = range(2022, 2028)


class Command(BaseCommand):
    help = "Seed demo data for Bảo Lâm (refuses to run under production settings)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the ~3,000 people by N.")
        parser.add_argument("--quiet", action="store_true")
        parser.add_argument(
            "--reform-2025",
            action="store_true",
            dest="reform",
            help="Then apply the reorganisation of 1 July 2025 (six communes, an area defence command).",
        )

    def handle(self, *args, scale, quiet, reform=False, **options):
        if not getattr(settings, "DEMO_SEED_ALLOWED", False):
            raise CommandError("seed_demo refuses to run under production settings: it creates known passwords.")
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        # Once reorganised, the demo's district has ended: its seed is not run again over the new units.
        if not reform_applied():
            self._seed_default(scale, quiet)
        if reform:
            line = apply_reform(password=os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD)
            if not quiet:
                self.stdout.write(line)

    def _seed_default(self, scale, quiet):
        started = time.monotonic()
        call_command("load_reference", verbosity=0, stdout=io.StringIO())
        with transaction.atomic():
            hamlets = self._seed_units()
            districts = self._seed_synthetic_units(scale)
            users = self._seed_accounts(province=bool(districts))
        created = self._seed_people(PEOPLE_PER_SCALE, hamlets)
        extra = PEOPLE_PER_SCALE * (scale - 1)
        for index, (district, _communes, district_hamlets) in enumerate(districts):
            share = extra // len(districts) + (1 if index < extra % len(districts) else 0)
            created += self._seed_people(share, district_hamlets, seed=20241215 + district.pk)
        district = Unit.objects.get(code=DISTRICT_CODE)
        communes = list(Unit.objects.filter(parent=district).order_by("code"))
        members, reservists = seed_rosters(district=district, communes=communes)
        # The hand-overs of February 2026 and 2025 first: the 2027 call-up's pool leaves their recruits out.
        seed_disadvantaged(communes=communes)
        candidates = seed_previous_campaign(district=district, communes=communes)
        candidates += seed_earlier_campaign(district=district, communes=communes)
        candidates += seed_campaigns(district=district, communes=communes)
        for other, other_communes, _hamlets in districts:
            m, r = seed_rosters(district=other, communes=other_communes, seed=20241216 + other.pk)
            members, reservists = members + m, reservists + r
            seed_disadvantaged(communes=other_communes)
            candidates += seed_closed_campaigns(
                district=other, communes=other_communes, years=[y for y in CAMPAIGN_YEARS if y <= PREVIOUS_YEAR]
            )
            candidates += seed_campaigns(district=other, communes=other_communes, seed=20261120 + other.pk)
        if districts:
            # Bảo Lâm's older campaigns come after its 2025–2027 ones so that scale 1 stays as it is.
            candidates += seed_closed_campaigns(
                district=district, communes=communes, years=[y for y in CAMPAIGN_YEARS if y < PREVIOUS_YEAR]
            )
        activities = seed_activities(communes=communes)
        for year in (PAST_YEAR, PAST_YEAR + 1, PAST_YEAR + 2):
            calendar_seed(year=year)
        # The report periods are opened for every unit of the tree. At district scale the filed reports are
        # Bảo Lâm's 2025 and 2026 ones; a province-shaped seed files every district's reports of the
        # past years, back to the first campaign year (five years with 2026).
        reports = seed_reports(
            district=district,
            communes=communes,
            others=[(other, other_communes) for other, other_communes, _hamlets in districts],
            years_back=(PAST_YEAR - min(CAMPAIGN_YEARS)) if districts else 0,
        )
        changed(everything=True)  # written in bulk, outside the services: every summary is stale
        if not quiet:
            self.stdout.write(
                f"Demo data: {len(hamlets)} hamlets and {len(districts)} synthetic districts, {created} people created "
                f"({Person.objects.count()} in all), {members} militia members, {reservists} reservists and "
                f"{candidates} recruitment candidates created, {activities} activity records, {reports} reports filed, "
                f"{users} accounts created, in {time.monotonic() - started:.1f} s."
            )

    def _seed_units(self):
        hamlet_kind = UnitKind.objects.get(code="hamlet")
        district = Unit.objects.get(code=DISTRICT_CODE)
        if district.population is None:
            district.population = DISTRICT_POPULATION
            district.save()
        hamlets = []
        existing = {u.code: u for u in Unit.objects.filter(kind=hamlet_kind)}
        for commune in Unit.objects.filter(parent=district).order_by("code"):
            population, names = HAMLETS[commune.code]
            if commune.population is None:
                commune.population = population
                commune.save()
            for index, name in enumerate(names, start=1):
                code = f"{commune.code}-{index:02d}"
                hamlet = existing.get(code)
                if hamlet is None:
                    hamlet = Unit(
                        name=name, kind=hamlet_kind, code=code, parent=commune, population=population // len(names)
                    )
                    hamlet.save()
                hamlets.append(hamlet)
        return hamlets

    def _seed_synthetic_units(self, scale):
        """Synthetic districts for scale > 1: [(district, communes, hamlets)], the same for the same scale."""
        if scale <= 1:
            return []
        kinds = {k.code: k for k in UnitKind.objects.all()}
        province = Unit.objects.get(code=PROVINCE_CODE)
        count = max(1, round(PEOPLE_PER_SCALE * (scale - 1) / PEOPLE_PER_SYNTHETIC_DISTRICT))
        existing = {u.code: u for u in Unit.objects.filter(code__startswith="9")}
        rng = random.Random(20241214)
        result = []

        def unit(code, name, kind, parent, population):
            found = existing.get(code)
            if found is None:
                found = Unit(code=code, name=name, kind=kinds[kind], parent=parent, population=population)
                found.save()
            return found

        for d in range(count):
            base = SYNTHETIC_DISTRICTS[d % len(SYNTHETIC_DISTRICTS)]
            name = base if d < len(SYNTHETIC_DISTRICTS) else f"{base} {d // len(SYNTHETIC_DISTRICTS) + 1}"
            populations = [rng.randint(3600, 6900) for _ in range(SYNTHETIC_COMMUNES)]
            district = unit(f"9{d:03d}", name, "district", province, sum(populations))
            communes, hamlets = [], []
            for c, population in enumerate(populations, start=1):
                commune = unit(f"9{d:03d}{c:02d}", f"Xã {c} ({name})", "commune", district, population)
                communes.append(commune)
                for h in range(1, SYNTHETIC_HAMLETS + 1):
                    hamlets.append(
                        unit(
                            f"9{d:03d}{c:02d}-{h:02d}",
                            f"Thôn {h} xã {c} ({name})",
                            "hamlet",
                            commune,
                            population // SYNTHETIC_HAMLETS,
                        )
                    )
            result.append((district, communes, hamlets))
        return result

    def _seed_accounts(self, *, province=False):
        roles_ensure_groups()
        # One hash for every demo account: hashing is deliberately slow, and these are demo passwords.
        password_hash = make_password(os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD)
        User = get_user_model()
        district = Unit.objects.get(code=DISTRICT_CODE)
        wanted = [
            ("admin", "Quản trị", "hệ thống", None, None, True),
            ("chihuy", "Nông Văn", "Hùng", district, Role.COMMANDER, False),
            ("trolyhuyen", "Hoàng Thị", "Lan", district, Role.DISTRICT_OFFICER, False),
        ]
        if province:
            wanted.append(
                (PROVINCE_USERNAME, "Chỉ huy", "tỉnh", Unit.objects.get(code=PROVINCE_CODE), Role.COMMANDER, False)
            )
        for commune in Unit.objects.filter(parent=district).order_by("code"):
            wanted.append(
                (commune_username(commune.name), "Ban CHQS", commune.name, commune, Role.COMMUNE_OFFICER, False)
            )
        created = 0
        for username, first, last, unit, role, superuser in wanted:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    is_superuser=superuser,
                    is_staff=superuser or role == Role.DISTRICT_OFFICER,
                )
                user.password = password_hash
                user.save()
                created += 1
            if unit is not None:
                assignment_create(user=user, unit=unit, role=role)
        return created

    def _seed_people(self, count, hamlets, **kwargs):
        ethnicities = {e.name: e for e in Ethnicity.objects.all()}
        existing = set(Person.objects.exclude(national_id=None).values_list("national_id", flat=True))
        batch, created = [], 0
        for fields in generate_people(count, hamlets=hamlets, ethnicities=ethnicities, **kwargs):
            if fields["national_id"] in existing:
                continue
            existing.add(fields["national_id"])
            batch.append(Person(**fields))
            if len(batch) >= 5000:
                created += self._flush(batch)
        created += self._flush(batch)
        return created

    @staticmethod
    def _flush(batch):
        if not batch:
            return 0
        with transaction.atomic():
            bulk_create_with_history(batch, Person, batch_size=1000)
        count = len(batch)
        batch.clear()
        return count
