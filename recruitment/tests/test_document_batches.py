"""A batch of personal papers runs in the background (django.tasks): the page that starts it answers at once
with the progress page, the file waits in "My files", it expires, a failure says why; one test runs the
real database worker."""

import datetime
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portal_io.documents import render_pdf_batch
from tests.factories import CandidateFactory, PersonFactory, UserFactory
from units import jobs
from units.models import BackgroundJob, IssuedDocument

pytestmark = pytest.mark.django_db


def _orders(client, campaign, commune, fmt="pdf"):
    data = {"callup_order-commune": commune.pk, "callup_order-fmt": fmt, "callup_order-place": "Sân vận động"}
    return client.post(reverse("recruitment:document_make", args=[campaign.pk, "callup_order"]), data)


def _approved(campaign, hamlet, count):
    return [
        CandidateFactory(
            campaign=campaign,
            stage="approved",
            person=PersonFactory(full_name=f"Công Dân Số {n:03d}", home_unit=hamlet),
        )
        for n in range(count)
    ]


def test_orders_are_made_in_the_background_and_wait_in_my_files(client, officer, campaign, tree):
    _approved(campaign, tree["vq_hamlet"], 3)
    client.force_login(officer)
    response = _orders(client, campaign, tree["vinh_quang"])
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("files:detail", args=[job.pk])
    assert job.status == "done" and job.done == job.total == 3 and job.user == officer  # tests run tasks at once
    page = client.get(response["Location"]).content.decode()
    assert 'id="job-done"' in page and reverse("files:download", args=[job.pk]) in page
    assert "hx-trigger" not in page  # nothing left to poll
    download = client.get(reverse("files:download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(download.content)).pages) == 3
    listing = client.get(reverse("files:list")).content.decode()
    assert job.title in listing and 'data-status="done"' in listing
    assert job.expires_at > timezone.now() + datetime.timedelta(hours=71)


def test_a_batch_larger_than_a_chunk_reports_its_progress(client, officer, campaign, tree):
    _approved(campaign, tree["vq_hamlet"], 7)
    seen = []
    real = jobs.Progress.__call__

    def spy(self, done, total):
        seen.append((done, total))
        return real(self, done, total)

    client.force_login(officer)
    with (
        mock.patch.object(jobs.Progress, "__call__", spy),
        mock.patch.dict(render_pdf_batch.__kwdefaults__, {"chunk": 3, "processes": 1}),
    ):
        _orders(client, campaign, tree["vinh_quang"])
    assert seen[0] == (0, 7) and (3, 7) in seen and (6, 7) in seen and seen[-1] == (7, 7)
    job = BackgroundJob.objects.get()
    assert len(PdfReader(io.BytesIO(bytes(job.content))).pages) == 7


def test_the_progress_page_polls_while_the_work_waits(client, officer):
    job = BackgroundJob.objects.create(user=officer, kind="x", title="Lệnh gọi nhập ngũ", done=40, total=120)
    client.force_login(officer)
    page = client.get(reverse("files:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'id="job-bar"' in page and 'value="40"' in page
    partial = client.get(reverse("files:detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert partial.content.decode().startswith('<div id="job-progress"')
    assert "<html" not in partial.content.decode()
    assert client.get(reverse("files:download", args=[job.pk])).status_code == 404  # not ready


def test_another_users_file_is_not_found(client, officer, tree):
    job = BackgroundJob.objects.create(
        user=officer, kind="x", title="Lệnh của người khác", status="done", content=b"%PDF"
    )
    client.force_login(UserFactory(username="someone"))
    assert client.get(reverse("files:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("files:download", args=[job.pk])).status_code == 404
    assert "Lệnh của người khác" not in client.get(reverse("files:list")).content.decode()


def test_an_expired_file_is_gone(client, officer):
    old = BackgroundJob.objects.create(
        user=officer, kind="x", title="Cũ", status="done", content=b"x", expires_at=timezone.now()
    )
    client.force_login(officer)
    assert client.get(reverse("files:detail", args=[old.pk])).status_code == 404
    assert jobs.job_prune() == 1
    assert not BackgroundJob.objects.exists()


def test_a_failure_says_why_and_changes_nothing(client, officer, campaign, tree):
    """Nobody to call up: the job fails with the reason; an unexpected error gives a plain message."""
    client.force_login(officer)
    response = _orders(client, campaign, tree["vinh_quang"])
    job = BackgroundJob.objects.get()
    assert job.status == "failed" and job.error == "Lệnh gọi nhập ngũ: hiện chưa có công dân nào ở Vĩnh Quang."
    page = client.get(response["Location"]).content.decode()
    assert 'id="job-error"' in page and "hiện chưa có công dân nào ở Vĩnh Quang" in page
    _approved(campaign, tree["vq_hamlet"], 2)
    with mock.patch("portal_io.documents.render_pdf_batch", side_effect=RuntimeError("disk full")):
        _orders(client, campaign, tree["vinh_quang"])
    failed = BackgroundJob.objects.latest("pk")
    assert failed.status == "failed" and "disk full" not in failed.error and failed.error
    # The numbers given before the failure are kept: made again, the orders show the same ones.
    numbers = set(IssuedDocument.objects.values_list("number", flat=True))
    _orders(client, campaign, tree["vinh_quang"])
    assert BackgroundJob.objects.latest("pk").status == "done"
    assert set(IssuedDocument.objects.values_list("number", flat=True)) == numbers == {1, 2}


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_batch(client, officer, campaign, tree):
    """The real queue: the page enqueues and answers at once, `db_worker` makes the file."""
    _approved(campaign, tree["vq_hamlet"], 12)
    client.force_login(officer)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        response = _orders(client, campaign, tree["vinh_quang"])
        job = BackgroundJob.objects.get()
        assert job.status == "queued" and job.task_id
        page = client.get(response["Location"]).content.decode()
        assert 'hx-trigger="every 1s"' in page and 'data-status="queued"' in page
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == "done" and job.done == job.total == 12
    assert len(PdfReader(io.BytesIO(bytes(job.content))).pages) == 12


def test_every_page_links_to_my_files_from_the_users_menu(client, officer):
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    assert f'<a class="dropdown-item" href="{reverse("files:list")}" id="nav-files">' in page
