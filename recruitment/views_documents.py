"""The "Documents" tab of a campaign: every paper of the recruitment year as Word, PDF and (for lists)
Excel, made from the records (`recruitment.documents`); numbered documents are registered in the issuing
unit's register and every file is audited."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal_io import documents as official
from portal_io import writing
from units.audit import audit_record
from units.models import AuditEvent, Unit
from units.scoping import get_scope

from . import documents, selectors, views, views_io
from .forms import DocumentForm

# What each paper is called on the page, and what it is for.
LABELS = {
    "registration_list": (
        gettext_lazy("List of first-time registrations"),
        gettext_lazy("Men turning 17 in the year and women of a profession the army needs."),
    ),
    "registration_certificate": (
        gettext_lazy("Registration certificates"),
        gettext_lazy("One certificate per citizen registering for the first time."),
    ),
    "ready_register": (
        gettext_lazy("Register of citizens ready for service"),
        gettext_lazy("The commune's register of candidates who may be called up."),
    ),
    "exam_list": (
        gettext_lazy("List of citizens called for the medical examination"),
        gettext_lazy("Candidates pre-screened or further."),
    ),
    "exam_order": (
        gettext_lazy("Calls for the medical examination"),
        gettext_lazy("One call per pre-screened candidate: time, place and what to bring."),
    ),
    "public_approved": (
        gettext_lazy("Public list: called up"),
        gettext_lazy("Posted at the commune for 20 days."),
    ),
    "public_deferred": (
        gettext_lazy("Public list: deferred"),
        gettext_lazy("Posted at the commune for 20 days, each ground in words."),
    ),
    "public_exempt": (
        gettext_lazy("Public list: exempt"),
        gettext_lazy("Posted at the commune for 20 days, each ground in words."),
    ),
    "callup_order": (
        gettext_lazy("Call-up orders"),
        gettext_lazy("One order per approved candidate, with the hand-over time and place."),
    ),
    "handover_record": (
        gettext_lazy("Hand-over record"),
        gettext_lazy("Between the commune and the receiving unit, with the list."),
    ),
}
FORMAT_LABELS = {
    "pdf": gettext_lazy("PDF"),
    "docx": gettext_lazy("Word (.docx)"),
    "xlsx": gettext_lazy("Excel (.xlsx)"),
    "zip": gettext_lazy("Word files (.zip)"),
}


def formats_of(paper):
    if paper.personal:
        keys = ("pdf", "zip")
    elif paper.is_list:
        keys = ("pdf", "docx", "xlsx")
    else:
        keys = ("pdf", "docx")
    return [(key, FORMAT_LABELS[key]) for key in keys]


def _documents_campaign(request, pk):
    if not views_io.can_export(request.user):
        raise PermissionDenied(_("Your role may not do this."))
    return views._campaign(request, pk)


def _form(paper, campaign, user, data=None):
    communes = selectors.campaign_communes(campaign=campaign, user=user)
    queryset = Unit.objects.filter(pk__in=[c.pk for c in communes]).select_related("kind").order_by("name")
    return DocumentForm(
        data,
        communes=queryset,
        formats=formats_of(paper),
        fields=paper.fields,
        prefix=paper.key,
        initial={"day": campaign.handover_date if paper.key in ("callup_order", "handover_record") else None},
    )


@require_GET
def campaign_documents(request, pk):
    """Every paper of the year, each with its form: the commune, the file and what it asks for."""
    campaign = _documents_campaign(request, pk)
    user = request.user
    papers = []
    for key, paper in documents.PAPERS.items():
        label, help_text = LABELS[key]
        papers.append({"paper": paper, "label": label, "help": help_text, "form": _form(paper, campaign, user)})
    context = {
        "campaign": campaign,
        "papers": papers,
        "can_edit": views._can_edit_candidates(user) and not campaign.is_closed,
    }
    return render(request, "recruitment/campaign_documents.html", context)


def _attachment(content, content_type, name, name_utf8):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name_utf8)}"
    response["Cache-Control"] = "no-store"
    return response


def render_file(paper, docs, table, fmt):
    """(bytes, content type, extension) of the documents in the format asked for."""
    if fmt == "xlsx":
        return documents.list_xlsx(docs[0], table), writing.XLSX_TYPE, "xlsx"
    if fmt == "zip":
        return official.render_docx_zip(docs), official.ZIP_TYPE, "zip"
    if fmt == "docx":
        return official.render_docx(docs[0]), official.DOCX_TYPE, "docx"
    if paper.personal:
        return official.render_pdf_batch(docs), official.PDF_TYPE, "pdf"
    return official.render_pdf(docs[0]), official.PDF_TYPE, "pdf"


def batch_stem(paper, campaign, commune):
    return f"{paper.key.replace('_', '-')}-{campaign.year}-{commune.name}"


@require_POST
def document_make(request, pk, key):
    """Make one paper for a commune. Numbered papers need write access to the commune (they enter its
    register); a register or a paper already issued is read by whoever may export the campaign's lists."""
    paper = documents.PAPERS.get(key)
    if paper is None:
        raise Http404(_("No such document."))
    campaign = _documents_campaign(request, pk)
    user = request.user
    form = _form(paper, campaign, user, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{LABELS[key][0]}: {error}")
        return redirect("recruitment:campaign_documents", pk=campaign.pk)
    commune = form.cleaned_data["commune"]
    if paper.numbered and not (
        get_scope(user).can_write_path(commune.path) and user.has_perm("recruitment.change_candidate")
    ):
        audit_record(kind=AuditEvent.Kind.DENIED, request=request, target=f"recruitment:{campaign.pk}:doc:{key}")
        raise PermissionDenied(_("Your role may not issue documents for %(unit)s.") % {"unit": commune.name})
    data = form.cleaned_data
    opts = documents.Options(
        on=timezone.localdate(),
        day=data.get("day"),
        when=data.get("when"),
        place=data.get("place", ""),
        bring=data.get("bring", ""),
        receiving_unit=data.get("receiving_unit", ""),
        signer_name=data.get("signer_name", ""),
        posted_on=data.get("posted_on"),
    )
    try:
        docs, table = documents.build(key, campaign=campaign, commune=commune, user=user, opts=opts)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("recruitment:campaign_documents", pk=campaign.pk)
    if not docs:
        messages.warning(
            request, _("%(document)s: nobody in %(unit)s for now.") % {"document": LABELS[key][0], "unit": commune.name}
        )
        return redirect("recruitment:campaign_documents", pk=campaign.pk)
    content, content_type, extension = render_file(paper, docs, table, data["fmt"])
    if paper.personal:
        stem = batch_stem(paper, campaign, commune)
        name, name_utf8 = f"{official.ascii_name(stem)}.{extension}", f"{stem.replace(' ', '-')}.{extension}"
    else:
        name, name_utf8 = docs[0].filename(extension), docs[0].filename(extension, utf8=True)
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        request=request,
        target=f"recruitment:{campaign.pk}:doc:{key}.{extension}",
        detail=f"{commune.name} · {len(docs)}",
    )
    return _attachment(content, content_type, name, name_utf8)
