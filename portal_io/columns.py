"""A column of an exchanged file and the helpers that write and read values in the file language.

Headers and instructions are Vietnamese constants, not translated strings: they are the contract of a
file that travels between communes and years, and must not change with the reader's language.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, override

from units.text import fold

FILE_LANGUAGE = "vi"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    instruction: str
    kind: str = "text"
    required: bool = False  # a value must be given in every row
    header_optional: bool = False  # a file without this column is still accepted
    imported: bool = True  # False: exported for reading only, ignored on import
    width: int = 16
    aliases: tuple = ()

    @property
    def folded_names(self):
        return {fold(self.header), *(fold(a) for a in self.aliases)}


def label(choices, value):
    """A choice's label in the file language, whatever the reader's language."""
    if value in (None, ""):
        return ""
    with override(FILE_LANGUAGE):
        try:
            return str(choices(value).label)
        except ValueError:
            return str(value)


def yes_no(flag):
    with override(FILE_LANGUAGE):
        return gettext("Yes") if flag else gettext("No")


def choice_lookup(choices):
    """Folded spellings → value: the Vietnamese and English labels and the stored code all work."""
    lookup = {}
    for language in ("en", FILE_LANGUAGE):  # Vietnamese last: it wins any clash
        with override(language):
            for value, text in choices.choices:
                lookup[fold(str(text))] = value
    for value in choices.values:
        lookup.setdefault(fold(value), value)
    return lookup


def choice_labels(choices, *, only=None):
    """The Vietnamese labels, for a template's drop-down lists."""
    return [label(choices, value) for value in choices.values if only is None or value in only]


_TRUE = {"co", "x", "yes", "y", "1", "true", "dung", "v"}
_FALSE = {"khong", "no", "n", "0", "false", "sai", "-"}


def parse_bool(text):
    """True / False, or None when the text is not a yes or a no."""
    folded = fold(str(text))
    with override(FILE_LANGUAGE):
        yes, no = fold(gettext("Yes")), fold(gettext("No"))
    if folded in _TRUE or folded == yes:
        return True
    if folded in _FALSE or folded == no:
        return False
    return None


def parse_bool_cell(value, seen):
    """A yes/no cell: True / False, or None when it is neither; `seen` keeps the texts already read during one
    import (a column of thousands of "x" is folded once)."""
    if isinstance(value, bool):
        return value
    text = str(value)
    if text not in seen:
        seen[text] = parse_bool(text)
    return seen[text]
