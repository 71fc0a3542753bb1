"""The Redis queue (django-tasks-rq, TASKS_BACKEND=rq) that several machines may share instead of the database
queue: a batch of call-up orders is enqueued on Redis and made by a real RQ worker (burst mode, in this process
so that it sees the test database), which stores the file. Skipped only when no Redis answers on
127.0.0.1:6379; the database queue stays the default."""

import io
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.test import override_settings
from pypdf import PdfReader

from recruitment import documents, tasks
from tests.factories import CandidateFactory, PersonFactory
from units.jobs import job_start
from units.models import BackgroundJob

REDIS_URL = "redis://127.0.0.1:6379/14"


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    pytest.importorskip("django_tasks_rq")
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    return connection


@pytest.mark.django_db(transaction=True)
def test_the_redis_worker_runs_a_batch(officer, campaign, tree):
    _redis_or_skip()
    import django_rq

    for n in range(5):
        person = PersonFactory(full_name=f"Công Dân Số {n}", home_unit=tree["vq_hamlet"])
        CandidateFactory(campaign=campaign, stage="approved", person=person)
    # A queue of this run's own: test runs side by side never take each other's jobs.
    queue = f"baolam-test-{uuid.uuid4().hex[:12]}"
    rq_settings = {  # what TASKS_BACKEND=rq sets (baolam_portal/settings/base.py), with this run's queue
        "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}},
        # django-tasks-rq reads results through the connection of the queue named "default".
        "RQ_QUEUES": {queue: {"URL": REDIS_URL}, "default": {"URL": REDIS_URL}},
        "RQ": {"JOB_CLASS": "django_tasks_rq.backend.Job"},
    }
    with override_settings(**rq_settings):
        task = tasks.make_papers_task.using(queue_name=queue)
        opts = documents.Options(on=campaign.handover_date, place="Sân vận động")
        job = job_start(
            user=officer,
            kind=tasks.PERSONAL_BATCH,
            title="Lệnh gọi nhập ngũ · Vĩnh Quang",
            task=task,
            params={
                "key": "callup_order",
                "campaign": campaign.pk,
                "commune": tree["vinh_quang"].pk,
                "fmt": "pdf",
                "options": tasks.options_to_params(opts),
            },
        )
        rq_queue = django_rq.get_queue(queue)
        try:
            # Enqueued on Redis, nothing done yet: the page that starts it answers at once.
            assert job.status == "queued" and rq_queue.job_ids == [job.task_id]
            assert task.get_result(job.task_id).status == "READY"
            # The worker `manage.py rqworker` starts, without forking (it must see this test's database).
            worker = django_rq.get_worker(queue, worker_class="rq.worker.SimpleWorker")
            assert worker.work(burst=True)  # True: it did some work
            job.refresh_from_db()
            assert job.status == "done" and job.done == job.total == 5
            assert len(PdfReader(io.BytesIO(bytes(job.content))).pages) == 5
            assert job.filename.endswith(".pdf") and job.expires_at is not None
            result = task.get_result(job.task_id)  # the task's own result, as django.tasks reads it from Redis
            assert result.status == "SUCCESSFUL" and result.return_value == "done"
            assert rq_queue.count == 0
        finally:
            rq_queue.delete(delete_jobs=True)
            BackgroundJob.objects.all().delete()


def test_the_database_queue_stays_the_default():
    assert settings.TASKS["default"]["BACKEND"] == "django.tasks.backends.immediate.ImmediateBackend"  # tests
    env = {k: v for k, v in os.environ.items() if k not in ("TASKS_BACKEND", "DJANGO_SETTINGS_MODULE")}
    code = (
        "from django.conf import settings as s; print(s.TASKS['default']['BACKEND'], 'django_rq' in s.INSTALLED_APPS)"
    )
    out = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split()[-2:] == ["django_tasks_db.DatabaseBackend", "False"]


def test_the_rq_settings_pass_the_system_checks():
    """TASKS_BACKEND=rq configures a backend whose own checks pass (django_rq installed, the queue known)."""
    pytest.importorskip("django_tasks_rq")
    env = {**os.environ, "TASKS_BACKEND": "rq", "TASKS_REDIS_URL": REDIS_URL}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "check"], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    code = "from django.conf import settings as s; print(s.TASKS['default']['BACKEND'], s.RQ['JOB_CLASS'])"
    out = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert out.stdout.split()[-2:] == ["django_tasks_rq.RQBackend", "django_tasks_rq.backend.Job"], out.stderr
