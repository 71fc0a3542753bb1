"""Militia (DQTV) and reserve (DBĐV) rosters."""

from django.shortcuts import render

from units.selectors import communes_visible


def index(request):
    return render(request, "militia/index.html", {"communes": communes_visible(user=request.user)})
