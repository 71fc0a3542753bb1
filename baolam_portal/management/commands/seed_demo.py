"""Seed the demo: hamlets, about 3,000 citizens and the demo accounts. Deterministic and idempotent."""

import io
import os
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from militia.demo import seed_rosters
from people.demo import DISTRICT_POPULATION, HAMLETS, generate_people
from people.models import Ethnicity, Person
from people.text import fold
from recruitment.demo import seed_campaigns, seed_previous_campaign
from reports.demo import seed_reports
from units.models import Unit, UnitKind
from units.roles import Role
from units.services import assignment_create, roles_ensure_groups

PEOPLE_PER_SCALE = 3000
DEFAULT_PASSWORD = "baolam-demo"  # noqa: S105  (demo accounts only; never in production)
DISTRICT_CODE = "042"


def commune_username(name):
    return fold(name).replace(" ", "")


class Command(BaseCommand):
    help = "Seed demo data for Bảo Lâm (refuses to run under production settings)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the ~3,000 people by N.")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, scale, quiet, **options):
        if not getattr(settings, "DEMO_SEED_ALLOWED", False):
            raise CommandError("seed_demo refuses to run under production settings: it creates known passwords.")
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        started = time.monotonic()
        call_command("load_reference", verbosity=0, stdout=io.StringIO())
        with transaction.atomic():
            hamlets = self._seed_units()
            users = self._seed_accounts()
        created = self._seed_people(PEOPLE_PER_SCALE * scale, hamlets)
        district = Unit.objects.get(code=DISTRICT_CODE)
        communes = list(Unit.objects.filter(parent=district).order_by("code"))
        members, reservists = seed_rosters(district=district, communes=communes)
        candidates = seed_previous_campaign(district=district, communes=communes)
        candidates += seed_campaigns(district=district, communes=communes)
        reports = seed_reports(district=district, communes=communes)
        if not quiet:
            self.stdout.write(
                f"Demo data: {len(hamlets)} hamlets, {created} people created "
                f"({Person.objects.count()} in all), {members} militia members, {reservists} reservists and "
                f"{candidates} recruitment candidates created, {reports} reports filed, "
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

    def _seed_accounts(self):
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

    def _seed_people(self, count, hamlets):
        ethnicities = {e.name: e for e in Ethnicity.objects.all()}
        existing = set(Person.objects.exclude(national_id=None).values_list("national_id", flat=True))
        batch, created = [], 0
        for fields in generate_people(count, hamlets=hamlets, ethnicities=ethnicities):
            if fields["national_id"] in existing:
                continue
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
