"""What the portal-wide pages read."""

from people.selectors import people_summary_by_commune
from reports.dashboard import dashboard
from units.freshness import remember, scope_units, user_key
from units.scoping import get_scope


def home_figures(*, user, year, sort, period, today):
    """The dashboard's figures and the registry summary below it: five years of figures in ~45 queries, kept
    until the records of the user's units change (a commander reopening the dashboard, or changing the sort
    back, reads them from the cache). Returns (rows, totals, dashboard)."""

    def figures():
        rows = people_summary_by_commune(user=user)
        totals = {
            "people": sum(r["people"] for r in rows),
            "party": sum(r["party"] for r in rows),
            "men": sum(r["men"] for r in rows),
            "communes": len(rows),
        }
        return rows, totals, dashboard(user=user, year=year, sort=sort, today=today, period=period)

    return remember(user_key("dashboard", user, year, sort, period), figures, units=scope_units(get_scope(user)))
