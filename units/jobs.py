"""Long work in the background (Django's task framework, `django.tasks`): a `BackgroundJob` row is what the
user sees (title, progress, the file made, or why it failed), the task is what the worker runs.

A page starts the work with `job_start` (one insert and one enqueue: it answers at once), the task calls
`job_run` with the function that does the work; that function reports its progress and returns the file.
The file is kept in the database (web nodes keep no local files) until `settings.FILES_KEEP_HOURS` after
it was made; `job_prune` removes what has expired. A failure is recorded with its message and nothing else
changes: the work's own writes are in their own transactions and the user starts it again."""

import datetime
import logging
import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import BackgroundJob

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds): a few writes per job, not one per document.
PROGRESS_EVERY = 0.5


def job_start(*, user, kind, title, task, params):
    """Record the job and enqueue `task` with its id: two inserts, so the page answers at once. Called
    outside a transaction (views run in autocommit): the worker finds the job's row committed. The test
    settings run the task at once (Django's immediate backend)."""
    job = BackgroundJob.objects.create(user=user, kind=kind, title=title[:255], params=params)
    result = task.enqueue(job_id=job.pk)
    BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


class Progress:
    """The callback the work reports through: `progress(done, total)`."""

    def __init__(self, job):
        self.job = job
        self.last = 0.0

    def __call__(self, done, total):
        now = time.monotonic()
        if done < total and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        BackgroundJob.objects.filter(pk=self.job.pk).update(done=done, total=total)


def job_run(job_id, work):
    """Run `work(job, progress)` for the job: it returns (content, content_type, filename). The job ends
    done with its file, or failed with the reason; it never raises, so the worker goes on."""
    job = BackgroundJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status != BackgroundJob.Status.QUEUED:
        return None
    BackgroundJob.objects.filter(pk=job.pk).update(status=BackgroundJob.Status.RUNNING, started_at=timezone.now())
    try:
        content, content_type, filename = work(job, Progress(job))
    except Exception as exc:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        message = str(exc) if getattr(exc, "user_message", False) else _("An unexpected error stopped the work.")
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=BackgroundJob.Status.FAILED, error=message[:1000], finished_at=timezone.now()
        )
        return "failed"
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJob.Status.DONE,
        content=content,
        content_type=content_type,
        filename=filename[:200],
        size=len(content),
        finished_at=now,
        expires_at=now + datetime.timedelta(hours=settings.FILES_KEEP_HOURS),
    )
    job_prune()
    return "done"


class JobError(Exception):
    """A failure whose message the user may read (e.g. nobody to make a document for)."""

    user_message = True


def job_prune(*, now=None):
    """Remove the files that have expired; the number removed."""
    deleted, _detail = BackgroundJob.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted


def jobs_of(user):
    """The user's jobs still kept, newest first (the file itself is not read)."""
    return (
        BackgroundJob.objects.filter(user=user)
        .exclude(expires_at__lt=timezone.now())
        .defer("content", "params")
        .order_by("-created_at", "-pk")
    )
