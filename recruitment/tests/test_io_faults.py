"""An upload of candidates that cannot be kept on the server: said to the user in Vietnamese and to the
log, and nothing left behind."""

import logging

import pytest

from recruitment.models import Candidate
from recruitment.tests.test_io import reg_row, upload, xlsx

pytestmark = pytest.mark.django_db


def test_an_upload_that_cannot_be_stored_is_told_and_leaves_nothing(
    client, officer, campaign, settings, tmp_path, caplog
):
    client.force_login(officer)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.RECRUITMENT_IMPORT_DIR = str(blocker / "imports")
    with caplog.at_level(logging.ERROR, logger="portal_io.storage"):
        response = upload(client, campaign, xlsx([reg_row(1)]))
    assert response.status_code == 503
    html = response.content.decode()
    assert "Không lưu được tệp trên máy chủ để xem trước" in html
    assert any("not stored" in record.getMessage() for record in caplog.records)
    assert not Candidate.objects.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]
