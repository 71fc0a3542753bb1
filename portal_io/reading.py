"""Turning an uploaded file into rows of raw cells, refusing what is unsafe or malformed.

Every check looks at the content, never at the file name: an .xlsx is a zip holding
xl/workbook.xml, whose unpacked size is checked before openpyxl opens it; a CSV is text
that decodes as UTF-8. The raw cells are kept JSON-friendly (text, numbers, ISO dates) so the
parsed upload can wait on disk between the preview and the confirmation.

The limits are keyword arguments with the module's constants as defaults, so a caller may keep its
own (and a test may lower them).
"""

import contextvars
import csv
import datetime
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from units.text import clean_text, fold

from . import legacy

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 2_000
HEADER_SEARCH_ROWS = 10
# Rows whose cell fonts are read to recognise a legacy encoding (.VnTime, VNI-Times): enough to decide.
FONT_SAMPLE_ROWS = 200
# The encoding of the text the reader is asked to assume: "auto" (detected per column), or one of
# portal_io.legacy.ENCODINGS chosen by the user on the upload form (the import wizard sets it).
ENCODING = contextvars.ContextVar("portal_io_legacy_encoding", default="auto")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc)
_BINARY_MAGICS = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"%PDF",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"MZ",
    b"\x7fELF",
)


class FileRejected(Exception):
    """The whole file is refused; `messages` say why, in the reader's language."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(self.messages))


@dataclass
class ParsedFile:
    kind: str  # "xlsx" or "csv"
    rows: list  # [(line number in the file, [raw cell per column, None if absent])]
    ignored_headers: list = field(default_factory=list)
    # {column header: "tcvn3" or "vni"}: the columns converted from a legacy encoding to Unicode.
    encodings: dict = field(default_factory=dict)


def _mb(size):
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def read_upload_bytes(uploaded, *, max_bytes=MAX_FILE_BYTES) -> bytes:
    """The bytes of an uploaded file, or FileRejected when it is larger than `max_bytes`."""
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise FileRejected(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": _mb(uploaded.size), "limit": max_bytes // 1024 // 1024}
        )
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRejected(
            _("The file is larger than %(limit)s MB. Split it into smaller files.")
            % {"limit": max_bytes // 1024 // 1024}
        )
    return data


def read_upload(uploaded, columns, *, max_bytes=MAX_FILE_BYTES, **options) -> ParsedFile:
    """Check an uploaded file and return its data rows, or raise FileRejected. See `read_bytes`."""
    return read_bytes(read_upload_bytes(uploaded, max_bytes=max_bytes), columns, **options)


def open_table(data: bytes, *, max_unpacked=MAX_UNCOMPRESSED_BYTES, max_members=MAX_ZIP_MEMBERS):
    """(kind, rows): the first sheet of a workbook or the lines of a CSV, recognised by content.
    The rows are a generator; close it when done."""
    if not data.strip():
        raise FileRejected(_("The file is empty."))
    if data.startswith(_ZIP_MAGIC):
        if check_zip(data, max_unpacked=max_unpacked, max_members=max_members) == "ods":
            return "ods", _calamine_rows(data, _ODS_DAMAGED)
        return "xlsx", _xlsx_rows(data, max_unpacked=max_unpacked, max_members=max_members)
    if data.startswith(_OLE2_MAGIC):
        return "xls", _calamine_rows(data, _XLS_DAMAGED)
    if data.startswith(_BINARY_MAGICS) or b"\x00" in data[:4096]:
        raise FileRejected(
            _("This file is neither a spreadsheet (.xlsx, .xls, .ods) nor a CSV file, whatever its name says.")
        )
    return "csv", _csv_rows(data)


def read_bytes(
    data: bytes,
    columns,
    *,
    essential=("full_name", "national_id"),
    id_key="national_id",
    max_rows=MAX_ROWS,
    max_unpacked=MAX_UNCOMPRESSED_BYTES,
    max_members=MAX_ZIP_MEMBERS,
) -> ParsedFile:
    """The data rows of a file whose header row names `columns` (see `columns.Column`).

    `essential`: keys of the columns that identify the header row; `id_key`: the column that must not
    repeat inside the file (None: no such check)."""
    kind, table = open_table(data, max_unpacked=max_unpacked, max_members=max_members)
    try:
        parsed = _rows_of_table(table, columns, kind, essential=set(essential), id_key=None, max_rows=max_rows)
    finally:
        table.close()  # closes the workbook even when a limit stopped the reading early
    fonts = _xlsx_fonts(data) if kind == "xlsx" else {}
    _convert_legacy(parsed, columns, fonts, ENCODING.get())
    if id_key is not None:
        refuse_duplicate_ids(parsed.rows, columns, id_key=id_key)
    return parsed


def _convert_legacy(parsed, columns, fonts, choice):
    """Text typed in TCVN3 or VNI, converted to Unicode column by column (portal_io.legacy): detected from
    the cells' fonts and characters, or as the user chose."""
    if choice == legacy.UNICODE:
        return
    positions = parsed.__dict__.pop("_positions", [])
    column_fonts = {i: fonts.get(raw, ()) for i, raw in enumerate(positions) if raw is not None}
    overrides = {i: choice for i in range(len(columns))} if choice in (legacy.TCVN3, legacy.VNI) else None
    values = [raw for _line, raw in parsed.rows]
    converted, found = legacy.convert_rows(columns, values, overrides=overrides, fonts=column_fonts)
    if not found:
        return
    changed = {i for before, after in zip(values, converted, strict=True) for i in found if before[i] != after[i]}
    parsed.rows = [(line, row) for (line, _raw), row in zip(parsed.rows, converted, strict=True)]
    # The columns whose text the conversion changed (a column of digits in a .VnTime cell is not shown).
    parsed.encodings = {columns[i].header: found[i][0] for i in sorted(changed)}


def _xlsx_fonts(data):
    """{column index: font names of its cells} over the first rows of the first sheet (the data was checked
    by `check_zip` already)."""
    from openpyxl import load_workbook

    fonts = {}
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # noqa: BLE001 - the values were read: a font we cannot read is no font
        return fonts
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(max_row=FONT_SAMPLE_ROWS):
            for index, cell in enumerate(row):
                name = getattr(getattr(cell, "font", None), "name", None)
                if name and getattr(cell, "value", None) is not None:
                    fonts.setdefault(index, []).append(name)
    finally:
        workbook.close()
    return fonts


# --- Excel -----------------------------------------------------------------------------------


def check_zip(data, *, max_unpacked=MAX_UNCOMPRESSED_BYTES, max_members=MAX_ZIP_MEMBERS):
    """Refuse a damaged zip, a zip that is no workbook, and a zip bomb, before anything is unpacked. Returns
    "xlsx", or "ods" for an OpenDocument spreadsheet (LibreOffice), recognised by its `mimetype` member."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        names = {info.filename for info in members}
        kind = "xlsx"
        mimetype = next((info for info in members if info.filename == "mimetype"), None)
        # The OpenDocument package's first member names its type, stored uncompressed in a few bytes.
        if (
            mimetype is not None
            and mimetype.file_size < 100
            and "content.xml" in names
            and archive.read(mimetype).strip() == _ODS_MIMETYPE
        ):
            kind = "ods"
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, NotImplementedError):
        raise FileRejected(_("The file looks like an Excel workbook but is damaged and cannot be read.")) from None
    if kind != "ods" and "xl/workbook.xml" not in names:
        raise FileRejected(
            _("This zip file is not an Excel workbook (.xlsx). Save the sheet from Excel as «Excel Workbook».")
        )
    unpacked = sum(info.file_size for info in members)
    if len(members) > max_members or unpacked > max_unpacked:
        # Refused before openpyxl unpacks anything: a small file that expands enormously is an attack.
        raise FileRejected(
            _(
                "The workbook unpacks to %(size)s MB, above the limit of %(limit)s MB. "
                "Remove pictures and unused sheets, or split the roster into several files."
            )
            % {"size": _mb(unpacked), "limit": max_unpacked // 1024 // 1024}
        )
    return kind


def _xlsx_rows(data, *, max_unpacked, max_members):
    check_zip(data, max_unpacked=max_unpacked, max_members=max_members)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a malformed package
        raise FileRejected(_("The Excel workbook is damaged and cannot be read.")) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileRejected(_("The workbook has no sheet."))
        # A generator: rows are read one at a time, so the row limit stops a huge sheet early.
        sheet.reset_dimensions()  # the stored dimensions may lie; read the rows that are really there
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


_XLS_DAMAGED = "xls"
_ODS_DAMAGED = "ods"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _calamine_rows(data, kind):
    """The first sheet of an old Excel 97–2003 workbook (.xls) or of an OpenDocument spreadsheet (.ods, checked
    against a zip bomb before), read by python-calamine: the same size and row limits as a workbook (the file
    size is checked before, the rows by the caller). Its cell fonts are not read, so a legacy encoding is
    recognised from the characters."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0) if workbook.sheet_names else None
    except Exception:  # noqa: BLE001 - calamine raises its own kinds on a damaged or protected file
        if kind == _ODS_DAMAGED:
            raise FileRejected(
                _(
                    "The OpenDocument spreadsheet (.ods) is damaged and cannot be read. "
                    "Open it in LibreOffice and save it again, or save it as «Excel Workbook (.xlsx)»."
                )
            ) from None
        raise FileRejected(
            _(
                "The old Excel 97–2003 file (.xls) is damaged or protected and cannot be read. "
                "Open it in Excel and save it as «Excel Workbook (.xlsx)»."
            )
        ) from None
    if sheet is None:
        raise FileRejected(_("The workbook has no sheet."))
    try:
        for row in sheet.iter_rows():
            # calamine gives "" for an empty cell and floats for whole numbers typed as numbers
            yield [None if v == "" else (int(v) if isinstance(v, float) and v.is_integer() else v) for v in row]
    finally:
        workbook.close()


# --- CSV ---------------------------------------------------------------------------------------


def _csv_rows(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(
            _(
                "The CSV file is not in UTF-8, so Vietnamese letters would be garbled. "
                "In Excel choose «Save as» → «CSV UTF-8», or upload the .xlsx workbook."
            )
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        raise FileRejected(_("The CSV file is malformed (a quote is not closed).")) from None


# --- Rows under the header ---------------------------------------------------------------------


def normalize_cell(value):
    """A cell as text (see units.text.clean_text), number or ISO date; None when empty. Undoes the export's
    formula guard."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return {"date": value.date().isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    text = clean_text(str(value)).replace("\u00a0", " ").strip()
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    return text or None


def is_blank(cells):
    return all(normalize_cell(c) is None for c in cells)


def _header_map(cells, columns):
    """column key → index in the row, plus the headers nobody reads."""
    by_name = {}
    for column in columns:
        for name in column.folded_names:
            by_name[name] = column
    found, ignored, twice = {}, [], []
    for index, cell in enumerate(cells):
        text = normalize_cell(cell)
        if text is None:
            continue
        column = by_name.get(fold(str(text)))
        if column is None:
            ignored.append(str(text))
        elif column.key in found:
            twice.append(column.header)
        else:
            found[column.key] = index
    return found, ignored, twice


def _rows_of_table(table, columns, kind, *, essential, id_key, max_rows):
    numbered = enumerate(table, start=1)
    header_line, mapping = _find_header(numbered, columns, essential)
    found, ignored, twice = mapping
    if twice:
        raise FileRejected(
            _("These columns appear more than once: %(columns)s.") % {"columns": ", ".join(f"«{h}»" for h in twice)}
        )
    missing = [c.header for c in columns if c.imported and not c.header_optional and c.key not in found]
    if missing:
        message = ngettext(
            "The column %(columns)s is missing or has been renamed.",
            "The columns %(columns)s are missing or have been renamed.",
            len(missing),
        ) % {"columns": ", ".join(f"«{h}»" for h in missing)}
        hint = _("Keep the header row of the template unchanged.")
        if ignored:
            hint += " " + _("Columns not recognised: %(columns)s.") % {"columns": ", ".join(f"'{h}'" for h in ignored)}
        raise FileRejected([message, hint])

    instructions = {c.key: fold(c.instruction) for c in columns}
    positions = [(found.get(c.key), c) for c in columns]
    rows = []
    for line, cells in numbered:
        if is_blank(cells):
            continue
        raw = [normalize_cell(cells[i]) if i is not None and i < len(cells) else None for i, _c in positions]
        if not rows and line == header_line + 1 and _is_instruction_row(raw, columns, instructions):
            continue
        rows.append((line, raw))
        if len(rows) > max_rows:
            raise FileRejected(
                _("The file has more than %(limit)s data rows. Split it into several files.")
                % {"limit": f"{max_rows:,}".replace(",", ".")}
            )
    if not rows:
        raise FileRejected(_("The sheet has a header row but no data rows under it."))
    if id_key is not None:
        refuse_duplicate_ids(rows, columns, id_key=id_key)
    parsed = ParsedFile(kind=kind, rows=rows, ignored_headers=ignored)
    parsed._positions = [i for i, _c in positions]
    return parsed


def _find_header(numbered, columns, essential):
    """The header row: the first row naming the essential columns, looked for among the first
    rows that hold anything (a title above the table is fine). Falls back on the first such row."""
    first, seen = None, 0
    for line, cells in numbered:
        if is_blank(cells):
            continue
        mapping = _header_map(cells, columns)
        if essential <= mapping[0].keys():
            return line, mapping
        # A header typed in TCVN3 or VNI ("Hä vµ tªn") is recognised once converted.
        for encoding in (legacy.TCVN3, legacy.VNI):
            converted = _header_map([legacy.decode(c, encoding) for c in cells], columns)
            if essential <= converted[0].keys():
                return line, converted
        first = first or (line, mapping)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise FileRejected(_("The sheet is empty: there is no header row and no data."))
    return first


def _is_instruction_row(raw, columns, instructions):
    matches = sum(
        1
        for column, value in zip(columns, raw, strict=True)
        if isinstance(value, str) and fold(value) == instructions[column.key]
    )
    return matches >= min(3, len(columns))


def national_id_text(value):
    """The national ID as 12 digits when Excel turned it into a number and dropped its leading zeros.

    Fullwidth digits become 0–9 (NFKC), so the number is found and compared in one spelling; digits of
    other scripts are left as they are, for the person's rules to refuse with their message."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return ""
    if isinstance(value, int):
        text = str(value)
        return text.zfill(12) if 9 <= len(text) < 12 else text
    text = unicodedata.normalize("NFKC", str(value)).replace(" ", "").replace(".", "")
    if text.isascii() and text.isdigit() and 10 <= len(text) < 12:
        return text.zfill(12)
    return text


def refuse_duplicate_ids(rows, columns, *, id_key="national_id"):
    index = next(i for i, c in enumerate(columns) if c.key == id_key)
    seen, duplicates = {}, []
    for line, raw in rows:
        national_id = national_id_text(raw[index])
        if not national_id:
            continue
        if national_id in seen:
            duplicates.append((national_id, seen[national_id], line))
        else:
            seen[national_id] = line
    if duplicates:
        messages = [
            _("National ID %(id)s appears twice: rows %(first)s and %(second)s.")
            % {"id": national_id, "first": first, "second": second}
            for national_id, first, second in duplicates[:10]
        ]
        if len(duplicates) > 10:
            messages.append(_("… and %(count)s more repeated national IDs.") % {"count": len(duplicates) - 10})
        messages.append(_("Each person may appear only once in the file. Merge or delete the repeated rows."))
        raise FileRejected(messages)
