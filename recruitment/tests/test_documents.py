"""The papers of the recruitment year (Decree 30/2020 layout): each file read back against the checklist of
its elements, the numbers of the issuing body's register, who may make them and the audit trail."""

import datetime
import io
import threading
import unicodedata
import zipfile

import pytest
from django.db import connection
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from recruitment import documents
from recruitment.models import DeferralGround, ListPosting
from tests.factories import CandidateFactory, PersonFactory
from units.models import AuditEvent, DocumentCounter, IssuedDocument

pytestmark = pytest.mark.django_db


def _pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    # Lines broken where the page breaks them: compare with single spaces.
    return reader, [" ".join(unicodedata.normalize("NFC", page.extract_text()).split()) for page in reader.pages]


def _docx_text(content):
    word = Document(io.BytesIO(content))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def _make(client, campaign, key, **fields):
    """Post the paper's form; a batch of personal papers is made in the background (at once in the tests):
    then the file of the job the page leads to."""
    data = {f"{key}-{name}": value for name, value in fields.items()}
    response = client.post(reverse("recruitment:document_make", args=[campaign.pk, key]), data)
    if response.status_code == 302 and response["Location"].startswith("/files/"):
        return client.get(response["Location"] + "download/")
    return response


@pytest.fixture
def approved(campaign, tree):
    """Two approved citizens of Vĩnh Quang (one of them born in 2005) and one of Lý Bôn."""
    first = CandidateFactory(
        campaign=campaign,
        stage="approved",
        health_class=1,
        person=PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"], national_id="004205000111"),
    )
    second = CandidateFactory(
        campaign=campaign,
        stage="approved",
        health_class=2,
        person=PersonFactory(full_name="Hoàng Văn Ấn", home_unit=tree["vq_hamlet2"]),
    )
    CandidateFactory(
        campaign=campaign, stage="approved", person=PersonFactory(full_name="Vàng Seo Páo", home_unit=tree["lb_hamlet"])
    )
    return [second, first]  # in the order of the lists: by name


# --- Call-up orders ----------------------------------------------------------------------------------


def test_callup_orders_are_one_pdf_with_every_element_of_the_order(client, officer, campaign, approved, tree):
    client.force_login(officer)
    response = _make(
        client,
        campaign,
        "callup_order",
        commune=tree["vinh_quang"].pk,
        fmt="pdf",
        day="20/02/2027",
        when="07:30",
        place="Sân vận động huyện Bảo Lâm",
        signer_name="Nông Văn Tài",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "callup-order-2027-Vinh-Quang.pdf" in response["Content-Disposition"]  # from My files
    reader, pages = _pdf_text(response.content)
    assert len(pages) == 2  # one order per citizen, each on its own sheet
    year = datetime.date.today().year
    for page, candidate, number in zip(pages, approved, ("01", "02"), strict=True):
        for element in (
            "ỦY BAN NHÂN DÂN",  # the commune's People's Committee issues it after 01/07/2025
            "XÃ VĨNH QUANG",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            f"Số: {number}/LGNN-UBND",
            "Vĩnh Quang, ngày",
            f"năm {year}",
            "LỆNH GỌI CÔNG DÂN NHẬP NGŨ",
            "Căn cứ Luật Nghĩa vụ quân sự năm 2015",
            candidate.person.full_name,
            candidate.person.birth_date.strftime("%d/%m/%Y"),
            "07 giờ 30 ngày 20/02/2027",
            "Sân vận động huyện Bảo Lâm",
            "để nhập ngũ",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
            "Nông Văn Tài",
            "Nơi nhận:",
        ):
            assert element in page, (element, page)
    assert "Vàng Seo Páo" not in "".join(pages)  # Lý Bôn's citizen is not in Vĩnh Quang's batch
    assert IssuedDocument.objects.filter(unit=tree["vinh_quang"], type_code="LGNN").count() == 2


def test_orders_made_again_keep_their_numbers_and_new_ones_follow(client, officer, campaign, approved, tree):
    client.force_login(officer)
    fields = {"commune": tree["vinh_quang"].pk, "fmt": "pdf"}
    _make(client, campaign, "callup_order", **fields)
    late = CandidateFactory(
        campaign=campaign, stage="approved", person=PersonFactory(full_name="Lý Văn Ba", home_unit=tree["vq_hamlet"])
    )
    response = _make(client, campaign, "callup_order", **fields)
    _reader, pages = _pdf_text(response.content)
    numbers = {c.person.full_name: f"Số: {n}/LGNN-UBND" for c, n in zip(approved, ("01", "02"), strict=True)}
    numbers[late.person.full_name] = "Số: 03/LGNN-UBND"
    for name, number in numbers.items():
        assert any(name in page and number in page for page in pages), name
    counter = DocumentCounter.objects.get(unit=tree["vinh_quang"], type_code="LGNN")
    assert counter.last == 3


def test_callup_orders_as_a_zip_of_word_files(client, officer, campaign, approved, tree):
    client.force_login(officer)
    response = _make(client, campaign, "callup_order", commune=tree["vinh_quang"].pk, fmt="zip", place="Nhà văn hóa")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert names == ["LGNN-001-Hoang-Van-An.docx", "LGNN-002-Nguyen-Van-Duc.docx"]
    text = _docx_text(archive.read(names[1]))
    for element in ("Số: 02/LGNN-UBND", "LỆNH GỌI CÔNG DÂN NHẬP NGŨ", "Nguyễn Văn Đức", "004205000111", "Nhà văn hóa"):
        assert element in text
    word = Document(io.BytesIO(archive.read(names[0])))
    assert word.styles["Normal"].font.name == "Times New Roman"


def test_before_the_reorganisation_the_district_chair_signs_the_order(campaign, approved, tree, officer):
    """Luật NVQS 2015 Điều 33: until 30/06/2025 the chair of the district People's Committee calls up."""
    opts = documents.Options(on=datetime.date(2025, 3, 1), place="Huyện đội")
    docs, _table = documents.callup_orders(campaign=campaign, commune=tree["vinh_quang"], user=officer, opts=opts)
    assert docs[0].issuer_lines == ["ỦY BAN NHÂN DÂN", "HUYỆN BẢO LÂM"]
    assert docs[0].number_line == "Số: 01/LGNN-UBND"
    assert docs[0].date_line == "Vĩnh Quang, ngày 01 tháng 3 năm 2025" or docs[0].date_line.endswith("năm 2025")
    after = documents.Options(on=datetime.date(2025, 7, 1))
    docs, _table = documents.callup_orders(campaign=campaign, commune=tree["vinh_quang"], user=officer, opts=after)
    assert docs[0].issuer_lines == ["ỦY BAN NHÂN DÂN", "XÃ VĨNH QUANG"]


# --- Lists -------------------------------------------------------------------------------------------


def test_deferment_list_gives_each_ground_in_words_and_records_the_posting(client, officer, campaign, tree):
    ground = DeferralGround.objects.get(code="41.1g")
    CandidateFactory(
        campaign=campaign,
        stage="deferred",
        ground=ground,
        ground_ends_on=datetime.date(2028, 6, 30),
        person=PersonFactory(full_name="Đặng Văn Sinh", home_unit=tree["vq_hamlet"]),
    )
    client.force_login(officer)
    response = _make(
        client,
        campaign,
        "public_deferred",
        commune=tree["vinh_quang"].pk,
        fmt="docx",
        posted_on="01/12/2026",
        place="Nhà văn hóa xã",
    )
    assert response.status_code == 200
    text = _docx_text(response.content)
    for element in (
        "DANH SÁCH",
        "Công dân được tạm hoãn gọi nhập ngũ năm 2027",
        "Số: 01/DS-BCHQS",
        "Đặng Văn Sinh",
        ground.label_vi,
        "điểm g khoản 1 Điều 41",
        "30/06/2028",
        "Niêm yết công khai tại Nhà văn hóa xã từ ngày 01/12/2026 đến ngày 20/12/2026.",
    ):
        assert element in text, element
    posting = ListPosting.objects.get(campaign=campaign, commune=tree["vinh_quang"], kind="deferment")
    assert posting.posted_on == datetime.date(2026, 12, 1)


def test_lists_come_as_excel_with_the_same_rows(client, officer, campaign, approved, tree):
    client.force_login(officer)
    response = _make(client, campaign, "public_approved", commune=tree["vinh_quang"].pk, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Họ và tên", "Ngày sinh")
    assert [r[1] for r in rows[1:]] == ["Hoàng Văn Ấn", "Nguyễn Văn Đức"]


def test_ready_register_is_a_register_without_a_number(client, commander, campaign, approved, tree):
    """A register is kept, not issued: a commander may print it, and it takes no number."""
    client.force_login(commander)
    response = _make(client, campaign, "ready_register", commune=tree["vinh_quang"].pk, fmt="pdf")
    assert response.status_code == 200
    _reader, pages = _pdf_text(response.content)
    text = "".join(pages)
    assert "SỔ ĐĂNG KÝ" in text and "Nguyễn Văn Đức" in text and "004205000111" in text
    assert "Số:" not in text
    assert not IssuedDocument.objects.exists()


def test_first_registration_list_and_certificates(client, officer, campaign, tree):
    """Men turning 17 in the preparation year (2026 for the 2027 call-up) and women of a matching profession."""
    boy = CandidateFactory(
        campaign=campaign,
        person=PersonFactory(
            full_name="Lò Văn Mười", sex="M", birth_date=datetime.date(2009, 5, 2), home_unit=tree["vq_hamlet"]
        ),
    )
    CandidateFactory(
        campaign=campaign,
        matching_profession="Y tá",
        person=PersonFactory(
            full_name="Nông Thị Hoa", sex="F", birth_date=datetime.date(2005, 1, 9), home_unit=tree["vq_hamlet"]
        ),
    )
    CandidateFactory(campaign=campaign, person=PersonFactory(full_name="Older Man", home_unit=tree["vq_hamlet"]))
    client.force_login(officer)
    text = _docx_text(_make(client, campaign, "registration_list", commune=tree["vinh_quang"].pk, fmt="docx").content)
    assert "Lò Văn Mười" in text and "Nông Thị Hoa" in text and "Y tá" in text and "Older Man" not in text
    assert "Công dân đăng ký nghĩa vụ quân sự lần đầu năm 2026" in text
    response = _make(client, campaign, "registration_certificate", commune=tree["vinh_quang"].pk, fmt="pdf")
    _reader, pages = _pdf_text(response.content)
    assert len(pages) == 2
    page = next(p for p in pages if boy.person.full_name in p)
    for element in ("GIẤY CHỨNG NHẬN", "Đăng ký nghĩa vụ quân sự", "GCN-BCH", "02/05/2009", "BAN CHỈ HUY QUÂN SỰ"):
        assert element in page, element


def test_exam_calls_and_hand_over_record(client, officer, campaign, approved, tree):
    CandidateFactory(
        campaign=campaign,
        stage="prescreened",
        person=PersonFactory(full_name="Triệu Văn Khám", home_unit=tree["vq_hamlet"]),
    )
    client.force_login(officer)
    response = _make(
        client,
        campaign,
        "exam_order",
        commune=tree["vinh_quang"].pk,
        fmt="pdf",
        day="05/11/2026",
        when="07:00",
        place="Trung tâm Y tế huyện",
        bring="Căn cước công dân",
    )
    _reader, pages = _pdf_text(response.content)
    assert len(pages) == 1
    for element in ("LỆNH GỌI KHÁM SỨC KHỎE", "Triệu Văn Khám", "07 giờ 00 ngày 05/11/2026", "Trung tâm Y tế huyện"):
        assert element in pages[0], element
    assert "Khi đi mang theo: Căn cước công dân." in pages[0]
    record = _make(
        client,
        campaign,
        "handover_record",
        commune=tree["vinh_quang"].pk,
        fmt="docx",
        receiving_unit="Trung đoàn 852",
        day="20/02/2027",
        when="08:00",
        place="Sân vận động",
    )
    text = _docx_text(record.content)
    for element in (
        "BIÊN BẢN",
        "Giao nhận quân năm 2027",
        "Số: 01/BB-BCHQS",
        "Bên nhận: Trung đoàn 852",
        "giao, nhận 2 công dân",
        "Nguyễn Văn Đức",
        "Hoàng Văn Ấn",
        "ĐẠI DIỆN BÊN GIAO",
        "ĐẠI DIỆN BÊN NHẬN",
        "TRUNG ĐOÀN 852",
    ):
        assert element in text, element


# --- Who may make them -------------------------------------------------------------------------------


def test_the_documents_tab_lists_every_paper(client, officer, campaign):
    client.force_login(officer)
    response = client.get(reverse("recruitment:campaign_documents", args=[campaign.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for key in documents.PAPERS:
        assert f'id="paper-{key}"' in html
    assert reverse("recruitment:campaign_documents", args=[campaign.pk]) in html  # the tab
    assert f'href="{reverse("files:list")}" id="my-files-link"' in html


def test_a_reader_may_not_issue_numbered_papers(client, commander, campaign, approved, tree):
    client.force_login(commander)
    response = _make(client, campaign, "callup_order", commune=tree["vinh_quang"].pk, fmt="pdf")
    assert response.status_code == 403
    assert not IssuedDocument.objects.exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED).exists()


def test_another_commune_is_refused_and_nothing_is_issued(client, outsider, campaign, approved, tree):
    client.force_login(outsider)
    response = _make(client, campaign, "callup_order", commune=tree["vinh_quang"].pk, fmt="pdf")
    assert response.status_code == 302
    assert not IssuedDocument.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Vĩnh Quang" not in page.split('id="papers"')[1]  # not offered either


def test_a_campaign_of_another_district_is_not_found(client, officer, other_district):
    client.force_login(officer)
    url = reverse("recruitment:campaign_documents", args=[other_district["campaign"].pk])
    assert client.get(url).status_code == 404


def test_each_file_is_audited(client, officer, campaign, approved, tree):
    client.force_login(officer)
    _make(client, campaign, "public_approved", commune=tree["vinh_quang"].pk, fmt="pdf")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.target == f"recruitment:{campaign.pk}:doc:public_approved.pdf"
    assert event.username == officer.username


def test_bad_input_says_why_and_issues_nothing(client, officer, campaign, approved, tree):
    client.force_login(officer)
    response = _make(client, campaign, "callup_order", commune=tree["vinh_quang"].pk, fmt="exe", day="31/02/2027")
    assert response.status_code == 302
    assert not IssuedDocument.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Lệnh gọi nhập ngũ" in page or "Call-up orders" in page


# --- Numbering under concurrency ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_numbers_have_no_gaps_or_repeats_under_concurrent_requests(tree):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write: concurrency is tried on PostgreSQL")
    from django.db import connections

    from units.services import documents_issue

    errors, threads = [], []

    def issue(index):
        try:
            for step in range(5):
                documents_issue(
                    unit=tree["vinh_quang"],
                    type_code="LGNN",
                    year=2026,
                    items=[(f"t{index}-{step}", "Lệnh"), (f"shared-{step}", "Lệnh")],
                )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    for index in range(6):
        threads.append(threading.Thread(target=issue, args=(index,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = sorted(IssuedDocument.objects.filter(type_code="LGNN").values_list("number", flat=True))
    assert numbers == list(range(1, 6 * 5 + 5 + 1))  # 30 own subjects and 5 shared ones, once each
    assert DocumentCounter.objects.get(unit=tree["vinh_quang"], type_code="LGNN", year=2026).last == 35


def test_the_documents_page_costs_the_same_whatever_the_number_of_citizens(client, officer, campaign, tree):
    from django.test.utils import CaptureQueriesContext

    url = reverse("recruitment:campaign_documents", args=[campaign.pk])
    client.force_login(officer)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(8):
        CandidateFactory(
            campaign=campaign,
            stage="approved",
            person=PersonFactory(full_name=f"Thêm {n}", home_unit=tree["vq_hamlet"]),
        )
    client.get(url)  # the summaries cached before the writes are computed again once
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
