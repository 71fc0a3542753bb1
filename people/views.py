"""Pages of the people registry: list, detail with history, create, edit."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal_io.wizard import attachment
from units.access import role_required
from units.audit import audit_record
from units.concurrency import EditConflict
from units.models import AuditEvent
from units.paging import CountCachedPaginator
from units.scoping import can_write, get_object_for_user
from units.selectors import communes_visible, hamlets_visible, home_units_editable

from . import access, exporting, selectors, services
from .forms import NationalIdLookupForm, PersonFilterForm, PersonForm
from .models import Person
from .panels import panels_for
from .widgets import lighten_filter_selects

PATH = Person.scope_path_field
# A printed list longer than this is a book: narrow the filters or use the Excel file.
PRINT_LIMIT = 2000


def person_list(request):
    """The registry, filtered by GET (shareable addresses); a national-ID lookup comes by POST, so the
    number never appears in an address, a browser history or an access log."""
    user = request.user
    lookup = NationalIdLookupForm(request.POST or None, people=selectors.people_visible(user=user))
    if request.method == "POST" and lookup.is_valid():
        return redirect("people:detail", pk=lookup.person.pk)
    form, people, filtered = _filtered_people(request)
    lighten_filter_selects(form)
    sort = request.GET.get("sort", "name")
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
        "can_create": access.can_register_people(user),
        "lookup": lookup,
        "digits_in_search": (request.GET.get("q") or "").strip().isdigit(),
        "can_export": access.can_export(request.user),
        "export_query": query.urlencode(),
    }
    template = "people/_results.html" if request.htmx and request.htmx.target == "results" else "people/list.html"
    return render(request, template, context)


def _filtered_people(request):
    """The filter form and the people the list shows for this request's filters, sorted as asked: the
    list, its export and its print use this one function, so they always show the same people."""
    user = request.user
    form = PersonFilterForm(
        request.GET or None, communes=communes_visible(user=user), hamlets=hamlets_visible(user=user)
    )
    people = selectors.people_visible(user=user)
    filtered = form.is_bound and form.is_valid() and any(form.cleaned_data.values())
    if filtered:
        people = form.apply(people)
    return form, selectors.people_sorted(people, request.GET.get("sort", "name")), filtered


@require_GET
@role_required(access.can_export)
def person_export(request, fmt="xlsx"):
    """The people list as the page shows it (same filters, same order), every row, as .xlsx or CSV."""
    _form, people, _filtered = _filtered_people(request)
    content = exporting.write_csv(people) if fmt == "csv" else exporting.write_xlsx(people)
    audit_record(
        kind=AuditEvent.Kind.EXPORT, request=request, target=f"people:list.{fmt}", detail=request.GET.urlencode()
    )
    content_type = exporting.CSV_TYPE if fmt == "csv" else exporting.XLSX_TYPE
    return attachment(content, content_type, exporting.filename(fmt))


@require_GET
def person_print(request):
    """The people list on paper: every row of the filters (up to PRINT_LIMIT), with the filters written out."""
    form, people, filtered = _filtered_people(request)
    count = people.count() if filtered else selectors.people_count_in_scope(user=request.user)
    rows = list(people[:PRINT_LIMIT])
    query = request.GET.copy()
    context = {
        "rows": rows,
        "count": count,
        "truncated": count > len(rows),
        "limit": PRINT_LIMIT,
        "filters": _filter_summary(form) if filtered else [],
        "today": timezone.localdate(),
        "query": query.urlencode(),
    }
    return render(request, "people/print.html", context)


def _filter_summary(form):
    """(label, value) of each filter the user set, as the filter panel shows it."""
    summary = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        if hasattr(field, "label_from_instance"):
            shown = field.label_from_instance(value)
        elif getattr(field, "choices", None):
            shown = dict(field.choices).get(value, value)
        else:
            shown = value
        summary.append((field.label, shown))
    return summary


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


@role_required(access.can_register_people)
def person_create(request):
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


def _home_units(user):
    return home_units_editable(user=user)
