"""Pages of the people registry: list, detail with history, create, edit."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from units.concurrency import EditConflict
from units.paging import CountCachedPaginator
from units.scoping import can_write, get_object_for_user, get_scope
from units.selectors import communes_visible, hamlets_visible, home_units_editable

from . import selectors, services
from .forms import NationalIdLookupForm, PersonFilterForm, PersonForm
from .models import Person
from .panels import panels_for
from .widgets import lighten_filter_selects

PATH = Person.scope_path_field


def person_list(request):
    """The registry, filtered by GET (shareable addresses); a national-ID lookup comes by POST, so the
    number never appears in an address, a browser history or an access log."""
    user = request.user
    lookup = NationalIdLookupForm(request.POST or None, people=selectors.people_visible(user=user))
    if request.method == "POST" and lookup.is_valid():
        return redirect("people:detail", pk=lookup.person.pk)
    communes = communes_visible(user=user)
    form = PersonFilterForm(request.GET or None, communes=communes, hamlets=hamlets_visible(user=user))
    lighten_filter_selects(form)
    people = selectors.people_visible(user=user)
    filtered = form.is_bound and form.is_valid() and any(form.cleaned_data.values())
    if filtered:
        people = form.apply(people)
    sort = request.GET.get("sort", "name")
    people = selectors.people_sorted(people, sort)
    # The whole registry of the user's units is counted from the per-unit head counts, not row by row.
    count = None if filtered else selectors.people_count_in_scope(user=user)
    page = CountCachedPaginator(people, settings.PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    context = {
        "form": form,
        "page": page,
        "sort": sort,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "can_create": _can_create(user),
        "lookup": lookup,
        "digits_in_search": (request.GET.get("q") or "").strip().isdigit(),
    }
    template = "people/_results.html" if request.htmx and request.htmx.target == "results" else "people/list.html"
    return render(request, template, context)


def person_detail(request, pk):
    person = get_object_for_user(request, selectors.people_visible(user=request.user), pk=pk)
    context = {
        "person": person,
        "history": selectors.person_history(person),
        "panels": panels_for(person, request.user),
        "can_edit": can_write(request.user, person, PATH, perm="people.change_person"),
        "age": person.age_on(timezone.localdate()),
    }
    return render(request, "people/detail.html", context)


def person_create(request):
    if not _can_create(request.user):
        raise PermissionDenied(_("Your role may not register people."))
    form = PersonForm(request.POST or None, user=request.user, home_units=_home_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_duplicate"}
        person = services.person_create(user=request.user, **data)
        messages.success(request, _("%(name)s has been registered.") % {"name": person.full_name})
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "person": None})


def person_update(request, pk):
    person = get_object_for_user(
        request, selectors.people_visible(user=request.user), pk=pk, write=True, perm="people.change_person"
    )
    form = PersonForm(request.POST or None, instance=person, user=request.user, home_units=_home_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                user=request.user, person=person, loaded_version=form.loaded_version, **form.cleaned_data
            )
        except EditConflict:
            form.refuse_stale()
        else:
            messages.success(request, _("Changes to %(name)s have been saved.") % {"name": person.full_name})
            return redirect("people:detail", pk=person.pk)
    # 409 when someone else saved meanwhile (the form shows their change and keeps the user's input).
    return render(request, "people/form.html", {"form": form, "person": person}, status=409 if form.conflict else 200)


def _can_create(user):
    return user.has_perm("people.add_person") and (get_scope(user).is_all or bool(get_scope(user).write_paths))


def _home_units(user):
    return home_units_editable(user=user)
