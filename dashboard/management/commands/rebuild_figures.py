"""Recompute the dashboard's summary table (dashboard.UnitYearFigures) from the records: by default the years a
dashboard opens on (the running year's five-year trend and the next year's call-up); the rows of other years are
computed when someone asks for them.

The writes keep the table (dashboard.summary); this command rebuilds it whole: after a restore, a bulk change
made outside the services, or every night (deploy/baolam-figures.timer), so that the first dashboard of the
day reads the running year's rows as of today instead of computing them.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard import summary


class Command(BaseCommand):
    help = "Recompute the dashboard's figures per unit and year from the records."

    def add_arguments(self, parser):
        parser.add_argument("--from-year", type=int, help="First year (default: four years before this one).")
        parser.add_argument("--to-year", type=int, help="Last year (default: the next one).")

    def handle(self, *args, from_year=None, to_year=None, **options):
        today = timezone.localdate()
        first = from_year or min(summary.recent_years(today))
        last = to_year or max(summary.recent_years(today))
        if first > last:
            raise CommandError(_("The first year must not come after the last year."))
        count = summary.rebuild(years=range(first, last + 1), today=today)
        done = _("%(rows)s rows of figures recomputed for %(first)s–%(last)s.")
        self.stdout.write(done % {"rows": count, "first": first, "last": last})
