"""The writes of the "after a write" rows of `bench/run.py`: a Django process that, for each line it reads
("here" or "elsewhere"), commits what a write in that hamlet does to the summaries — a person's record
edited (people.services.person_update): `changed(units=[hamlet], records={"people"})` in a transaction. The
generations move, and the dashboard's rows of the hamlet's commune are marked stale and recomputed after the
commit (dashboard.summary), as in the writer's request; then it answers "ok". Its time is outside the
measured requests.
Input: the first line is the JSON {"here": unit id, "elsewhere": unit id or null}; then one place per line.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baolam_portal.settings.production")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from units.freshness import changed  # noqa: E402


def main():
    places = json.loads(sys.stdin.readline())
    for line in sys.stdin:
        with transaction.atomic():
            changed(units=[places[line.strip()]], records={"people"})
        print("ok", flush=True)


if __name__ == "__main__":
    main()
