"""Enqueue the day's reminders (run it once a day: a systemd timer or cron); `--now` runs them here."""

import datetime
import time

from django.core.management.base import BaseCommand

from agenda import services
from agenda.tasks import reminders_daily


class Command(BaseCommand):
    help = "Make the day's reminders and send their e-mails (in the background worker unless --now)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run here instead of in the worker.")
        parser.add_argument("--on", help="The day (yyyy-mm-dd), today by default.")

    def handle(self, *args, now, on, **options):
        if now:
            started = time.monotonic()
            day = datetime.date.fromisoformat(on) if on else None
            result = services.reminders_run(on=day)
            self.stdout.write(
                f"{result['notifications']} reminders made, {result['emails']} e-mails sent "
                f"in {time.monotonic() - started:.1f} s."
            )
            return
        result = reminders_daily.enqueue(on)
        self.stdout.write(f"Enqueued: {result.id}")
