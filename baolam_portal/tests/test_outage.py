"""While the database cannot be reached (a restart): the health check answers its own 503, and a failing
page still gets the portal's Vietnamese error page, never the server's bare English one."""

import pytest
from django.test import Client

from tests.outage import database_unreachable

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed_in(officer):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    return client


def test_the_health_check_answers_503_with_a_session_cookie(signed_in, tmp_path):
    assert signed_in.get("/healthz").status_code == 200
    with database_unreachable(tmp_path):
        response = signed_in.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_a_page_asked_while_the_database_is_down_gets_the_vietnamese_503(signed_in, tmp_path):
    with database_unreachable(tmp_path):
        response = signed_in.get("/")
    assert response.status_code == 503
    body = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in body and 'lang="vi"' in body
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.urls("baolam_portal.tests.urls_failing")
def test_a_defect_while_the_database_is_down_gets_the_vietnamese_500(signed_in, tmp_path):
    with database_unreachable(tmp_path):
        response = signed_in.get("/fails")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Lỗi hệ thống" in body and "Dữ liệu bạn đã lưu trước đó vẫn an toàn" in body
