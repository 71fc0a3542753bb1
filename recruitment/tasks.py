"""Background work of recruitment (`django.tasks`): a batch of personal papers (orders, calls,
certificates) for a commune, made by the worker with its progress shown to the user (`units.jobs`)."""

import datetime

from django.tasks import task
from django.utils.translation import gettext as _

from units.jobs import JobError, job_run
from units.models import Unit

from . import documents
from .models import Campaign

PERSONAL_BATCH = "recruitment.documents"


def options_to_params(opts):
    """Options as JSON for the job's row (dates and times as ISO text)."""
    out = {}
    for name in ("on", "day", "when", "posted_on"):
        value = getattr(opts, name)
        out[name] = value.isoformat() if value else None
    for name in ("place", "bring", "receiving_unit", "signer_name"):
        out[name] = getattr(opts, name)
    return out


def options_from_params(params):
    def day(value):
        return datetime.date.fromisoformat(value) if value else None

    return documents.Options(
        on=day(params["on"]),
        day=day(params["day"]),
        when=datetime.time.fromisoformat(params["when"]) if params["when"] else None,
        posted_on=day(params["posted_on"]),
        place=params["place"],
        bring=params["bring"],
        receiving_unit=params["receiving_unit"],
        signer_name=params["signer_name"],
    )


def make_papers(job, progress):
    """Build the papers of the job (numbers from the issuing body's register) and write them as one PDF or a
    .zip of Word files: (content, content type, file name)."""
    params = job.params
    paper = documents.PAPERS[params["key"]]
    campaign = Campaign.objects.select_related("district", "district__kind").get(pk=params["campaign"])
    commune = Unit.objects.select_related("kind", "parent", "parent__kind").get(pk=params["commune"])
    opts = options_from_params(params["options"])
    docs, table = documents.build(paper.key, campaign=campaign, commune=commune, user=job.user, opts=opts)
    if not docs:
        raise JobError(
            _("%(document)s: nobody in %(unit)s for now.")
            % {"document": documents.LABELS[paper.key][0], "unit": commune.name}
        )
    progress(0, len(docs))
    if params["fmt"] == "zip":
        from portal_io import documents as official

        content, content_type, extension = (
            official.render_docx_zip(docs, progress=progress),
            official.ZIP_TYPE,
            "zip",
        )
    elif paper.personal:
        from portal_io import documents as official

        content = official.render_pdf_batch(docs, progress=progress)
        content_type, extension = official.PDF_TYPE, "pdf"
    else:
        content, content_type, extension = documents.render_file(paper, docs, table, params["fmt"])
    progress(len(docs), len(docs))
    return content, content_type, f"{documents.batch_stem(paper, campaign, commune).replace(' ', '-')}.{extension}"


@task()
def make_papers_task(*, job_id):
    return job_run(job_id, make_papers)
