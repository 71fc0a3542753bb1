"""The identity rules of the registry: CCCD numbers, phones, birth dates, folding and age bands."""

import datetime
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from people.rules import age_on, birth_date_range_for_age, normalize_phone, validate_birth_date, validate_national_id
from people.selectors import AGE_BANDS
from units.text import fold, normalize_name

MALE_1998 = {"sex": "M", "birth_date": datetime.date(1998, 5, 17)}


@pytest.fixture(autouse=True)
def _english():
    # Assert on the English msgids: the Vietnamese catalog is written separately.
    with translation.override("en"):
        yield


def national_id_errors(national_id, **person):
    with pytest.raises(ValidationError) as caught:
        validate_national_id(national_id, **person)
    return caught.value.messages


# --- CCCD (citizen identity number) -------------------------------------------------------------


@pytest.mark.parametrize("national_id", ["", "00409800012", "0040980001234", "00409800012a", "004 98000123", None])
def test_it_requires_exactly_twelve_digits(national_id):
    assert national_id_errors(national_id, **MALE_1998) == ["The national ID must have exactly 12 digits."]


@pytest.mark.parametrize(
    ("national_id", "sex", "birth_date"),
    [
        ("004098000123", "M", datetime.date(1998, 5, 17)),  # Cao Bằng, man born 1998
        ("001185004567", "F", datetime.date(1985, 1, 1)),  # Hà Nội, woman born 1985
        ("079203000001", "M", datetime.date(2003, 12, 31)),  # TP HCM, man born 2003
        ("096305999999", "F", datetime.date(2005, 2, 28)),  # Cà Mau, woman born 2005
        ("004000000001", "M", datetime.date(1900, 1, 1)),  # born in the first year of the 1900s
    ],
)
def test_it_accepts_consistent_numbers(national_id, sex, birth_date):
    validate_national_id(national_id, sex=sex, birth_date=birth_date)


def test_it_checks_only_the_format_without_sex_and_birth_date():
    validate_national_id("004198000123")
    validate_national_id("004398000123")


@pytest.mark.parametrize("province", ["000", "003", "005", "063", "097", "999"])
def test_it_rejects_unknown_province_code(province):
    messages = national_id_errors(f"{province}098000123", **MALE_1998)
    assert messages == [f"Digits 1–3 ({province}) are not a province code."]


def test_it_rejects_digit_4_of_a_woman_for_a_man():
    messages = national_id_errors("004198000123", **MALE_1998)
    assert messages == ["Digit 4 (1) says female but the person is entered as male."]


def test_it_rejects_digit_4_of_a_man_for_a_woman():
    messages = national_id_errors("004203000123", sex="F", birth_date=datetime.date(2003, 3, 1))
    assert messages == ["Digit 4 (2) says male but the person is entered as female."]


def test_it_rejects_digit_4_of_the_2000s_for_someone_born_in_the_1900s():
    messages = national_id_errors("004298000123", **MALE_1998)
    assert messages == ["Digit 4 (2) means born 2000–2099 but the birth year is 1998."]


def test_it_rejects_digit_4_of_the_1900s_for_someone_born_in_the_2000s():
    messages = national_id_errors("004103000123", sex="F", birth_date=datetime.date(2003, 3, 1))
    assert messages == ["Digit 4 (1) means born 1900–1999 but the birth year is 2003."]


@pytest.mark.parametrize("digit", "456789")
def test_it_rejects_digit_4_above_3(digit):
    messages = national_id_errors(f"004{digit}98000123", **MALE_1998)
    assert messages == [f"Digit 4 ({digit}) must be 0–3 for people born 1900–2099."]


def test_it_rejects_digits_5_and_6_that_are_not_the_birth_year():
    messages = national_id_errors("004097000123", **MALE_1998)
    assert messages == ["Digits 5–6 (97) must be the last two digits of the birth year (1998)."]


def test_it_names_every_digit_that_disagrees():
    # Unknown province, a woman's digit for a man of the wrong century, and the wrong year.
    messages = national_id_errors("003303000123", **MALE_1998)
    assert len(messages) == 4
    assert messages[0].startswith("Digits 1–3 (003)")
    assert messages[1] == "Digit 4 (3) says female but the person is entered as male."
    assert messages[2] == "Digit 4 (3) means born 2000–2099 but the birth year is 1998."
    assert messages[3].startswith("Digits 5–6 (03)")


# --- Phone numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("(+84) 386 123 456", "0386123456"),
        ("0206 3850 123", "02063850123"),  # Cao Bằng landline: 11 digits
        ("+84 206 3850 123", "02063850123"),
        (" 0587654321 ", "0587654321"),
    ],
)
def test_it_normalizes_phone_numbers(raw, normalized):
    assert normalize_phone(raw) == normalized


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "12345",
        "091234567",  # 9 digits
        "09123456789",  # 11-digit mobile
        "0112345678",  # old 01x prefix, renumbered in 2018
        "0412345678",  # no such mobile prefix
        "0212345678",  # 10-digit landline of before 2017
        "+1 202 555 0100",
        "0912abc678",
        "+84 912 345 67",
    ],
)
def test_it_refuses_bad_phone_numbers(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert "Vietnamese phone number" in caught.value.messages[0]


# --- Birth dates ----------------------------------------------------------------------------------


def test_it_accepts_birth_dates_from_1900_to_today():
    today = timezone.localdate()
    for day in (datetime.date(1900, 1, 1), datetime.date(1998, 5, 17), today):
        validate_birth_date(day)


@pytest.mark.parametrize("day", [datetime.date(1899, 12, 31), datetime.date(1066, 10, 14)])
def test_it_rejects_birth_dates_before_1900(day):
    with pytest.raises(ValidationError, match="not be before 01/01/1900"):
        validate_birth_date(day)


def test_it_rejects_birth_dates_in_the_future():
    with pytest.raises(ValidationError, match="not be after today"):
        validate_birth_date(timezone.localdate() + datetime.timedelta(days=1))


# --- Folding for search ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("ĐẶNG ĐÌNH ĐÀO", "dang dinh dao"),
        ("đàm thị đào", "dam thi dao"),
        ("Vàng Seo Páo", "vang seo pao"),
        ("Lục  Thị\tHương ", "luc thi huong"),
        ("Bản Pjạo", "ban pjao"),
        ("nguyen van duc", "nguyen van duc"),
        ("", ""),
    ],
)
def test_it_folds_vietnamese_text(text, folded):
    assert fold(text) == folded


def test_it_folds_decomposed_input_the_same_way():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    assert decomposed != "Nguyễn Văn Đức"
    assert fold(decomposed) == "nguyen van duc"


def test_it_normalizes_names_to_composed_form_and_single_spaces():
    assert normalize_name(unicodedata.normalize("NFD", "  Nguyễn   Văn Đức ")) == "Nguyễn Văn Đức"


# --- Age bands --------------------------------------------------------------------------------------


def test_it_gives_the_birth_dates_of_an_age_band():
    on = datetime.date(2026, 11, 29)
    assert birth_date_range_for_age(18, 25, on=on) == (datetime.date(2000, 11, 30), datetime.date(2008, 11, 29))
    assert birth_date_range_for_age(None, 17, on=on) == (datetime.date(2008, 11, 30), None)
    assert birth_date_range_for_age(61, None, on=on) == (None, datetime.date(1965, 11, 29))
    assert birth_date_range_for_age(None, None, on=on) == (None, None)


def test_it_counts_a_birthday_today():
    on = datetime.date(2026, 11, 29)
    earliest, latest = birth_date_range_for_age(18, 25, on=on)
    # Eighteen today: in the band; eighteen tomorrow: not yet.
    assert latest == datetime.date(2008, 11, 29)
    assert age_on(datetime.date(2008, 11, 29), on) == 18
    assert age_on(datetime.date(2008, 11, 30), on) == 17
    # Twenty-six today: out of the band; twenty-six tomorrow: still in.
    assert earliest == datetime.date(2000, 11, 30)
    assert age_on(datetime.date(2000, 11, 29), on) == 26
    assert age_on(datetime.date(2000, 11, 30), on) == 25


@pytest.mark.parametrize(
    "on",
    [datetime.date(2026, 11, 29), datetime.date(2028, 2, 29), datetime.date(2027, 2, 28), datetime.date(2027, 3, 1)],
)
@pytest.mark.parametrize("band", list(AGE_BANDS))
def test_it_agrees_with_the_age_on_every_day_around_the_band_edges(on, band):
    min_age, max_age = AGE_BANDS[band]
    earliest, latest = birth_date_range_for_age(min_age, max_age, on=on)
    edges = [d for d in (earliest, latest) if d]
    for edge in edges:
        for offset in range(-3, 4):
            born = edge + datetime.timedelta(days=offset)
            age = age_on(born, on)
            in_band = (min_age is None or age >= min_age) and (max_age is None or age <= max_age)
            in_range = (earliest is None or born >= earliest) and (latest is None or born <= latest)
            assert in_range == in_band, f"born {born}, age {age} on {on}"
