"""Periodic reports of the commands: the reports home page (the user's inbox in numbers and the periods)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .views_overview import can_manage_periods, periods_page


@require_GET
def index(request):
    """How many reports wait for the user in each inbox list (counts only), and the periods."""
    box = selectors.inbox(user=request.user, limit=0)
    return render(
        request,
        "reports/index.html",
        {"box": box, "page": periods_page(request), "can_add_period": can_manage_periods(request.user)},
    )
