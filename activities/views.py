"""Pages of the records of activities: the year's overview, and per kind a list, a record's page, the
create and edit forms (the record with its rows) and the Excel export of the list."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from people.models import Person
from people.selectors import record_history
from portal_io.writing import XLSX_TYPE, write_xlsx
from units.audit import audit_record
from units.forms import attach_errors
from units.models import AuditEvent
from units.paging import CountCachedPaginator
from units.scoping import can_write, get_object_for_user, get_scope

from . import selectors
from .forms import FilterForm, row_formset, units_for_records
from .kinds import KINDS


def _kind(key):
    try:
        return KINDS[key]
    except KeyError:
        raise Http404(_("No such kind of record.")) from None


def _can_add(user, kind):
    scope = get_scope(user)
    return user.has_perm(kind.perm("add")) and (scope.is_all or bool(scope.write_paths))


def _require_view(user, kind):
    if not user.has_perm(kind.perm("view")):
        raise PermissionDenied(_("Your role may not read these records."))


def index(request):
    year = timezone.localdate().year
    context = {"year": year, "kinds": selectors.year_counts(user=request.user, year=year)}
    return _render(request, "activities/index.html", context)


def _render(request, template, context, **kwargs):
    context["activity_tabs"] = list(KINDS.values())
    return render(request, template, context, **kwargs)


def _filtered(request, kind):
    form = FilterForm(request.GET or None, units=units_for_records(request.user, write=False))
    records = selectors.records_visible(kind=kind, user=request.user)
    if kind.date_field:
        records = form.apply(records, kind.date_field)
    elif form.is_bound and form.is_valid() and form.cleaned_data.get("unit"):
        records = records.filter(unit__path__startswith=form.cleaned_data["unit"].path)
    return form, records


def record_list(request, kind):
    kind = _kind(kind)
    _require_view(request.user, kind)
    form, records = _filtered(request, kind)
    page = CountCachedPaginator(records, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "kind": kind,
        "form": form,
        "page": page,
        "rows": [(record, [column.value(record) for column in kind.columns]) for record in page.object_list],
        "query": query.urlencode(),
        "can_add": _can_add(request.user, kind),
    }
    return _render(request, "activities/list.html", context)


@require_GET
def record_export(request, kind):
    kind = _kind(kind)
    _require_view(request.user, kind)
    _form, records = _filtered(request, kind)
    headers = [str(column.label) for column in kind.columns]
    rows = ([_cell(column.value(record)) for column in kind.columns] for record in records.iterator(chunk_size=2000))
    content = write_xlsx(headers, rows, title=str(kind.title_plural)[:31], freeze="A2")
    name = f"{kind.key}-{timezone.localdate():%Y%m%d}.xlsx"
    audit_record(kind=AuditEvent.Kind.EXPORT, request=request, target=name, detail=request.GET.urlencode()[:500])
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _cell(value):
    if value is None or isinstance(value, int | float | Decimal | datetime.date):
        return value
    return str(value)


def record_detail(request, kind, pk):
    kind = _kind(kind)
    _require_view(request.user, kind)
    record = get_object_for_user(request, selectors.records_visible(kind=kind, user=request.user), pk=pk)
    context = {
        "kind": kind,
        "record": record,
        "fields": [(column.label, column.value(record)) for column in kind.columns],
        "notes": getattr(record, "notes", ""),
        "row_sets": selectors.rows_of(kind=kind, record=record),
        "history": record_history(record),
        "can_edit": can_write(request.user, record, kind.model.scope_path_field, perm=kind.perm("change")),
    }
    return _render(request, "activities/detail.html", context)


@require_http_methods(["GET", "POST"])
def record_create(request, kind):
    kind = _kind(kind)
    if not _can_add(request.user, kind):
        raise PermissionDenied(_("Your role may not add these records."))
    return _edit(request, kind, None)


@require_http_methods(["GET", "POST"])
def record_update(request, kind, pk):
    kind = _kind(kind)
    record = get_object_for_user(
        request,
        selectors.records_visible(kind=kind, user=request.user),
        pk=pk,
        write=True,
        perm=kind.perm("change"),
    )
    return _edit(request, kind, record)


def _edit(request, kind, record):
    user = request.user
    data = request.POST or None
    form = kind.form(data, instance=record, user=user)
    persons = Person.objects.visible_to(user)
    formsets = []
    for rows in kind.rows:
        formset_class = row_formset(rows.form, extra=rows.extra)
        initial = rows.initial(record) if record is not None else None
        formset = formset_class(data, prefix=rows.name, initial=initial, form_kwargs={"persons": persons})
        formsets.append((rows, formset))
    if request.method == "POST":
        valid = form.is_valid()
        valid = all([formset.is_valid() for _rows, formset in formsets]) and valid
        if valid:
            children = {
                rows.name: [f.row() for f in formset.forms if f.cleaned_data and not f.is_empty()]
                for rows, formset in formsets
            }
            try:
                saved = kind.save(user=user, **{kind.instance_kw: record}, **form.cleaned_data, **children)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The record has been saved."))
                return redirect("activities:detail", kind=kind.key, pk=saved.pk)
    context = {"kind": kind, "form": form, "formsets": formsets, "record": record}
    context["formsets_invalid"] = any(
        formset.is_bound and formset.errors and any(formset.errors) for _r, formset in formsets
    )
    return _render(request, "activities/form.html", context)
