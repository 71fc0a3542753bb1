"""Speed of the daily reminders (issue 18) over a province: every commune gets a commune officer, every
district a staff officer and a commander (accounts `bench-<unit code>`, made once), then the day's run
(`agenda.services.reminders_run`) is timed twice on the same day: the first makes the reminders, the second
must make none (each is made once per person and occasion).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/baolam_bench_province .venv/bin/python bench/reminders.py \\
        --on 2026-12-08 --on 2027-04-01

The database is a seeded one (`seed_demo --scale 34`: ~100,000 people, 943 units). Development settings."""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baolam_portal.settings.dev")
# The mails are kept in memory: what is measured is making and claiming them, not a mail server.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")


def accounts():
    from django.contrib.auth import get_user_model

    from units.models import Assignment, Unit
    from units.roles import Role
    from units.services import assignment_create

    User = get_user_model()
    made = 0
    wanted = []
    for unit in Unit.objects.current().communes():
        wanted.append((unit, Role.COMMUNE_OFFICER, "co"))
    for unit in Unit.objects.current().filter(children__kind__is_commune_level=True).distinct():
        wanted += [(unit, Role.DISTRICT_OFFICER, "do"), (unit, Role.COMMANDER, "ch")]
    for unit, role, tag in wanted:
        user, created = User.objects.get_or_create(
            username=f"bench-{tag}-{unit.code}", defaults={"email": f"{tag}-{unit.code}@bench.invalid"}
        )
        if created or not Assignment.objects.filter(user=user, unit=unit, role=role).exists():
            assignment_create(user=user, unit=unit, role=role)
            made += 1
    return made


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--on", action="append", help="the day of the run (yyyy-mm-dd); repeatable")
    parser.add_argument("--fresh", action="store_true", help="remove every notification first")
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from agenda import services
    from agenda.models import EmailMode, Notification, ReminderPreference

    made = accounts()
    print(f"accounts given a role: {made}")
    if args.fresh:
        Notification.objects.all().delete()
    # Every bench account wants e-mail: the commune officers a daily digest, the others each reminder.
    for user in get_user_model().objects.filter(username__startswith="bench-"):
        mode = EmailMode.DAILY if user.username.startswith("bench-co-") else EmailMode.IMMEDIATE
        ReminderPreference.objects.update_or_create(user=user, defaults={"email_mode": mode})
    for text in args.on or [datetime.date.today().isoformat()]:
        day = datetime.date.fromisoformat(text)
        for attempt in (1, 2):
            before = Notification.objects.count()
            started = time.monotonic()
            result = services.reminders_run(on=day)
            took = time.monotonic() - started
            print(
                f"{day} run {attempt}: {result['notifications']} reminders made "
                f"({Notification.objects.count() - before} new rows), {result['emails']} e-mails, {took:.1f} s"
            )
    duplicates = Notification.objects.values("user_id", "key").order_by().distinct().count()
    print(f"notifications: {Notification.objects.count()}, distinct (user, occasion): {duplicates}")
    connection.close()


if __name__ == "__main__":
    main()
