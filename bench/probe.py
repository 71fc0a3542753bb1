"""Run inside Django (same settings and database as gunicorn): find the sample objects the bench pages
need and count the SQL queries of one request to each page. Prints one JSON object on stdout.

Called by bench/run.py; reads the page list as JSON on stdin:
{"targets": true} → {"commune": id, "campaign": pk, "reader": username, "report": pk, "period": pk,
                     "write_units": {"here": hamlet id, "elsewhere": hamlet id or null}}
{"pages": [{"name", "path", "user"}], "password": "..."} → {"queries": {name: n}, "status": {name: code}}
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baolam_portal.settings.production")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from units import freshness  # noqa: E402

HOST = "127.0.0.1"


def targets():
    """The reader is the user who sees everything: the province commander of a province-shaped seed
    (`seed_demo --scale N`, N > 1), else the district commander. The roster and campaign pages use the
    district commander and Bảo Lâm's busiest commune and latest campaign at every scale."""
    from django.contrib.auth import get_user_model

    from militia.models import MilitiaMember
    from recruitment.models import Campaign

    members = MilitiaMember.objects.filter(unit__parent__code="042")
    commune = (members.values("unit").annotate(n=Count("pk")).order_by("-n", "unit").first() or {}).get("unit")
    campaign = (
        Campaign.objects.filter(district__code="042").order_by("-year", "pk").values_list("pk", flat=True).first()
    )
    reader = "chihuytinh" if get_user_model().objects.filter(username="chihuytinh").exists() else "chihuy"
    from reports.models import Report

    # Bảo Lâm's annual report of the latest year whose communes are all approved (the seeded past year):
    # its page and its .docx carry the roll-up of every commune.
    report = (
        Report.objects.filter(unit__code="042", period__kind="year", status="approved")
        .order_by("-period__year")
        .values_list("pk", "period_id")
        .first()
    ) or (None, None)
    from units.models import Unit

    # The generations a write in a hamlet moves (units.freshness): one of the busiest commune, one of a commune
    # of another district (none at district scale).
    here = Unit.objects.filter(parent_id=commune).order_by("code").first()
    elsewhere = Unit.objects.filter(parent__parent__parent__isnull=False, parent__kind__is_commune_level=True)
    elsewhere = elsewhere.exclude(parent__parent__code="042").order_by("code").first()
    return {
        "commune": commune,
        "campaign": campaign,
        "reader": reader,
        "report": report[0],
        "period": report[1],
        "write_units": {"here": here.pk if here else None, "elsewhere": elsewhere.pk if elsewhere else None},
    }


def login(username, password):
    client = Client(HTTP_HOST=HOST)
    client.get("/login/")
    response = client.post("/login/", {"username": username, "password": password})
    if response.status_code != 302:
        raise SystemExit(f"probe: login of {username} failed with HTTP {response.status_code}")
    return client


def count_queries(pages, password, write_units):
    from django.db import transaction

    clients = {}
    queries, status = {}, {}
    for page in pages:
        user = page["user"]
        if user not in clients:
            clients[user] = login(user, password)
        client = clients[user]
        client.get(page["path"])  # warm-up: first-request caches (content types, sessions, translations)
        if page.get("cold"):
            with transaction.atomic():  # what a committed write in that hamlet does (bench/writer.py)
                freshness.changed(units=[write_units[page["cold"]]])
            freshness.forget()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page["path"])
        queries[page["name"]] = len(ctx.captured_queries)
        status[page["name"]] = response.status_code
    return {"queries": queries, "status": status}


def main():
    request = json.load(sys.stdin)
    result = (
        targets()
        if request.get("targets")
        else count_queries(request["pages"], request["password"], request["write_units"])
    )
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
