"""Text as the portal keeps it: no control characters, composed (NFC); numbers in the digits 0–9 only."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 and C1 control characters but tab and line feed, lone surrogates, and the two code points that no
# XML document may hold (U+FFFE, U+FFFF): a workbook or a Word document with one of them cannot be written.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ASCII_DIGITS = frozenset("0123456789")


def clean_text(value):
    """Text as stored and as written to files: line breaks as \\n, control characters removed, NFC.

    A paste from Word or a cell of a workbook may carry a bell, a vertical tab or a NUL; they mean nothing
    to a reader and make the .xlsx and .docx writers fail. Tab and line feed are kept. Anything that is not
    text is returned unchanged."""
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _UNWANTED.sub("", text))


def ascii_digits(value):
    """A typed number, ID or date with its digits as 0–9, or ValidationError.

    NFKC maps the fullwidth digits of an Asian keyboard (０–９) and their punctuation to ASCII, so
    "００４０８６" and "004086" are the same number; other scripts' digits (Arabic-Indic ٠–٩,
    Devanagari ०–९ …) have no ASCII form and are refused, so that a number can never be stored
    in two spellings."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", clean_text(value))
    if any(char not in _ASCII_DIGITS and unicodedata.category(char) == "Nd" for char in text):
        raise ValidationError(_("Write the digits as 0–9 (other scripts' digits are not accepted)."), code="digits")
    return text


# Folding Vietnamese text for diacritic-free search: "Nguyễn Văn Đức" → "nguyen van duc".
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def normalize_name(text: str) -> str:
    """Canonical spelling of a name: NFC, single spaces (so "Nguyễn  Văn" and NFD input match)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
