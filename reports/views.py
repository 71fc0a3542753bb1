"""Periodic reports of the commands."""

from django.shortcuts import render

from units.selectors import units_visible


def index(request):
    units = units_visible(user=request.user).exclude(parent__kind__is_commune_level=True)
    return render(request, "reports/index.html", {"units": units})
