"""Speed of the papers of the year (issue 17): a commune with N citizens called up, the documents page
asked for their call-up orders (the page only enqueues the work: how long it takes to answer), then the
real database worker (`manage.py db_worker --batch`) makes the one PDF: how long until the file is ready,
and how many pages it has.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/baolam_bench_papers .venv/bin/python bench/papers.py --orders 500

The database must exist and be migrated with the reference data (`manage.py migrate && manage.py
load_reference`); the script adds a district, a commune, N citizens and a campaign of its own (named
"Bench" and removed at the start of the next run), so it may run on a demo database too. It uses the
development settings with TASKS_BACKEND=database."""

import argparse
import datetime
import io
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baolam_portal.settings.dev")
os.environ["TASKS_BACKEND"] = "database"


def setup(orders):
    from django.contrib.auth import get_user_model

    from people.models import Ethnicity, Person
    from recruitment.models import Campaign, Candidate
    from units.models import Assignment, BackgroundJob, IssuedDocument, Unit, UnitKind
    from units.roles import Role
    from units.services import assignment_create

    old = Unit.objects.filter(name="Bench", kind__code="district").first()
    if old is not None:
        Candidate.objects.filter(campaign__district=old).delete()
        Campaign.objects.filter(district=old).delete()
        Person.objects.filter(home_unit__path__startswith=old.path).delete()
        IssuedDocument.objects.filter(unit__path__startswith=old.path).delete()
        BackgroundJob.objects.filter(user__username="bench-officer").delete()
        Assignment.objects.filter(unit__path__startswith=old.path).delete()
        for unit in Unit.objects.filter(path__startswith=old.path).order_by("-depth"):
            unit.delete()
    kinds = {k.code: k for k in UnitKind.objects.all()}
    province = Unit.objects.filter(parent=None).first()
    district = Unit.objects.create(name="Bench", kind=kinds["district"], code="B999", parent=province)
    commune = Unit.objects.create(name="Bench Xã", kind=kinds["commune"], code="B99901", parent=district)
    hamlet = Unit.objects.create(name="Bench Thôn", kind=kinds["hamlet"], code="B99901-01", parent=commune)
    ethnicity = Ethnicity.objects.order_by("pk").first()
    campaign = Campaign.objects.create(
        year=2026, district=district, handover_date=datetime.date(2026, 2, 25), district_quota=orders
    )
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Nguyễn Văn Bench {n:04d}",
                search_key=f"nguyen van bench {n:04d}",
                birth_date=datetime.date(2005, 1, 1) + datetime.timedelta(days=n),
                sex="M",
                ethnicity=ethnicity,
                home_unit=hamlet,
                national_id=f"0042050{n:05d}",
            )
            for n in range(orders)
        ]
    )
    Candidate.objects.bulk_create(
        [Candidate(person=p, campaign=campaign, commune=commune, stage="approved", education=9) for p in people]
    )
    user, _created = get_user_model().objects.get_or_create(username="bench-officer")
    assignment_create(user=user, unit=commune, role=Role.COMMUNE_OFFICER)
    return campaign, commune, user


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=500)
    args = parser.parse_args()
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse
    from pypdf import PdfReader

    from units.models import BackgroundJob

    campaign, commune, user = setup(args.orders)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = reverse("recruitment:document_make", args=[campaign.pk, "callup_order"])
    data = {"callup_order-commune": commune.pk, "callup_order-fmt": "pdf", "callup_order-place": "Sân vận động"}
    client.get(reverse("recruitment:campaign_documents", args=[campaign.pk]))  # warm up
    start = time.perf_counter()
    response = client.post(url, data)
    answered = time.perf_counter() - start
    if response.status_code != 302:
        sys.exit(f"the page answered {response.status_code}: {response.content[:300]!r}")
    job = BackgroundJob.objects.filter(user=user).latest("pk")
    print(f"page answered in {answered * 1000:.0f} ms with {response.status_code} -> {response['Location']}")
    start = time.perf_counter()
    cpu_before = os.times()
    subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        check=True,
        env={**os.environ},
    )
    made = time.perf_counter() - start
    cpu = os.times()
    child_cpu = (cpu.children_user - cpu_before.children_user) + (cpu.children_system - cpu_before.children_system)
    job.refresh_from_db()
    pages = len(PdfReader(io.BytesIO(bytes(job.content))).pages) if job.content else 0
    load = os.getloadavg()[0]
    print(
        f"{job.status}: {pages} call-up orders as one PDF of {job.size // 1024} KiB in {made:.1f} s "
        f"(worker CPU {child_cpu:.1f} s, load average {load:.1f} on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
