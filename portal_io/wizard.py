"""The import wizard every app shares: upload a file, preview what each row will do, confirm, and download
the rejected rows. An app says what it imports by filling in the hooks of `ImportWizard`; its views are one
line each (see `militia.views_io` and `recruitment.views_io`).

The steps, whatever is imported:
1. **Upload**: the file is checked and read (`read`), each row is planned against the records (`plan`) and
   the upload is stored under a token for this user (`save`), then the browser goes to the preview.
2. **Preview**: the counts per action, the rows a page at a time, filtered by action.
3. **Confirm**: nothing to write, or rejected rows not acknowledged, is refused with a message; otherwise
   `commit` writes every planned row in one transaction. If the records changed since the preview, the
   whole import is cancelled and the preview is planned again, so the user sees the change first.
   The import is audited.
"""

import os

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units.audit import audit_record
from units.forms import CleanInputMixin
from units.models import AuditEvent

from . import legacy
from .reading import ENCODING, MAX_FILE_BYTES, MAX_ROWS, FileRejected
from .rows import CREATE, REJECT, UNCHANGED, UPDATE, ImportAborted, action_label, summarize
from .storage import StoreUnavailable

ENCODING_NAMES = {legacy.TCVN3: "TCVN3", legacy.VNI: "VNI"}
XLSX_OR_CSV = ",".join(
    (
        ".xlsx",
        ".xls",
        ".ods",
        ".csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel",
        "application/vnd.oasis.opendocument.spreadsheet",
        "text/csv",
    )
)


class ImportUploadForm(CleanInputMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx, .xls or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_OR_CSV}),
    )
    encoding = forms.ChoiceField(
        label=gettext_lazy("Vietnamese typed in"),
        choices=[
            ("auto", gettext_lazy("Detect (Unicode, TCVN3 or VNI)")),
            (legacy.UNICODE, gettext_lazy("Unicode")),
            (legacy.TCVN3, gettext_lazy("TCVN3 (ABC: .VnTime, .VnArial…)")),
            (legacy.VNI, gettext_lazy("VNI (VNI-Times…)")),
        ],
        required=False,
        initial="auto",
        help_text=gettext_lazy("Old rosters typed with .VnTime or VNI fonts are converted to Unicode."),
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["file"].label = label


def attachment(content, content_type, name):
    """A file download that no cache keeps."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


class ImportWizard:
    """One import for one request. Subclasses set the templates and fill in the hooks below."""

    upload_template: str
    preview_template: str
    file_label = None  # the upload field's label; the form's default when None
    preview_page_size = 100
    max_messages = 20
    max_rejected_lines = 200

    def __init__(self, request):
        self.request = request
        self.user = request.user

    # --- Hooks ----------------------------------------------------------------------------------

    def context(self) -> dict:
        """What the app's templates need on every step (the roster, the campaign, the title...)."""
        return {}

    def upload_context(self) -> dict:
        """The columns of the file and the limits, shown beside the upload form."""
        return {"max_mb": MAX_FILE_BYTES // 1024 // 1024, "max_rows": MAX_ROWS}

    def read(self, upload):
        """The file's rows (`.rows`, `.ignored_headers`), or raise `FileRejected`."""
        raise NotImplementedError

    def plan(self, rows, source) -> list[dict]:
        """What each row would do now, as dicts with at least `line` and `action`."""
        raise NotImplementedError

    def commit(self, rows, planned, source) -> dict:
        """Write the planned rows in one transaction; the count per action. Raises `ImportAborted`."""
        raise NotImplementedError

    def save(self, *, filename, rows, plan, ignored_headers, token=None) -> str:
        """Store the upload for this user and return its token (raises `StoreUnavailable`)."""
        raise NotImplementedError

    def load(self, token) -> dict | None:
        raise NotImplementedError

    def delete(self, token):
        raise NotImplementedError

    def purge_expired(self):
        """Remove the uploads nobody confirmed in time."""

    def upload_url(self) -> str:
        raise NotImplementedError

    def preview_url(self, token) -> str:
        raise NotImplementedError

    def done_url(self) -> str:
        raise NotImplementedError

    def audit_target(self) -> str:
        raise NotImplementedError

    def rejected_file(self, stored) -> HttpResponse:
        """The rejected rows with their reasons, as a file to fix and upload again."""
        raise NotImplementedError

    def commit_in_background(self, token, stored, planned) -> HttpResponse | None:
        """Start the confirmed import as a background task and answer at once (e.g. with its progress page),
        or None to write it inside the request (`commit`). A large import goes to the worker this way."""
        return None

    # --- Steps ----------------------------------------------------------------------------------

    def upload(self):
        request = self.request
        bound = request.method == "POST"
        form = ImportUploadForm(
            request.POST if bound else None, request.FILES if bound else None, label=self.file_label
        )
        status = None
        if form.is_bound and form.is_valid():
            upload = form.cleaned_data["file"]
            name = os.path.basename(upload.name or "")[:100]
            chosen = ENCODING.set(form.cleaned_data.get("encoding") or "auto")
            try:
                parsed = self.read(upload)
            except FileRejected as exc:
                for message in exc.messages:
                    form.add_error("file", message)
                parsed = None
            finally:
                ENCODING.reset(chosen)
            if parsed is not None:
                plan = self.plan(parsed.rows, name)
                self.purge_expired()
                try:
                    token = self.save(
                        filename=name, rows=parsed.rows, plan=plan, ignored_headers=list(parsed.ignored_headers)
                    )
                except StoreUnavailable as exc:
                    form.add_error("file", str(exc))
                    status = 503
                else:
                    # The columns converted from TCVN3 or VNI, shown on the preview.
                    request.session[f"import-encodings:{token}"] = dict(getattr(parsed, "encodings", {}) or {})
                    return redirect(self.preview_url(token))
        context = {**self.context(), **self.upload_context(), "form": form}
        return render(request, self.upload_template, context, status=status or (400 if form.errors else 200))

    def _stored(self, token):
        stored = self.load(token)
        if stored is None:
            raise Http404(_("This import does not exist or has expired. Upload the file again."))
        return stored

    def preview(self, token):
        stored = self._stored(token)
        if self.request.method == "POST":
            return self._confirm(token, stored)
        plan = stored["plan"]
        counts = summarize(plan)
        show = self.request.GET.get("show", "")
        if show not in counts:
            show = ""
        shown = [row for row in plan if not show or row["action"] == show]
        page = Paginator(shown, self.preview_page_size).get_page(self.request.GET.get("page"))
        for row in page.object_list:
            row["action_label"] = action_label(row["action"])
        rejected_lines = [row["line"] for row in plan if row["action"] == REJECT]
        context = {
            **self.context(),
            "token": token,
            "filename": stored["filename"],
            "ignored_headers": stored.get("ignored_headers", []),
            "converted_columns": [
                (header, ENCODING_NAMES.get(encoding, encoding))
                for header, encoding in self.request.session.get(f"import-encodings:{token}", {}).items()
            ],
            "counts": counts,
            "total": len(plan),
            "to_write": counts[CREATE] + counts[UPDATE],
            "rejected_lines": ", ".join(str(n) for n in rejected_lines[: self.max_rejected_lines]),
            "more_rejected": len(rejected_lines) > self.max_rejected_lines,
            "page": page,
            "show": show,
            "query": f"show={show}" if show else "",
            "filters": [
                ("", _("All rows"), len(plan)),
                (CREATE, _("To create"), counts[CREATE]),
                (UPDATE, _("To update"), counts[UPDATE]),
                (UNCHANGED, _("Unchanged"), counts[UNCHANGED]),
                (REJECT, _("Rejected"), counts[REJECT]),
            ],
        }
        return render(self.request, self.preview_template, context)

    def rejected(self, token):
        return self.rejected_file(self._stored(token))

    def _confirm(self, token, stored):
        request = self.request
        here = self.preview_url(token)
        if "discard" in request.POST:
            self.delete(token)
            messages.info(request, _("The import was cancelled; nothing was written."))
            return redirect(self.upload_url())
        counts = summarize(stored["plan"])
        if not counts[CREATE] + counts[UPDATE]:
            messages.error(request, _("There is nothing to import: every row is rejected or unchanged."))
            return redirect(here)
        if counts[REJECT] and not request.POST.get("skip_rejected"):
            messages.error(request, _("Tick the box to confirm that the rejected rows will be skipped."))
            return redirect(here)
        planned = {row["line"]: row["action"] for row in stored["plan"]}
        started = self.commit_in_background(token, stored, planned)
        if started is not None:
            return started
        try:
            result = self.commit(stored["rows"], planned, stored["filename"])
        except ImportAborted as exc:
            return self._aborted(token, stored, exc)
        self.delete(token)
        audit_record(
            kind=AuditEvent.Kind.IMPORT,
            request=request,
            target=self.audit_target(),
            detail=f"{stored['filename']}: {result}",
        )
        messages.success(
            request,
            _(
                "Import finished: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(skipped)s skipped."
            )
            % {
                "created": result[CREATE],
                "updated": result[UPDATE],
                "unchanged": result[UNCHANGED],
                "skipped": result[REJECT],
            },
        )
        return redirect(self.done_url())

    def _aborted(self, token, stored, exc):
        """The records changed since the preview: nothing was written; show what the rows would do now."""
        request = self.request
        plan = self.plan(stored["rows"], stored["filename"])
        try:
            self.save(
                filename=stored["filename"],
                rows=stored["rows"],
                plan=plan,
                ignored_headers=stored.get("ignored_headers", []),
                token=token,
            )
        except StoreUnavailable as unavailable:
            self.delete(token)  # its plan is out of date and cannot be replaced: upload the file again
            messages.error(request, _("Nothing was imported: the whole import was cancelled."))
            messages.error(request, str(unavailable))
            return redirect(self.upload_url())
        messages.error(
            request, _("Nothing was imported: the whole import was cancelled. The preview below is up to date.")
        )
        for message in exc.messages[: self.max_messages]:
            messages.error(request, message)
        if len(exc.messages) > self.max_messages:
            messages.error(request, _("… and %(count)s more.") % {"count": len(exc.messages) - self.max_messages})
        return redirect(self.preview_url(token))
