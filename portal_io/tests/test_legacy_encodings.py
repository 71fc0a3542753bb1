"""Rosters typed in TCVN3 (.VnTime) or VNI (VNI-Times): every Vietnamese letter with every tone mark goes
there and back, a column is recognised by its fonts or its characters, and a workbook imports as Unicode."""

import io
import unicodedata

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from portal_io import legacy, reading

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # none, sắc, huyền, hỏi, ngã, nặng


def every_letter():
    """The 12 vowels with the 6 tone marks (none included), and đ: 73 lower-case letters."""
    letters = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES]
    return letters + ["đ"]


LOWER = every_letter()
UPPER = [letter.upper() for letter in LOWER]


def test_the_tables_cover_every_letter():
    assert len(LOWER) == 73
    non_ascii = [letter for letter in LOWER if not letter.isascii()]
    assert set(non_ascii) == set(legacy.LETTERS) and len(legacy.LETTERS) == 67
    assert len(set(legacy.TCVN3_ENCODE.values())) == len(legacy.TCVN3_ENCODE)  # one byte per letter
    assert len(set(legacy.VNI_ENCODE.values())) == len(legacy.VNI_ENCODE)


@pytest.mark.parametrize("letter", LOWER)
def test_tcvn3_round_trips_every_lower_case_letter(letter):
    encoded = legacy.encode(letter, legacy.TCVN3)
    assert all(ord(ch) <= 0xFF for ch in encoded) and len(encoded) == 1
    assert legacy.decode(encoded, legacy.TCVN3) == letter


@pytest.mark.parametrize("letter", UPPER)
def test_tcvn3_round_trips_every_capital_in_the_capital_fonts(letter):
    """TCVN3 capitals with a tone mark are typed with the lower-case codes in .VnTimeH; Ă Â Ê Ô Ơ Ư Đ have
    codes of their own."""
    encoded = legacy.encode(letter, legacy.TCVN3)
    assert legacy.decode(encoded, legacy.TCVN3, capitals=True) == letter
    if letter in legacy.TCVN3_CAPITALS:
        assert legacy.decode(encoded, legacy.TCVN3) == letter


@pytest.mark.parametrize("letter", LOWER + UPPER)
def test_vni_round_trips_every_letter(letter):
    encoded = legacy.encode(letter, legacy.VNI)
    assert all(ord(ch) <= 0xFF for ch in encoded)
    assert legacy.decode(encoded, legacy.VNI) == letter


@pytest.mark.parametrize(
    ("encoding", "typed"),
    [(legacy.TCVN3, "NguyÔn V¨n §øc"), (legacy.VNI, "Nguyeãn Vaên Ñöùc")],
    ids=["tcvn3", "vni"],
)
def test_a_name_as_the_old_fonts_store_it(encoding, typed):
    assert legacy.encode("Nguyễn Văn Đức", encoding) == typed
    assert legacy.decode(typed, encoding) == "Nguyễn Văn Đức"


NAMES = ["Nguyễn Văn Đức", "Hoàng Thị Hương", "Lò Văn Mười", "Vàng Seo Páo", "Đặng Thị Ánh", "Triệu Văn Khải"]


@pytest.mark.parametrize("encoding", [legacy.TCVN3, legacy.VNI])
def test_a_column_is_recognised_by_its_characters(encoding):
    assert legacy.detect([legacy.encode(n, encoding) for n in NAMES]) == (encoding, False)


def test_unicode_stays_unicode_even_in_latin_1_letters():
    assert legacy.detect(NAMES) == (legacy.UNICODE, False)
    # a foreign letter or two in a Unicode file ("Sùng AÖZ") decide nothing
    assert legacy.detect(["Sùng AÖZ", "AÖZ"]) == (legacy.UNICODE, False)
    assert legacy.detect(["Sùng AÖZ", "Nguyễn Müller", "Müller", "Bjørn"]) == (legacy.UNICODE, False)
    assert legacy.detect(["Hà Tú", "Lý Bá"]) == (legacy.UNICODE, False)
    assert legacy.detect(["Bao Lam", 12, None]) == (legacy.UNICODE, False)


def test_fonts_decide_before_characters():
    assert legacy.detect(["abc"], [".VnTime", ".VnTime"]) == (legacy.TCVN3, False)
    assert legacy.detect(["ABC"], [".VnTimeH"]) == (legacy.TCVN3, True)
    assert legacy.detect(["abc"], ["VNI-Times"]) == (legacy.VNI, False)
    assert legacy.detect(["Nguyễn"], ["Times New Roman"]) == (legacy.UNICODE, False)


# --- A workbook from an old office ------------------------------------------------------------------------


def _workbook(rows, font):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.font = Font(name=font)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _columns():
    from militia.io.columns import MEMBERS, columns_of

    return columns_of(MEMBERS)


def test_a_tcvn3_workbook_with_vntime_cells_imports_as_unicode(db):
    columns = _columns()
    header = [c.header for c in columns]
    people = [("Hoàng Văn Nhập", "Tày", "Nà Đoỏng", "Vĩnh Quang"), ("Đặng Thị Ước", "Dao", "Bản Tìn", "Vĩnh Quang")]
    rows = [[legacy.encode(h, legacy.TCVN3) for h in header]]
    for n, (name, ethnicity, hamlet, commune) in enumerate(people):
        values = {"Họ và tên": name, "Dân tộc": ethnicity, "Thôn/xóm": hamlet, "Xã/thị trấn": commune}
        values["Số CCCD"] = f"00420500{n:04d}"
        rows.append([legacy.encode(values.get(h, ""), legacy.TCVN3) if h in values else None for h in header])
    parsed = reading.read_bytes(_workbook(rows, ".VnTime"), columns)
    index = {c.header: i for i, c in enumerate(columns)}
    got = [(raw[index["Họ và tên"]], raw[index["Thôn/xóm"]]) for _line, raw in parsed.rows]
    assert got == [("Hoàng Văn Nhập", "Nà Đoỏng"), ("Đặng Thị Ước", "Bản Tìn")]
    assert parsed.encodings["Họ và tên"] == legacy.TCVN3


def test_the_user_may_override_the_detected_encoding(db):
    """A VNI file read as the user says: a single short value would be ambiguous."""
    columns = _columns()
    header = [c.header for c in columns]
    row = {"Họ và tên": legacy.encode("Lò Văn Mười", legacy.VNI), "Số CCCD": "004205000001"}
    data = _workbook([header, [row.get(h) for h in header]], "VNI-Times")
    parsed = reading.read_bytes(data, columns)
    assert parsed.rows[0][1][0] == "Lò Văn Mười"
    token = reading.ENCODING.set(legacy.UNICODE)
    try:
        raw = reading.read_bytes(data, columns)
    finally:
        reading.ENCODING.reset(token)
    assert raw.rows[0][1][0] == legacy.encode("Lò Văn Mười", legacy.VNI) and not raw.encodings


# --- Old Excel files (.xls) ---------------------------------------------------------------------------------


def _xls(rows):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("DS")
    style = xlwt.easyxf("font: name .VnTime")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value, style)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_old_xls_roster_in_tcvn3_reads_as_unicode(db):
    columns = _columns()
    header = [c.header for c in columns]
    rows = [[legacy.encode(h, legacy.TCVN3) for h in header]]
    for n, name in enumerate(["Lò Văn Mười", "Đặng Văn Ước", "Hoàng Thị Hương"]):
        values = {"Họ và tên": name, "Số CCCD": f"00420500000{n}", "Ngày sinh": "04/03/1999", "Trung đội": 1}
        rows.append([legacy.encode(v, legacy.TCVN3) if isinstance(v, str) else v for v in map(values.get, header)])
    parsed = reading.read_bytes(_xls(rows), columns)
    assert parsed.kind == "xls"
    raw = dict(zip(header, parsed.rows[0][1], strict=True))
    assert raw["Họ và tên"] == "Lò Văn Mười" and raw["Ngày sinh"] == "04/03/1999" and raw["Trung đội"] == 1
    assert raw["Số CCCD"] == "004205000000"
    assert [r[1][0] for r in parsed.rows] == ["Lò Văn Mười", "Đặng Văn Ước", "Hoàng Thị Hương"]


def test_an_xls_keeps_the_row_limit(db):
    columns = _columns()
    header = [c.header for c in columns]
    rows = [header] + [["Tên", f"0042050000{n:02d}"] + [None] * (len(header) - 2) for n in range(5)]
    with pytest.raises(reading.FileRejected, match="3"):
        reading.read_bytes(_xls(rows), columns, max_rows=3)


def test_a_damaged_xls_is_refused(db):
    with pytest.raises(reading.FileRejected, match="97–2003"):
        reading.read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, _columns())
