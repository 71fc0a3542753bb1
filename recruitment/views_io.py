"""Pages of the candidates' Excel exchange: the two imports (upload → preview → confirm, rejected rows)
and the exports (public lists, filtered candidate list). The work itself lives in `recruitment.io`."""

import os

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

from portal_io import reading, writing
from portal_io.rows import CREATE, REJECT, UNCHANGED, UPDATE, ImportAborted, action_label, summarize
from portal_io.storage import StoreUnavailable
from units.audit import audit_record
from units.forms import CleanInputMixin
from units.models import AuditEvent

from . import access, io, selectors, views
from .forms import CandidateFilterForm
from .models import Stage

KIND_PERMS = {io.REGISTRATIONS: "recruitment.add_candidate", io.RESULTS: "recruitment.change_candidate"}
KIND_TITLES = {
    io.REGISTRATIONS: gettext_lazy("Import registrations"),
    io.RESULTS: gettext_lazy("Import examination results"),
}
FORMATS = {"xlsx": writing.XLSX_TYPE, "csv": writing.CSV_TYPE}
PREVIEW_PAGE_SIZE = 100
MAX_MESSAGES = 20


def _attachment(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _format(fmt):
    if fmt not in FORMATS:
        raise Http404(_("No such format."))
    return FORMATS[fmt]


def _export_campaign(request, pk):
    if not access.can_export(request.user):
        raise PermissionDenied(_("Your role may not do this."))
    return views._campaign(request, pk)


# --- Exports -----------------------------------------------------------------------------------


@require_GET
def candidate_export(request, pk, fmt):
    """The candidate list as the list page shows it (same filters, same order), every row."""
    content_type = _format(fmt)
    campaign = _export_campaign(request, pk)
    user = request.user
    form = CandidateFilterForm(request.GET, communes=selectors.campaign_communes(campaign=campaign, user=user))
    queryset = form.apply(selectors.candidates_visible(user=user).filter(campaign=campaign), campaign=campaign)
    queryset = selectors.sorted_by(queryset, request.GET.get("sort", "name"))
    content = io.candidate_list_file(queryset, fmt, campaign=campaign)
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        request=request,
        target=f"recruitment:{campaign.pk}:candidates.{fmt}",
        detail=request.GET.urlencode(),
    )
    return _attachment(content, content_type, io.filename("ung-vien-nvqs", fmt, campaign=campaign))


@require_GET
def public_list_export(request, pk, which, fmt):
    """A list a commune posts publicly (approved, deferred, exempt), of one commune or all the user sees."""
    content_type = _format(fmt)
    if which not in io.PUBLIC_LISTS:
        raise Http404(_("No such list."))
    campaign = _export_campaign(request, pk)
    user = request.user
    queryset = selectors.candidates_visible(user=user).filter(campaign=campaign)
    commune = request.GET.get("commune", "")
    suffix = ""
    if commune:
        communes = {str(u.pk): u for u in selectors.campaign_communes(campaign=campaign, user=user)}
        if commune not in communes:
            raise Http404(_("No such commune."))
        queryset = queryset.filter(commune_id=commune)
        suffix = "-" + communes[commune].code
    content = io.public_list_file(which, queryset, fmt)
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        request=request,
        target=f"recruitment:{campaign.pk}:{which}.{fmt}",
        detail=request.GET.urlencode(),
    )
    return _attachment(
        content, content_type, io.filename(io.PUBLIC_LISTS[which][1], fmt, campaign=campaign, suffix=suffix)
    )


# --- Imports -----------------------------------------------------------------------------------


class ImportUploadForm(CleanInputMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"}
        ),
    )


def _import_campaign(request, pk, kind):
    if kind not in io.KINDS:
        raise Http404(_("No such import."))
    user = request.user
    if not (access.can_import(user) and user.has_perm(KIND_PERMS[kind])):
        raise PermissionDenied(_("Your role may not do this."))
    campaign = views._campaign(request, pk)
    if campaign.is_closed:
        raise PermissionDenied(
            _("The %(year)s campaign is closed and can no longer be changed.") % {"year": campaign.year}
        )
    return campaign


def _context(campaign, kind, **extra):
    return {"campaign": campaign, "kind": kind, "title": KIND_TITLES[kind], "can_edit": True, **extra}


@require_GET
def import_template(request, pk, kind):
    campaign = _import_campaign(request, pk, kind)
    return _attachment(
        io.template_xlsx(kind),
        writing.XLSX_TYPE,
        io.filename(io.FILE_SLUGS[kind], "xlsx", campaign=campaign, suffix="-mau-nhap"),
    )


@require_http_methods(["GET", "POST"])
def import_upload(request, pk, kind):
    campaign = _import_campaign(request, pk, kind)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    status = None
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        name = os.path.basename(upload.name or "")[:100]
        try:
            parsed = io.read_upload(upload, kind)
        except reading.FileRejected as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            plan = io.plan_import(user=request.user, campaign=campaign, kind=kind, rows=parsed.rows, source=name)
            io.store.purge_expired()
            try:
                token = io.store.save(
                    user=request.user,
                    kind=io.storage_kind(kind, campaign),
                    filename=name,
                    rows=parsed.rows,
                    plan=plan,
                    ignored_headers=parsed.ignored_headers,
                )
            except StoreUnavailable as exc:
                form.add_error("file", str(exc))
                status = 503
            else:
                return redirect("recruitment:import_preview", pk=campaign.pk, kind=kind, token=token)
    context = _context(
        campaign,
        kind,
        form=form,
        columns=io.columns_of(kind),
        max_mb=io.MAX_FILE_BYTES // 1024 // 1024,
        max_rows=io.MAX_ROWS,
    )
    return render(request, "recruitment/import_upload.html", context, status=status or (400 if form.errors else 200))


def _load(request, campaign, kind, token):
    stored = io.store.load(token, user=request.user, kind=io.storage_kind(kind, campaign))
    if stored is None:
        raise Http404(_("This import does not exist or has expired. Upload the file again."))
    return stored


@require_http_methods(["GET", "POST"])
def import_preview(request, pk, kind, token):
    campaign = _import_campaign(request, pk, kind)
    stored = _load(request, campaign, kind, token)
    if request.method == "POST":
        return _confirm(request, campaign, kind, token, stored)
    plan = stored["plan"]
    counts = summarize(plan)
    show = request.GET.get("show", "")
    if show not in counts:
        show = ""
    shown = [row for row in plan if not show or row["action"] == show]
    page = Paginator(shown, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row["action_label"] = action_label(row["action"])
    rejected_lines = [row["line"] for row in plan if row["action"] == REJECT]
    context = _context(
        campaign,
        kind,
        token=token,
        filename=stored["filename"],
        ignored_headers=stored.get("ignored_headers", []),
        counts=counts,
        total=len(plan),
        to_write=counts[CREATE] + counts[UPDATE],
        rejected_lines=", ".join(str(n) for n in rejected_lines[:200]),
        more_rejected=len(rejected_lines) > 200,
        page=page,
        show=show,
        query=f"show={show}" if show else "",
        filters=[
            ("", _("All rows"), len(plan)),
            (CREATE, _("To create"), counts[CREATE]),
            (UPDATE, _("To update"), counts[UPDATE]),
            (UNCHANGED, _("Unchanged"), counts[UNCHANGED]),
            (REJECT, _("Rejected"), counts[REJECT]),
        ],
    )
    return render(request, "recruitment/import_preview.html", context)


def _confirm(request, campaign, kind, token, stored):
    here = reverse("recruitment:import_preview", kwargs={"pk": campaign.pk, "kind": kind, "token": token})
    if "discard" in request.POST:
        io.store.delete(token)
        messages.info(request, _("The import was cancelled; nothing was written."))
        return redirect("recruitment:import", pk=campaign.pk, kind=kind)
    counts = summarize(stored["plan"])
    if not counts[CREATE] + counts[UPDATE]:
        messages.error(request, _("There is nothing to import: every row is rejected or unchanged."))
        return redirect(here)
    if counts[REJECT] and not request.POST.get("skip_rejected"):
        messages.error(request, _("Tick the box to confirm that the rejected rows will be skipped."))
        return redirect(here)
    planned = {row["line"]: row["action"] for row in stored["plan"]}
    try:
        result = io.commit_import(
            user=request.user,
            campaign=campaign,
            kind=kind,
            rows=stored["rows"],
            planned=planned,
            source=stored["filename"],
        )
    except ImportAborted as exc:
        plan = io.plan_import(
            user=request.user, campaign=campaign, kind=kind, rows=stored["rows"], source=stored["filename"]
        )
        try:
            io.store.save(
                user=request.user,
                kind=io.storage_kind(kind, campaign),
                filename=stored["filename"],
                rows=stored["rows"],
                plan=plan,
                ignored_headers=stored.get("ignored_headers", []),
                token=token,
            )
        except StoreUnavailable as unavailable:
            io.store.delete(token)  # its plan is out of date and cannot be replaced: upload the file again
            messages.error(request, _("Nothing was imported: the whole import was cancelled."))
            messages.error(request, str(unavailable))
            return redirect("recruitment:import", pk=campaign.pk, kind=kind)
        messages.error(
            request, _("Nothing was imported: the whole import was cancelled. The preview below is up to date.")
        )
        for message in exc.messages[:MAX_MESSAGES]:
            messages.error(request, message)
        if len(exc.messages) > MAX_MESSAGES:
            messages.error(request, _("… and %(count)s more.") % {"count": len(exc.messages) - MAX_MESSAGES})
        return redirect(here)
    io.store.delete(token)
    audit_record(
        kind=AuditEvent.Kind.IMPORT,
        request=request,
        target=f"recruitment:{campaign.pk}:{kind}",
        detail=f"{stored['filename']}: {result}",
    )
    messages.success(
        request,
        _("Import finished: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(skipped)s skipped.")
        % {
            "created": result[CREATE],
            "updated": result[UPDATE],
            "unchanged": result[UNCHANGED],
            "skipped": result[REJECT],
        },
    )
    target = reverse("recruitment:candidate_list", kwargs={"pk": campaign.pk})
    if kind == io.RESULTS:
        target += f"?stage={Stage.EXAMINED}"
    return redirect(target)


@require_GET
def import_rejected(request, pk, kind, token):
    campaign = _import_campaign(request, pk, kind)
    stored = _load(request, campaign, kind, token)
    content = io.rejected_xlsx(kind, stored["rows"], stored["plan"])
    name = io.filename(io.FILE_SLUGS[kind], "xlsx", campaign=campaign, suffix="-dong-bi-tu-choi")
    return _attachment(content, writing.XLSX_TYPE, name)
