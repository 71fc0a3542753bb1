"""Writing the people registry out: the filtered list as .xlsx or CSV, the import template with its example
row, and the rejected rows of an import, through the shared writer (portal_io.writing) so that no spreadsheet
runs what a user typed.

The columns are the registry's exchange format (`people.columns`): an exported list, corrected, imports back.
Choice labels are the models' labels in Vietnamese.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext, override
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from portal_io import writing
from portal_io.columns import FILE_LANGUAGE, yes_no
from portal_io.reading import MAX_ROWS
from units.text import clean_text

from . import columns as exchange
from .models import Ethnicity, Qualification, Religion, Sex

SHEET_TITLE = exchange.SHEET_TITLE
CHUNK_SIZE = 2000
XLSX_TYPE, CSV_TYPE = writing.XLSX_TYPE, writing.CSV_TYPE
# (key, header, width) of each column, in order.
COLUMNS = tuple((c.key, c.header, c.width) for c in exchange.COLUMNS)
_EXAMPLE_FONT = Font(italic=True, color="1F4E79")


def filename(extension="xlsx", *, suffix=""):
    return f"danh-sach-cong-dan{suffix}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _labels():
    with override(FILE_LANGUAGE):
        labels = {
            choices: {value: str(text) for value, text in choices.choices} for choices in (Sex, Religion, Qualification)
        }
        return labels, gettext("Yes"), gettext("No")


def person_rows(queryset):
    """The export rows of a people queryset, in column order; one query whatever the length (the
    queryset carries the ethnicity and the home unit with its kind and parent)."""
    labels, yes, no = _labels()
    for number, person in enumerate(queryset.iterator(chunk_size=CHUNK_SIZE), start=1):
        home = person.home_unit
        commune = home if home.kind.is_commune_level else home.parent
        values = {
            "number": number,
            "full_name": person.full_name,
            "national_id": person.national_id or "",
            "birth_date": person.birth_date,
            "sex": labels[Sex].get(person.sex, person.sex),
            "ethnicity": person.ethnicity.name,
            "religion": labels[Religion].get(person.religion, person.religion),
            "hamlet": "" if home.kind.is_commune_level else home.name,
            "commune": commune.name if commune else "",
            "general_education": person.general_education,
            "qualification": labels[Qualification].get(person.qualification, person.qualification),
            "occupation": person.occupation,
            "is_party_member": yes if person.is_party_member else no,
            "party_joined_on": person.party_joined_on,
            "is_youth_union_member": yes if person.is_youth_union_member else no,
            "phone": person.phone,
        }
        yield [values[key] for key, _header, _width in COLUMNS]


def write_xlsx(queryset):
    return writing.write_xlsx(
        [header for _key, header, _width in COLUMNS],
        person_rows(queryset),
        title=SHEET_TITLE,
        widths=[width for _key, _header, width in COLUMNS],
    )


def write_csv(queryset):
    return writing.write_csv([header for _key, header, _width in COLUMNS], person_rows(queryset))


def template_xlsx(*, communes, hamlets):
    """The header row, an instruction row under it, an example row (skipped by the import if left in), and
    drop-down lists (kept on a hidden sheet) where the values are a closed list."""
    labels, _yes, _no = _labels()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    lists = workbook.create_sheet("Danh mục")
    lists.sheet_state = "hidden"
    choice_lists = {
        "sex": [labels[Sex][v] for v in Sex.values],
        "religion": [labels[Religion][v] for v in Religion.values],
        "qualification": [labels[Qualification][v] for v in Qualification.values],
        "bool": [yes_no(True), yes_no(False)],
        "ethnicity": list(Ethnicity.objects.order_by("name").values_list("name", flat=True)),
        "commune": sorted({u.name for u in communes}),
        "hamlet": sorted({u.name for u in hamlets}),
    }
    example = dict(exchange.EXAMPLE)
    if communes:
        commune = sorted(communes, key=lambda u: u.name)[0]
        example["commune"] = commune.name
        own = sorted(h.name for h in hamlets if h.parent_id == commune.pk)
        example["hamlet"] = own[0] if own else ""
    list_column = 0
    for index, column in enumerate(exchange.COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(column.width, 14)
        header = sheet.cell(row=1, column=index, value=column.header)
        header.font, header.fill = writing.HEADER_FONT, writing.HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="center")
        note = sheet.cell(row=2, column=index, value=column.instruction)
        note.font, note.alignment = writing.NOTE_FONT, Alignment(wrap_text=True, vertical="top")
        sample = sheet.cell(row=3, column=index, value=clean_text(example.get(column.key)))
        sample.font = _EXAMPLE_FONT
        if column.kind == "date":
            _format_column(sheet, index, writing.DATE_FORMAT)
        elif column.kind in ("national_id", "text"):
            _format_column(sheet, index, "@")  # text, so Excel keeps the leading zeros of a national ID
        values = choice_lists.get(column.kind)
        if not column.imported or not values:
            continue
        list_column += 1
        list_letter = get_column_letter(list_column)
        lists.cell(row=1, column=list_column, value=column.header)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=list_column, value=clean_text(value))
        validation = DataValidation(
            type="list",
            formula1=f"'Danh mục'!${list_letter}$2:${list_letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning" if column.kind in ("commune", "hamlet", "ethnicity") else "stop",
            errorTitle=column.header,
            error=column.instruction,
        )
        validation.add(f"{letter}3:{letter}{MAX_ROWS + 3}")
        sheet.add_data_validation(validation)
    sheet.row_dimensions[2].height = 45
    sheet.freeze_panes = "C3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _format_column(sheet, index, number_format):
    for row in range(3, 203):  # the first rows a user fills; Excel carries the format on when rows are added
        sheet.cell(row=row, column=index).number_format = number_format


def rejected_xlsx(rows, plan):
    """The rejected rows as they were in the file, with the reasons in an extra column; fixed, it imports again."""
    reasons = {p["line"]: p["reasons"] for p in plan if p["action"] == "reject"}
    return writing.rejected_xlsx(
        [c.header for c in exchange.COLUMNS],
        rows,
        reasons,
        title=SHEET_TITLE,
        widths=[c.width for c in exchange.COLUMNS],
    )


__all__ = ["COLUMNS", "filename", "person_rows", "rejected_xlsx", "template_xlsx", "write_csv", "write_xlsx"]
