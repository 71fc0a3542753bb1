"""The domain-free exchange helpers: reading by content, limits, dates, formula safety, storage."""

import datetime
import io
import zipfile
from types import SimpleNamespace

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from portal_io import reading, values, writing
from portal_io.columns import Column
from portal_io.storage import UploadStore

COLUMNS = (
    Column("national_id", "Số CCCD", "12 chữ số", kind="national_id", required=True),
    Column("health_class", "Phân loại sức khỏe", "1 đến 6", kind="int", required=True),
    Column("notes", "Ghi chú", "Có thể để trống", header_optional=True),
)
OPTIONS = {"essential": ("national_id",)}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def workbook_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_header_rows_and_instruction_row():
    data = workbook_bytes(
        [
            ["Tiêu đề"],
            ["Số CCCD", "PLSK?", "Phân loại sức khỏe", "Ghi chú"],
            ["12 chữ số", "", "1 đến 6", "Có thể để trống"],
            [1, None, 2],
        ]
    )
    parsed = reading.read_bytes(data, COLUMNS, **OPTIONS)
    assert parsed.kind == "xlsx"
    assert parsed.rows == [(4, [1, 2, None])]
    assert parsed.ignored_headers == ["PLSK?"]


def test_limits_and_type_by_content():
    rows = [["Số CCCD", "Phân loại sức khỏe"]] + [[f"00420600000{i}", 1] for i in range(5)]
    with pytest.raises(reading.FileRejected, match="more than 3 data rows"):
        reading.read_bytes(workbook_bytes(rows), COLUMNS, max_rows=3, **OPTIONS)
    with pytest.raises(reading.FileRejected, match="neither a spreadsheet"):
        reading.read_bytes(b"%PDF-1.4 ...", COLUMNS, **OPTIONS)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 2_000_000)
    with pytest.raises(reading.FileRejected, match="unpacks to"):
        reading.read_bytes(bomb.getvalue(), COLUMNS, max_unpacked=1_000_000, **OPTIONS)
    too_big = SimpleNamespace(size=6 * 1024 * 1024, seek=lambda n: None, read=lambda n: b"")
    with pytest.raises(reading.FileRejected, match="the limit is 5 MB"):
        reading.read_upload(too_big, COLUMNS, **OPTIONS)
    lying = SimpleNamespace(size=None, seek=lambda n: None, read=lambda n: b"x" * n)
    with pytest.raises(reading.FileRejected, match="larger than"):
        reading.read_upload_bytes(lying, max_bytes=1024)


def test_duplicate_ids_and_csv():
    text = "Số CCCD;Phân loại sức khỏe\n004206000001;1\n4206000001;2\n"
    with pytest.raises(reading.FileRejected, match="appears twice: rows 2 and 3"):
        reading.read_bytes(text.encode(), COLUMNS, **OPTIONS)
    parsed = reading.read_bytes(text.encode(), COLUMNS, id_key=None, **OPTIONS)
    assert parsed.kind == "csv" and len(parsed.rows) == 2


def test_dates_as_text_and_serials():
    assert values.parse_date("31/12/2006") == datetime.date(2006, 12, 31)
    assert values.parse_date(45306) == datetime.date(2024, 1, 15)
    assert values.parse_date({"date": "2006-06-01"}) == datetime.date(2006, 6, 1)
    for bad in ("31/02/2006", 2006, "hôm qua", True):
        with pytest.raises(values.Invalid):
            values.parse_date(bad)


def test_written_cells_are_never_formulas_and_dates_are_dates():
    rows = [["=1+2", "@SUM(A1)", datetime.date(2006, 6, 1), 3]]
    content = writing.write_xlsx(["A", "B", "C", "D"], rows, title="Thử")
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["A2"].value == "=1+2" and sheet["A2"].data_type == "s"
    assert sheet["C2"].value == datetime.datetime(2006, 6, 1)
    csv_text = writing.write_csv(["A", "B", "C"], [["=1+2", "-x", datetime.date(2006, 6, 1)]]).decode("utf-8-sig")
    assert csv_text.splitlines()[1] == "'=1+2,'-x,01/06/2006"
    assert reading.normalize_cell("'=1+2") == "=1+2"


def test_rejected_rows_workbook():
    content = writing.rejected_xlsx(["A", "B"], [(2, ["x", {"date": "2006-06-01"}]), (3, ["y", None])], {3: ["bad"]})
    assert list(load_workbook(io.BytesIO(content)).worksheets[0].values) == [
        ("A", "B", "Lỗi", "Dòng trong tệp gốc"),
        ("y", None, "bad", 3),
    ]


def test_store_keeps_an_upload_for_its_user_and_kind(settings, tmp_path):
    settings.TEST_IMPORT_DIR = str(tmp_path)
    store = UploadStore("TEST_IMPORT_DIR")
    user, other = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    token = store.save(user=user, kind="a", filename="f.xlsx", rows=[[2, [1]]], plan=[])
    assert store.load(token, user=user, kind="a")["filename"] == "f.xlsx"
    assert store.load(token, user=other, kind="a") is None
    assert store.load(token, user=user, kind="b") is None
    assert store.load("../../etc/passwd", user=user, kind="a") is None
    assert store.load(token, user=user, kind="a", max_age=-1) is None
    assert not store.path(token).exists()
