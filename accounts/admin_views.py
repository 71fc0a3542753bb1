"""The admin page of all recorded changes by a user or to a unit in a period."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from units.models import Unit
from units.scoping import get_scope

from .changes import changes_page
from .forms import ChangesFilterForm

PER_PAGE = 50


def changes(request, site):
    user = request.user
    scope = get_scope(user)
    users = get_user_model().objects.order_by("username")
    if not scope.is_all:
        users = users.filter(scope.q("assignments__unit__path") | Q(pk=user.pk)).distinct()
    units = Unit.objects.visible_to(user).order_by("path")
    form = ChangesFilterForm(request.GET or None, users=users, units=units)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        page = changes_page(
            user=user,
            number=request.GET.get("page") or 1,
            per_page=PER_PAGE,
            by_user=data["user"],
            unit=data["unit"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    elif not form.is_bound:
        page = changes_page(user=user, number=1, per_page=PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **site.each_context(request),
        "title": _("Changes by user or unit"),
        "form": form,
        "page_obj": page,
        "query": query.urlencode(),
    }
    return TemplateResponse(request, "admin/accounts/changes.html", context)
