"""Folding Vietnamese text for diacritic-free search: "Nguyễn Văn Đức" → "nguyen van duc"."""

import re
import unicodedata

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
