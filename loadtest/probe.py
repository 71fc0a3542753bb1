"""Run inside Django (same settings and database as gunicorn): the sample objects the load test needs.
Prints one JSON object on stdout. Called by loadtest/run.py.

{"officers": {username: {"person": pk, "report": pk or null}}, "period": pk or null, "campaign": pk,
 "commune": unit id, "commander": "chihuy"}
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baolam_portal.settings.production")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Count  # noqa: E402

from militia.models import MilitiaMember  # noqa: E402
from people.models import Person  # noqa: E402
from recruitment.models import Campaign  # noqa: E402
from reports.models import Period, Report, ReportStatus  # noqa: E402
from units.models import Assignment  # noqa: E402
from units.roles import Role  # noqa: E402


def main():
    officers = {}
    assignments = (
        Assignment.objects.filter(role=Role.COMMUNE_OFFICER, user__is_active=True)
        .select_related("user", "unit")
        .order_by("user__username")
    )
    period = Period.objects.order_by("-year", "-pk").first()
    for assignment in assignments:
        unit = assignment.unit
        person = (
            Person.objects.filter(home_unit__path__startswith=unit.path)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        report = None
        if period is not None:
            report = (
                Report.objects.filter(period=period, unit=unit, status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
                .values_list("pk", flat=True)
                .first()
            )
        if person is not None:
            officers[assignment.user.username] = {"person": person, "report": report}
    commander = (
        get_user_model()
        .objects.filter(assignments__role=Role.COMMANDER, is_active=True)
        .order_by("username")
        .values_list("username", flat=True)
        .first()
    )
    commune = (MilitiaMember.objects.values("unit").annotate(n=Count("pk")).order_by("-n", "unit").first() or {}).get(
        "unit"
    )
    result = {
        "officers": officers,
        "period": period.pk if period else None,
        "campaign": Campaign.objects.order_by("-year", "pk").values_list("pk", flat=True).first(),
        "commune": commune,
        "commander": commander,
        "people": Person.objects.count(),
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
