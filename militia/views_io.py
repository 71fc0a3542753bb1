"""Pages of the roster exchange: export the filtered list, download the template, upload, preview and
confirm an import, download the rejected rows. The work itself lives in `militia.io`."""

import os
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from units.audit import audit_record
from units.forms import CleanInputMixin
from units.models import AuditEvent, Unit
from units.selectors import communes_visible, hamlets_visible

from . import selectors
from .forms import MemberFilterForm, ReservistFilterForm, roster_filter_form
from .io import exporting, importing, reading, storage
from .io.columns import MEMBERS, RESERVISTS, columns_of

EXPORT_PERM = "militia.export_roster"
IMPORT_PERM = "militia.import_roster"
PREVIEW_PAGE_SIZE = 100
MAX_MESSAGES = 20


@dataclass(frozen=True)
class _Roster:
    key: str
    title: str
    filter_form: type
    visible: object
    sorts: dict
    list_url: str


ROSTERS = {
    MEMBERS: _Roster(
        MEMBERS,
        gettext_lazy("Militia roster"),
        MemberFilterForm,
        selectors.members_visible,
        selectors.MEMBER_SORTS,
        "militia:member_list",
    ),
    RESERVISTS: _Roster(
        RESERVISTS,
        gettext_lazy("Reserve roster"),
        ReservistFilterForm,
        selectors.reservists_visible,
        selectors.RESERVIST_SORTS,
        "militia:reservist_list",
    ),
}
FORMATS = {"xlsx": exporting.XLSX_TYPE, "csv": exporting.CSV_TYPE}


def _roster(key):
    try:
        return ROSTERS[key]
    except KeyError:
        raise Http404(_("No such roster.")) from None


def _require(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied(_("Your role may not do this."))


def _attachment(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Export ----------------------------------------------------------------------------------


@require_GET
def roster_export(request, roster, fmt):
    """The roster as the list page shows it (same filters, same order), every row, in one sheet."""
    spec = _roster(roster)
    if fmt not in FORMATS:
        raise Http404(_("No such format."))
    _require(request.user, EXPORT_PERM)
    user = request.user
    form = roster_filter_form(
        spec.filter_form, request, communes=communes_visible(user=user), hamlets=hamlets_visible(user=user)
    )
    queryset = selectors.sorted_by(form.apply(spec.visible(user=user)), request.GET.get("sort"), spec.sorts)
    rows = exporting.roster_rows(roster, queryset)
    content = exporting.write_csv(roster, rows) if fmt == "csv" else exporting.write_xlsx(roster, rows)
    audit_record(
        kind=AuditEvent.Kind.EXPORT, request=request, target=f"militia:{roster}.{fmt}", detail=request.GET.urlencode()
    )
    return _attachment(content, FORMATS[fmt], exporting.filename(roster, fmt))


# --- Import ----------------------------------------------------------------------------------


class ImportUploadForm(CleanInputMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv",
            }
        ),
    )


def _editable_units(user):
    units = Unit.objects.editable_by(user).current().select_related("kind", "parent")
    communes = [u for u in units if u.kind.is_commune_level]
    hamlets = [u for u in units if not u.kind.is_commune_level and u.parent_id and u.parent.kind.is_commune_level]
    return communes, hamlets


@require_GET
def import_template(request, roster):
    _roster(roster)
    _require(request.user, IMPORT_PERM)
    communes, hamlets = _editable_units(request.user)
    content = exporting.template_xlsx(roster, communes=communes, hamlets=hamlets)
    return _attachment(content, exporting.XLSX_TYPE, exporting.filename(roster, "xlsx", suffix="-mau-nhap"))


@require_http_methods(["GET", "POST"])
def import_upload(request, roster):
    spec = _roster(roster)
    _require(request.user, IMPORT_PERM)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    status = None
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        name = os.path.basename(upload.name or "")[:100]
        try:
            parsed = reading.read_upload(upload, roster)
        except reading.FileRejected as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            plan = importing.plan_import(user=request.user, roster=roster, rows=parsed.rows, source=name)
            storage.purge_expired()
            try:
                token = storage.save(
                    user=request.user,
                    roster=roster,
                    filename=name,
                    rows=parsed.rows,
                    plan=[row.as_dict() for row in plan],
                    ignored_headers=parsed.ignored_headers,
                )
            except storage.StoreUnavailable as exc:
                form.add_error("file", str(exc))
                status = 503
            else:
                return redirect("militia:import_preview", roster=roster, token=token)
    context = {
        "spec": spec,
        "roster": roster,
        "form": form,
        "columns": columns_of(roster),
        "max_mb": reading.MAX_FILE_BYTES // 1024 // 1024,
        "max_rows": reading.MAX_ROWS,
    }
    return render(request, "militia/import_upload.html", context, status=status or (400 if form.errors else 200))


def _load(request, roster, token):
    stored = storage.load(token, user=request.user, roster=roster)
    if stored is None:
        raise Http404(_("This import does not exist or has expired. Upload the file again."))
    return stored


@require_http_methods(["GET", "POST"])
def import_preview(request, roster, token):
    spec = _roster(roster)
    _require(request.user, IMPORT_PERM)
    stored = _load(request, roster, token)
    if request.method == "POST":
        return _confirm(request, spec, token, stored)
    plan = stored["plan"]
    counts = importing.summarize(plan)
    show = request.GET.get("show", "")
    if show not in counts:
        show = ""
    shown = [row for row in plan if not show or row["action"] == show]
    page = Paginator(shown, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row["action_label"] = importing.action_label(row["action"])
    rejected_lines = [row["line"] for row in plan if row["action"] == importing.REJECT]
    context = {
        "spec": spec,
        "title": spec.title,
        "roster": roster,
        "token": token,
        "filename": stored["filename"],
        "ignored_headers": stored.get("ignored_headers", []),
        "counts": counts,
        "total": len(plan),
        "to_write": counts[importing.CREATE] + counts[importing.UPDATE],
        "rejected_lines": ", ".join(str(n) for n in rejected_lines[:200]),
        "more_rejected": len(rejected_lines) > 200,
        "page": page,
        "show": show,
        "query": f"show={show}" if show else "",
        "filters": [
            ("", _("All rows"), len(plan)),
            (importing.CREATE, _("To create"), counts[importing.CREATE]),
            (importing.UPDATE, _("To update"), counts[importing.UPDATE]),
            (importing.UNCHANGED, _("Unchanged"), counts[importing.UNCHANGED]),
            (importing.REJECT, _("Rejected"), counts[importing.REJECT]),
        ],
    }
    return render(request, "militia/import_preview.html", context)


def _confirm(request, spec, token, stored):
    here = reverse("militia:import_preview", kwargs={"roster": spec.key, "token": token})
    if "discard" in request.POST:
        storage.delete(token)
        messages.info(request, _("The import was cancelled; nothing was written."))
        return redirect("militia:import", roster=spec.key)
    counts = importing.summarize(stored["plan"])
    if not counts[importing.CREATE] + counts[importing.UPDATE]:
        messages.error(request, _("There is nothing to import: every row is rejected or unchanged."))
        return redirect(here)
    if counts[importing.REJECT] and not request.POST.get("skip_rejected"):
        messages.error(request, _("Tick the box to confirm that the rejected rows will be skipped."))
        return redirect(here)
    planned = {row["line"]: row["action"] for row in stored["plan"]}
    try:
        result = importing.commit_import(
            user=request.user, roster=spec.key, rows=stored["rows"], planned=planned, source=stored["filename"]
        )
    except importing.ImportAborted as exc:
        # Show what the rows would do now, so the user sees the change before trying again.
        plan = importing.plan_import(user=request.user, roster=spec.key, rows=stored["rows"], source=stored["filename"])
        try:
            storage.save(
                user=request.user,
                roster=spec.key,
                filename=stored["filename"],
                rows=stored["rows"],
                plan=[row.as_dict() for row in plan],
                ignored_headers=stored.get("ignored_headers", []),
                token=token,
            )
        except storage.StoreUnavailable as unavailable:
            storage.delete(token)  # its plan is out of date and cannot be replaced: upload the file again
            messages.error(request, _("Nothing was imported: the whole import was cancelled."))
            messages.error(request, str(unavailable))
            return redirect("militia:import", roster=spec.key)
        messages.error(
            request, _("Nothing was imported: the whole import was cancelled. The preview below is up to date.")
        )
        for message in exc.messages[:MAX_MESSAGES]:
            messages.error(request, message)
        if len(exc.messages) > MAX_MESSAGES:
            messages.error(request, _("… and %(count)s more.") % {"count": len(exc.messages) - MAX_MESSAGES})
        return redirect(here)
    storage.delete(token)
    audit_record(
        kind=AuditEvent.Kind.IMPORT,
        request=request,
        target=f"militia:{spec.key}",
        detail=f"{stored['filename']}: {result}",
    )
    messages.success(
        request,
        _("Import finished: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(skipped)s skipped.")
        % {
            "created": result[importing.CREATE],
            "updated": result[importing.UPDATE],
            "unchanged": result[importing.UNCHANGED],
            "skipped": result[importing.REJECT],
        },
    )
    return redirect(spec.list_url)


@require_GET
def import_rejected(request, roster, token):
    _roster(roster)
    _require(request.user, IMPORT_PERM)
    stored = _load(request, roster, token)
    content = exporting.rejected_xlsx(roster, stored["rows"], stored["plan"])
    return _attachment(content, exporting.XLSX_TYPE, exporting.filename(roster, "xlsx", suffix="-dong-bi-tu-choi"))
