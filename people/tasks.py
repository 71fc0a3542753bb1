"""Background work of the registry (`django.tasks`): a large import confirmed by the user is written by the
worker, with its progress shown (`units.jobs`); the file it leaves in "My files" lists what each row did."""

from django.tasks import task
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal_io import writing
from portal_io.columns import FILE_LANGUAGE
from portal_io.rows import CREATE, REJECT, UNCHANGED, UPDATE, ImportAborted, action_label
from units.jobs import JobError, job_run

from .importing import people_import

IMPORT = "people.import"
MAX_MESSAGES = 20
RESULT_HEADERS = ("Dòng", "Họ và tên", "Số CCCD", "Xã/thị trấn", "Kết quả", "Ghi chú")


def params_of(stored, planned):
    """What the worker needs, as JSON for the job's row (kept in the database, so a worker on another machine
    reads it): the rows, the action the user saw for each line and the summary of the preview."""
    return {
        "source": stored["filename"],
        "rows": stored["rows"],
        "planned": {str(line): action for line, action in planned.items()},
        "preview": [
            [p["line"], p["action"], p["full_name"], p["national_id"], p.get("commune", ""), p.get("reasons", [])]
            for p in stored["plan"]
        ],
    }


def import_people(job, progress):
    """Write the import (all or nothing) and return the report of what each row did: (content, type, name)."""
    params = job.params
    rows = [(line, raw) for line, raw in params["rows"]]
    planned = {int(line): action for line, action in params["planned"].items()}
    progress(0, len(rows))
    try:
        counts = people_import(user=job.user, rows=rows, planned=planned, source=params["source"], progress=progress)
    except ImportAborted as exc:
        shown = exc.messages[:MAX_MESSAGES]
        more = len(exc.messages) - len(shown)
        if more:
            shown.append(_("… and %(count)s more.") % {"count": more})
        raise JobError(
            _("Nothing was imported: the whole import was cancelled. Upload the file again to see why.")
            + " "
            + " ".join(shown)
        ) from exc
    with override(FILE_LANGUAGE):  # the report is a file, in the files' language whoever reads it
        report = [
            [line, name, national_id, commune, action_label(action), "\n".join(reasons)]
            for line, action, name, national_id, commune, reasons in params["preview"]
        ]
        total = ", ".join(f"{action_label(k)}: {counts[k]}" for k in (CREATE, UPDATE, UNCHANGED, REJECT))
    report.append([None, None, None, None, None, total])
    content = writing.write_xlsx(RESULT_HEADERS, report, title="Kết quả nhập", widths=(8, 26, 16, 18, 14, 70))
    stem = params["source"].rsplit(".", 1)[0] or "cong-dan"
    return content, writing.XLSX_TYPE, f"ket-qua-nhap-{stem}.xlsx"


@task()
def import_people_task(*, job_id):
    return job_run(job_id, import_people)
