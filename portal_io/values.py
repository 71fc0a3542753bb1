"""Cell parsers shared by every import: dates written as text or stored as Excel serials, whole numbers.

A number or a date written as text is read in the digits 0–9 only (see units.text.ascii_digits): fullwidth
digits are mapped, other scripts' digits make the cell invalid."""

import datetime

from django.core.exceptions import ValidationError
from openpyxl.utils.datetime import from_excel

from units.text import ascii_digits


class Invalid(Exception):
    """The cell does not hold a value of the expected kind."""


def parse_date(value):
    """A date written dd/mm/yyyy (or d/m/yy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd), a real date, or an Excel serial."""
    if isinstance(value, dict) and "date" in value:
        return datetime.date.fromisoformat(value["date"])
    if isinstance(value, bool):
        raise Invalid
    if isinstance(value, int | float):
        return from_serial(value)
    text = _digits(value).strip()
    if text.isdigit() and len(text) <= 7:
        return from_serial(int(text))
    for separator in ("/", "-", "."):
        parts = text.split(separator)
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
            a, b, c = (int(p) for p in parts)
            if len(parts[0].strip()) == 4:  # ISO yyyy-mm-dd
                year, month, day = a, b, c
            else:
                day, month, year = a, b, c
                if len(parts[2].strip()) == 2:
                    year += 2000 if year <= datetime.date.today().year % 100 else 1900
            try:
                return datetime.date(year, month, day)
            except ValueError:
                raise Invalid from None
    raise Invalid


def from_serial(number):
    # Excel counts days from 1900; below 3000 (1908) a number is far likelier a year typed in a date column.
    if not 3000 <= number <= 2958465:
        raise Invalid
    result = from_excel(number)
    return result.date() if isinstance(result, datetime.datetime) else result


def parse_int(value):
    if isinstance(value, bool | dict):
        raise Invalid
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise Invalid
    text = _digits(value).strip().replace(" ", "")
    if text.lstrip("-").isdigit():
        return int(text)
    raise Invalid


def display_value(value, *, yes_no=None):
    """A raw cell as the user typed it, for messages: dates as dd/mm/yyyy."""
    if isinstance(value, dict) and "date" in value:
        return datetime.date.fromisoformat(value["date"]).strftime("%d/%m/%Y")
    if value is None:
        return ""
    if isinstance(value, bool) and yes_no is not None:
        return yes_no(value)
    return str(value)


def raw_value(value):
    """A stored raw cell back to what a workbook holds (ISO dates become dates)."""
    if isinstance(value, dict) and "date" in value:
        return datetime.date.fromisoformat(value["date"])
    return value


def _digits(value):
    """The cell as text in ASCII digits, or Invalid."""
    try:
        text = ascii_digits(str(value))
    except ValidationError:
        raise Invalid from None
    # Whatever is left that str.isdigit() or int() would take for a digit (①…) is not a number here.
    if any(char.isdigit() for char in text if not char.isascii()):
        raise Invalid
    return text
