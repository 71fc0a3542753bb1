"""Military-service campaigns, quotas and candidates."""

from django.shortcuts import render

from units.selectors import communes_visible


def index(request):
    return render(request, "recruitment/index.html", {"communes": communes_visible(user=request.user)})
