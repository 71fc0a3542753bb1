"""Rules of the law on a person's identity data; each is one function, used by model, form, import and admin."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from units.dates import validate_date_range
from units.text import ascii_digits

# Province codes that open a citizen identity number (digits 1–3), Thông tư 07/2016/TT-BCA
# Điều 7 and its annex (the 63 provinces as they stood when the numbers were issued).
PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
MALE, FEMALE = "M", "F"
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def normalize_national_id(national_id: str | None) -> str:
    """The national ID as stored: digits 0–9 only (fullwidth digits mapped by NFKC), no spaces.

    One spelling per number is what makes the uniqueness of the number hold: "004086４３１８２６"
    is "004086431826". Digits of other scripts raise ValidationError (see units.text.ascii_digits)."""
    return "".join(ascii_digits(national_id or "").split())


def validate_national_id(national_id: str, *, sex: str | None = None, birth_date: datetime.date | None = None):
    """Check a citizen identity number (CCCD) against the person's sex and birth date.

    Nghị định 137/2015/NĐ-CP Điều 7 and Thông tư 07/2016/TT-BCA Điều 7: 12 digits; digits 1–3
    the province of registration; digit 4 the sex and century (0/1 male/female born 1900–1999,
    2/3 male/female born 2000–2099); digits 5–6 the last two digits of the birth year.
    Raises ValidationError naming the digit that disagrees. Only the digits 0–9 count as digits
    (`normalize_national_id` maps fullwidth ones first).
    """
    if not re.fullmatch(r"[0-9]{12}", national_id or ""):
        raise ValidationError(_("The national ID must have exactly 12 digits."), code="format")
    errors = []
    if national_id[:3] not in PROVINCE_CODES:
        errors.append(
            _("Digits 1–3 (%(code)s) are not a province code.") % {"code": national_id[:3]},
        )
    century_sex = int(national_id[3])
    if century_sex > 3:
        errors.append(_("Digit 4 (%(digit)s) must be 0–3 for people born 1900–2099.") % {"digit": century_sex})
    else:
        id_sex = MALE if century_sex % 2 == 0 else FEMALE
        id_century = 1900 if century_sex < 2 else 2000
        if sex and sex != id_sex:
            errors.append(
                _("Digit 4 (%(digit)s) says %(id_sex)s but the person is entered as %(sex)s.")
                % {
                    "digit": century_sex,
                    "id_sex": _("male") if id_sex == MALE else _("female"),
                    "sex": _("male") if sex == MALE else _("female"),
                }
            )
        if birth_date:
            if birth_date.year // 100 * 100 != id_century:
                errors.append(
                    _("Digit 4 (%(digit)s) means born %(start)s–%(end)s but the birth year is %(year)s.")
                    % {"digit": century_sex, "start": id_century, "end": id_century + 99, "year": birth_date.year}
                )
            if national_id[4:6] != f"{birth_date.year % 100:02d}":
                errors.append(
                    _("Digits 5–6 (%(digits)s) must be the last two digits of the birth year (%(year)s).")
                    % {"digits": national_id[4:6], "year": birth_date.year}
                )
    if errors:
        raise ValidationError(errors, code="mismatch")


def validate_birth_date(birth_date: datetime.date, *, on: datetime.date | None = None):
    """A birth date between 1900 and the day `on` (today by default)."""
    validate_date_range(birth_date, on=on or timezone.localdate())


_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobile: 0 + 3/5/7/8/9 + 8 digits; landline: 0 + 2 + 9 digits (Thông tư 22/2014/TT-BTTTT and
# the 2018 re-numbering to 10-digit mobile / 11-digit landline numbers).
_PHONE_RE = re.compile(r"0(?:[35789][0-9]{8}|2[0-9]{9})")


def normalize_phone(phone: str) -> str:
    """Return the phone in national form (0xxxxxxxxx), digits 0–9 only, or raise ValidationError."""
    digits = _PHONE_SEPARATORS.sub("", ascii_digits(phone or ""))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not _PHONE_RE.fullmatch(digits):
        raise ValidationError(
            _("Enter a Vietnamese phone number: a 10-digit mobile (e.g. 0912 345 678) or an 11-digit landline."),
            code="phone",
        )
    return digits


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def birth_date_range_for_age(min_age: int | None, max_age: int | None, *, on: datetime.date):
    """Birth dates (earliest, latest) of people whose age on `on` lies in [min_age, max_age]."""
    latest = earliest = None
    if min_age is not None:
        latest = years_before(on, min_age)
    if max_age is not None:
        earliest = years_before(on, max_age + 1) + datetime.timedelta(days=1)
    return earliest, latest


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
