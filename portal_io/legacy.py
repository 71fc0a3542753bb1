"""Vietnamese text typed in the legacy 8-bit encodings, read back as Unicode.

Before Unicode, offices typed Vietnamese in TCVN3 (TCVN 5712:1993, "ABC", fonts .VnTime, .VnArial…) or in
VNI (VNI-Windows, fonts VNI-Times…): the bytes are Latin-1 characters that only those fonts draw as
Vietnamese, so a spreadsheet read today shows "NguyÔn V¨n §øc" or "Nguyeãn Vaên Ñöùc" for "Nguyễn Văn
Đức". The tables below are written from the encodings' published definitions (TCVN 5712:1993 table VN3;
the VNI-Windows keyboard-font table), one letter per entry; `tests` round-trips every letter with every
tone mark.

TCVN3 has precomposed lower-case letters only: capitals with a tone mark were typed in the capital fonts
(.VnTimeH …) with the lower-case codes, so text in such a font is converted and then put in capitals
(`decode(…, capitals=True)`). VNI writes a letter as its base letter followed by one or two mark bytes.

`detect(values, fonts)` decides the encoding of a column: the font names of its cells when the workbook has
them (.Vn… → TCVN3, VNI-… → VNI), else the characters: a letter above U+00FF is Unicode Vietnamese, and
between TCVN3 and VNI the one whose letters or mark sequences explain more of the text wins."""

import re
import unicodedata

UNICODE, TCVN3, VNI = "unicode", "tcvn3", "vni"
ENCODINGS = (UNICODE, TCVN3, VNI)

# The 67 lower-case Vietnamese letters that are not plain ASCII, in the order: a ă â e ê i o ô ơ u ư y, each
# with no mark (where it differs from ASCII), then sắc, huyền, hỏi, ngã, nặng; and đ.
LETTERS = "áàảãạăắằẳẵặâấầẩẫậéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵđ"

# TCVN 5712:1993, VN3: one byte per lower-case letter, in the order of LETTERS.
_TCVN3_LOWER = (
    "\xb8\xb5\xb6\xb7\xb9"
    "\xa8\xbe\xbb\xbc\xbd\xc6"
    "\xa9\xca\xc7\xc8\xc9\xcb"
    "\xd0\xcc\xce\xcf\xd1"
    "\xaa\xd5\xd2\xd3\xd4\xd6"
    "\xdd\xd7\xd8\xdc\xde"
    "\xe3\xdf\xe1\xe2\xe4"
    "\xab\xe8\xe5\xe6\xe7\xe9"
    "\xac\xed\xea\xeb\xec\xee"
    "\xf3\xef\xf1\xf2\xf4"
    "\xad\xf8\xf5\xf6\xf7\xf9"
    "\xfd\xfa\xfb\xfc\xfe"
    "\xae"
)
# The seven capitals TCVN3 has: Ă Â Ê Ô Ơ Ư Đ.
TCVN3_CAPITALS = {"Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5", "Ư": "\xa6", "Đ": "\xa7"}

# VNI-Windows: the base letter, then the mark bytes. Lower-case marks: sắc ù, huyền ø, hỏi û, ngã õ, nặng ï;
# breve ê (with sắc é, huyền è, hỏi ú, ngã ü, nặng ë); circumflex â (á à å ã ä). Some letters are one byte:
# the i's (í ì æ ó ò), ơ ô, ư ö, ỵ î, đ ñ. Capitals use the capital Latin-1 forms of the same bytes.
_TONES = ("\xf9", "\xf8", "\xfb", "\xf5", "\xef")  # ù ø û õ ï
_BREVE = ("\xea", "\xe9", "\xe8", "\xfa", "\xfc", "\xeb")  # ê é è ú ü ë
_CIRCUMFLEX = ("\xe2", "\xe1", "\xe0", "\xe5", "\xe3", "\xe4")  # â á à å ã ä
_VNI_LOWER = (
    [f"a{m}" for m in _TONES]
    + [f"a{m}" for m in _BREVE]
    + [f"a{m}" for m in _CIRCUMFLEX]
    + [f"e{m}" for m in _TONES]
    + [f"e{m}" for m in _CIRCUMFLEX]
    + ["\xed", "\xec", "\xe6", "\xf3", "\xf2"]  # í ì ỉ ĩ ị
    + [f"o{m}" for m in _TONES]
    + [f"o{m}" for m in _CIRCUMFLEX]
    + ["\xf4"]
    + [f"\xf4{m}" for m in _TONES]  # ơ
    + [f"u{m}" for m in _TONES]
    + ["\xf6"]
    + [f"\xf6{m}" for m in _TONES]  # ư
    + [f"y{m}" for m in _TONES[:4]]
    + ["\xee"]  # ỵ is one byte
    + ["\xf1"]  # đ
)


def _capital(sequence):
    return "".join(ch.upper() for ch in sequence)


TCVN3_ENCODE = dict(zip(LETTERS, _TCVN3_LOWER, strict=True)) | TCVN3_CAPITALS
TCVN3_DECODE = {byte: letter for letter, byte in TCVN3_ENCODE.items()}
VNI_ENCODE = dict(zip(LETTERS, _VNI_LOWER, strict=True))
VNI_ENCODE |= {letter.upper(): _capital(seq) for letter, seq in list(VNI_ENCODE.items())}
VNI_DECODE = {seq: letter for letter, seq in VNI_ENCODE.items()}
# Longest sequences first: "oâ" is ô, "ô" alone is ơ, "ôù" is ớ.
_VNI_PATTERN = re.compile("|".join(re.escape(seq) for seq in sorted(VNI_DECODE, key=len, reverse=True)))
_TCVN3_PATTERN = re.compile("[" + "".join(re.escape(ch) for ch in TCVN3_DECODE) + "]")


def decode(text, encoding, *, capitals=False):
    """Unicode (NFC) of `text` read in `encoding`; `capitals` for TCVN3 typed in a capital font (.VnTimeH)."""
    if not isinstance(text, str) or encoding == UNICODE or not text:
        return text
    if encoding == TCVN3:
        out = _TCVN3_PATTERN.sub(lambda m: TCVN3_DECODE[m.group()], text)
        out = out.upper() if capitals else out
    elif encoding == VNI:
        out = _VNI_PATTERN.sub(lambda m: VNI_DECODE[m.group()], text)
    else:
        raise ValueError(f"unknown encoding {encoding!r}")
    return unicodedata.normalize("NFC", out)


def encode(text, encoding):
    """`text` (Unicode) in `encoding`, as the old fonts expect it; a TCVN3 capital with a tone mark, which
    the encoding lacks, is written with its lower-case code (what the capital fonts draw as a capital)."""
    text = unicodedata.normalize("NFC", text)
    table = TCVN3_ENCODE if encoding == TCVN3 else VNI_ENCODE
    out = []
    for ch in text:
        if ch in table:
            out.append(table[ch])
        elif encoding == TCVN3 and ch.lower() in table:
            out.append(table[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def font_encoding(font_name):
    """(encoding, capitals) a font name implies: .VnTime / .VnArial… → TCVN3 (a name ending in H: the
    capital font), VNI-Times… → VNI; None for a Unicode font."""
    name = (font_name or "").strip()
    if name.lower().startswith(".vn"):
        return TCVN3, name.endswith("H")
    if name.upper().startswith("VNI"):
        return VNI, False
    return None


# The Latin-1 letters Unicode Vietnamese uses itself: a column whose high characters are all among them
# ("Có", "Hà Tú") reads as Unicode unless its fonts say otherwise; text in the old encodings nearly always
# has others (¨ § Þ ø ö …).
UNICODE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# Cells of a column that must show such other characters before the characters alone decide.
MIN_TELLING_CELLS = 3


def _scores(values):
    """(characters above U+00FF, TCVN3 score, VNI score) over the values. A score counts the high Latin-1
    characters the encoding explains, less three times those it cannot: "Hà Tú" in Unicode has "à", which is
    no TCVN3 letter and no VNI sequence, so neither encoding claims it."""
    wide = 0
    tcvn3 = vni = 0
    for value in values:
        if not isinstance(value, str):
            continue
        high = [ch for ch in value if 0xA0 <= ord(ch) <= 0xFF]
        wide += sum(1 for ch in value if ord(ch) > 0xFF)
        if not high:
            continue
        explained = len(_TCVN3_PATTERN.findall(value))
        tcvn3 += explained - 3 * (len(high) - explained)
        # A VNI letter is mostly a base letter and its mark: the whole sequence counts.
        consumed = sum(len(seq) for seq in _VNI_PATTERN.findall(value))
        left = sum(1 for ch in _VNI_PATTERN.sub("", value) if 0xA0 <= ord(ch) <= 0xFF)
        vni += consumed - 3 * left
    return wide, tcvn3, vni


def detect(values, fonts=()):
    """The encoding of a column's values: the fonts first (the most frequent legacy font among the cells),
    then the characters (of at least MIN_TELLING_CELLS cells). Returns (encoding, capitals)."""
    counts = {}
    for name in fonts:
        found = font_encoding(name)
        if found:
            counts[found] = counts.get(found, 0) + 1
    if counts:
        return max(counts, key=counts.get)
    wide, tcvn3, vni = _scores(values)
    if wide or max(tcvn3, vni) <= 0:
        return UNICODE, False
    # Evidence from several cells, not one: a foreign name ("Müller") or a stray symbol in a Unicode file
    # must not turn a column into TCVN3. A file too short to decide is read as the user chooses.
    telling = sum(
        1
        for value in values
        if isinstance(value, str) and any(0xA0 <= ord(ch) <= 0xFF and ch not in UNICODE_LATIN1 for ch in value)
    )
    if telling < MIN_TELLING_CELLS:
        return UNICODE, False
    return (VNI, False) if vni > tcvn3 else (TCVN3, False)


def convert_rows(header, rows, *, overrides=None, fonts=None):
    """The rows with every text column converted from the encoding detected (or given in `overrides`,
    {column index: encoding}); `fonts` maps a column index to the font names of its cells. Returns
    (rows, {column index: (encoding, capitals)} for the columns converted)."""
    overrides = overrides or {}
    fonts = fonts or {}
    columns = {}
    for index in range(len(header)):
        if index in overrides:
            encoding = overrides[index]
            capitals = any(font_encoding(f) == (TCVN3, True) for f in fonts.get(index, ()))
            found = (encoding, capitals and encoding == TCVN3)
        else:
            found = detect([row[index] for row in rows if index < len(row)], fonts.get(index, ()))
        if found[0] != UNICODE:
            columns[index] = found
    if not columns:
        return rows, {}
    converted = []
    for row in rows:
        row = list(row)
        for index, (encoding, capitals) in columns.items():
            if index < len(row):
                row[index] = decode(row[index], encoding, capitals=capitals)
        converted.append(row)
    return converted, columns
