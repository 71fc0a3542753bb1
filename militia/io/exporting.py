"""Writing the rosters out: the filtered list as .xlsx or CSV, the import template, the rejected rows.

Every text cell a user typed is written so a spreadsheet cannot run it: in a workbook a text that
starts with = + - @ (or a tab / carriage return) is a string cell with Excel's quote prefix (shown
as typed, never evaluated); in a CSV, which has no cell types, it gets a leading apostrophe.
The import strips that apostrophe again, so an exported file imports back unchanged.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext, override
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from people.models import Ethnicity, Sex
from portal_io import writing
from portal_io.writing import CSV_TYPE, XLSX_TYPE, csv_safe, is_formula_like  # noqa: F401
from units.text import clean_text

from ..models import ForceType, MemberStatus, Position, Rank, ReservistCategory, ReservistStatus
from .columns import (
    DATE_FORMAT,
    FILE_LANGUAGE,
    FILE_SLUGS,
    MEMBERS,
    SHEET_TITLES,
    columns_of,
    yes_no,
)
from .reading import MAX_ROWS

CHUNK_SIZE = 2000
_HEADER_FONT = writing.HEADER_FONT
_HEADER_FILL = writing.HEADER_FILL
_NOTE_FONT = writing.NOTE_FONT


def filename(roster, extension, *, suffix=""):
    return f"{FILE_SLUGS[roster]}{suffix}-{timezone.localdate():%Y-%m-%d}.{extension}"


# --- Values of a record ----------------------------------------------------------------------


class _Labels:
    """Every choice label in the file language, computed once per file."""

    def __init__(self):
        with override(FILE_LANGUAGE):
            self.maps = {
                choices: {value: str(text) for value, text in choices.choices}
                for choices in (Sex, Position, MemberStatus, ReservistCategory, Rank, ReservistStatus)
            }
            self.yes, self.no = gettext("Yes"), gettext("No")

    def of(self, choices, value):
        return self.maps[choices].get(value, value or "")

    def flag(self, value):
        return self.yes if value else self.no


def _person_values(person, commune, labels):
    home = person.home_unit
    return {
        "full_name": person.full_name,
        "national_id": person.national_id or "",
        "birth_date": person.birth_date,
        "sex": labels.of(Sex, person.sex),
        "ethnicity": person.ethnicity.name,
        "hamlet": "" if home.kind.is_commune_level else home.name,
        "commune": commune.name,
        "is_party_member": labels.flag(person.is_party_member),
    }


def member_values(member, labels):
    return {
        **_person_values(member.person, member.unit, labels),
        "force_type": member.force_type.label_vi,
        "is_core": labels.flag(member.is_core),
        "platoon": member.platoon,
        "squad": member.squad,
        "position": labels.of(Position, member.position),
        "joined_on": member.joined_on,
        "extension_years": member.extension_years,
        "extension_decision": member.extension_decision,
        "is_volunteer": labels.flag(member.is_volunteer),
        "last_trained_year": member.last_trained_year,
        "status": labels.of(MemberStatus, member.status),
    }


def reservist_values(reservist, labels):
    post = reservist.post
    return {
        **_person_values(reservist.person, reservist.unit, labels),
        "category": labels.of(ReservistCategory, reservist.category),
        "tier": reservist.tier or "",
        "rank": labels.of(Rank, reservist.rank),
        "specialty_code": reservist.specialty_code,
        "registered_on": reservist.registered_on,
        "placement": f"{post.reserve_unit.name} – {post.title}" if post else "",
        "specialty_matches": labels.flag(reservist.specialty_matches) if post else "",
        "status": labels.of(ReservistStatus, reservist.status),
    }


def roster_rows(roster, queryset):
    """The export rows of a roster queryset, in column order; one query whatever the length."""
    labels = _Labels()
    columns = columns_of(roster)
    values_of = member_values if roster == MEMBERS else reservist_values
    queryset = queryset.select_related("person__home_unit__kind")
    for record in queryset.iterator(chunk_size=CHUNK_SIZE):
        values = values_of(record, labels)
        yield [values[c.key] for c in columns]


# --- Workbooks and CSV -----------------------------------------------------------------------


def write_xlsx(roster, rows, *, extra_headers=(), extra_widths=()):
    """A one-sheet workbook: the header row, then the rows (streamed, so a long roster stays small in memory)."""
    columns = columns_of(roster)
    return writing.write_xlsx(
        [c.header for c in columns] + list(extra_headers),
        rows,
        title=SHEET_TITLES[roster],
        widths=[c.width for c in columns] + list(extra_widths),
    )


def write_csv(roster, rows):
    """UTF-8 with a byte-order mark, so Excel opens the Vietnamese letters correctly."""
    return writing.write_csv([c.header for c in columns_of(roster)], rows)


# --- The import template ---------------------------------------------------------------------


def template_xlsx(roster, *, communes, hamlets):
    """Header row, an instruction row under it, and drop-down lists (kept on a hidden sheet) where the
    values are a closed list."""
    columns = columns_of(roster)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLES[roster]
    lists = workbook.create_sheet("Danh mục")
    lists.sheet_state = "hidden"
    last_row = MAX_ROWS + 2
    labels = _Labels()
    choice_lists = {
        "sex": [labels.of(Sex, v) for v in Sex.values],
        "bool": [yes_no(True), yes_no(False)],
        "ethnicity": list(Ethnicity.objects.order_by("name").values_list("name", flat=True)),
        "commune": sorted({u.name for u in communes}),
        "hamlet": sorted({u.name for u in hamlets}),
        "force_type": [ft.label_vi for ft in ForceType.objects.order_by("order", "code")],
        "position": [labels.of(Position, v) for v in Position.values],
        "category": [labels.of(ReservistCategory, v) for v in ReservistCategory.values],
        "tier": ["1", "2"],
        "rank": [labels.of(Rank, v) for v in Rank.values],
        "member_status": [labels.of(MemberStatus, MemberStatus.ACTIVE)],
        "reservist_status": [labels.of(ReservistStatus, ReservistStatus.ACTIVE)],
    }
    list_column = 0
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(column.width, 14)
        header = sheet.cell(row=1, column=index, value=column.header)
        header.font, header.fill = _HEADER_FONT, _HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="center")
        note = sheet.cell(row=2, column=index, value=column.instruction)
        note.font, note.alignment = _NOTE_FONT, Alignment(wrap_text=True, vertical="top")
        if column.kind == "date":
            _format_column(sheet, index, DATE_FORMAT)
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
        free_text = column.kind in ("commune", "hamlet", "ethnicity")
        validation = DataValidation(
            type="list",
            formula1=f"'Danh mục'!${list_letter}$2:${list_letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning" if free_text else "stop",
            errorTitle=column.header,
            error=column.instruction,
        )
        validation.add(f"{letter}3:{letter}{last_row}")
        sheet.add_data_validation(validation)
    sheet.row_dimensions[2].height = 45
    sheet.freeze_panes = "C3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _format_column(sheet, index, number_format):
    for row in range(3, 203):  # the first rows a user fills; Excel carries the format on when rows are added
        sheet.cell(row=row, column=index).number_format = number_format


# --- The rejected rows -----------------------------------------------------------------------


def rejected_xlsx(roster, rows, plan):
    """The rejected rows as they were in the file, with the reasons in an extra column; fixed, it imports again."""
    from .importing import REJECT

    reasons = {p["line"]: p["reasons"] for p in plan if p["action"] == REJECT}
    columns = columns_of(roster)
    return writing.rejected_xlsx(
        [c.header for c in columns], rows, reasons, title=SHEET_TITLES[roster], widths=[c.width for c in columns]
    )


__all__ = [
    "CSV_TYPE",
    "XLSX_TYPE",
    "csv_safe",
    "filename",
    "rejected_xlsx",
    "roster_rows",
    "template_xlsx",
    "write_csv",
    "write_xlsx",
]
