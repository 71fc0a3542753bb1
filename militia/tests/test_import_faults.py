"""An upload that cannot be kept on the server (the folder cannot be made or written, the disk is full):
the import page says so in Vietnamese, the log says why, and nothing is left behind."""

import logging

import pytest

from militia.models import MilitiaMember
from militia.tests.test_import import member_row, upload, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


def test_a_folder_that_cannot_be_made_is_told_to_the_user_and_the_log(signed_in, settings, tmp_path, caplog):
    blocker = tmp_path / "a-file"  # a regular file where the folder's parent should be: even root cannot
    blocker.write_text("")
    settings.MILITIA_IMPORT_DIR = str(blocker / "imports")
    with caplog.at_level(logging.ERROR, logger="portal_io.storage"):
        response = upload(signed_in, xlsx([member_row(1)]))
    assert response.status_code == 503
    html = response.content.decode()
    assert "Không lưu được tệp trên máy chủ để xem trước" in html
    assert "Chưa có gì được nhập" in html
    assert any("not stored" in record.getMessage() for record in caplog.records)
    assert not MilitiaMember.objects.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]


def test_a_folder_that_cannot_be_written_is_told_to_the_user(signed_in, settings):
    settings.MILITIA_IMPORT_DIR = "/proc"  # exists, and no one (root included) may create a file in it
    response = upload(signed_in, xlsx([member_row(1)]))
    assert response.status_code == 503
    assert "Không lưu được tệp trên máy chủ để xem trước" in response.content.decode()
    assert not MilitiaMember.objects.exists()
