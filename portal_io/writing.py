"""Writing tables out as .xlsx or CSV, so that no spreadsheet runs what a user typed.

In a workbook a text that starts with = + - @ (or a tab / carriage return) is a string cell with
Excel's quote prefix (shown as typed, never evaluated); in a CSV, which has no cell types, it gets a
leading apostrophe. `reading.normalize_cell` strips that apostrophe again, so an exported file
imports back unchanged. Dates are real dates (dd/mm/yyyy) in a workbook and dd/mm/yyyy text in a CSV.
Text goes out through `units.text.clean_text`: a control character stored before the portal cleaned what
it was given would otherwise make the workbook impossible to write.
"""

import csv
import datetime
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from units.text import clean_text

from .reading import FORMULA_PREFIXES
from .values import raw_value

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "DD/MM/YYYY"
ERROR_HEADER = "Lỗi"
LINE_HEADER = "Dòng trong tệp gốc"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="3B5323")
NOTE_FONT = Font(italic=True, color="555555", size=9)


def is_formula_like(text):
    return isinstance(text, str) and text.startswith(FORMULA_PREFIXES)


def csv_safe(text):
    """A CSV cell that no spreadsheet will evaluate."""
    return "'" + text if is_formula_like(text) else text


def safe_cell(sheet, value, *, font=None):
    value = clean_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    elif is_formula_like(value):
        cell.data_type = "s"  # stored as text, never as a formula
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def header_cell(sheet, text):
    cell = WriteOnlyCell(sheet, value=clean_text(str(text)))
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def write_xlsx(headers, rows, *, title="Sheet", widths=(), freeze="C2"):
    """A one-sheet workbook: the header row, then the rows (streamed, so a long list stays small in memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    if freeze:
        sheet.freeze_panes = freeze
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([header_cell(sheet, h) for h in headers])
    for row in rows:
        sheet.append([safe_cell(sheet, v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_csv(headers, rows):
    """UTF-8 with a byte-order mark, so Excel opens the Vietnamese letters correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return csv_safe(clean_text(str(value)))


def rejected_xlsx(headers, rows, reasons, *, title="Sheet", widths=()):
    """The rejected rows as they were in the file (`rows`: [(line, raw cells)]), with the reasons
    (`reasons`: line → [message]) in an extra column and the original line; fixed, it imports again."""

    def data():
        for line, raw in rows:
            if line in reasons:
                yield [raw_value(v) for v in raw] + ["\n".join(reasons[line]), line]

    return write_xlsx(
        [*headers, ERROR_HEADER, LINE_HEADER], data(), title=title, widths=[*widths, 70, 10] if widths else ()
    )
