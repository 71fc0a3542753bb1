"""The commander's dashboard: targets, figures per commune, charts, drill-down and its one-page print."""

from django.shortcuts import render
from django.utils import timezone

from units.scoping import get_scope

from .selectors import home_figures


def home(request, *, printable=False):
    """The commander dashboard of the user's units (a commune officer's: their commune), with the registry
    summary below it; `printable` gives the one-page A4 version for briefings."""
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today)
    printable = printable or request.GET.get("print") == "1"
    sort, period = request.GET.get("sort", ""), request.GET.get("period")
    rows, totals, dash = home_figures(user=request.user, year=year, sort=sort, period=period, today=today)
    context = {
        "rows": rows,
        "totals": totals,
        "assignments": get_scope(request.user).assignments,
        "dash": dash,
        "printable": printable,
    }
    return render(request, "dashboard/home.html", context)


def dashboard_print(request):
    return home(request, printable=True)


def _year(value, today):
    """The year asked for, within the ten years the selector offers; anything else is this year."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year
    return year if today.year - 9 <= year <= today.year else today.year
