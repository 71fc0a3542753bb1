"""Text as stored and written (clean_text), numbers in the digits 0–9 (ascii_digits), and the fields of
every form cleaning what is typed before they read it."""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st

from units.forms import CleanInputMixin
from units.text import ascii_digits, clean_text

CONTROL = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), *range(0x7F, 0xA0)])


def test_clean_text_removes_control_characters_but_tab_and_newline():
    assert clean_text("Ctrl\x07Char") == "CtrlChar"
    assert clean_text(f"a{CONTROL}b") == "ab"
    assert clean_text("a\tb\nc") == "a\tb\nc"
    assert clean_text("dòng 1\r\ndòng 2\rdòng 3") == "dòng 1\ndòng 2\ndòng 3"
    assert clean_text("x\ufffe\uffffy") == "xy"  # no XML document may hold these two


def test_clean_text_composes_vietnamese_letters():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    assert decomposed != "Nguyễn Văn Đức"
    assert clean_text(decomposed) == "Nguyễn Văn Đức"


def test_clean_text_leaves_other_values_alone():
    assert clean_text(None) is None
    assert clean_text(12) == 12
    assert clean_text(datetime.date(2026, 1, 2)) == datetime.date(2026, 1, 2)


@given(st.text())
def test_clean_text_leaves_text_any_xml_document_can_hold(text):
    cleaned = clean_text(text)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert all(c in "\t\n" or unicodedata.category(c) not in ("Cc", "Cs") for c in cleaned)
    assert "\ufffe" not in cleaned and "\uffff" not in cleaned
    assert clean_text(cleaned) == cleaned


def test_ascii_digits_maps_fullwidth_digits():
    assert ascii_digits("004086４３１８２６") == "004086431826"
    assert ascii_digits("０９１２ ３４５ ６７８") == "0912 345 678"


@pytest.mark.parametrize("text", ["٠٠٤٠٨٦٤٣١٨٢٦", "००४०८६४३१८२६", "12٣", "۱۲"])
def test_ascii_digits_refuses_other_scripts_digits(text):
    with pytest.raises(ValidationError) as caught:
        ascii_digits(text)
    assert caught.value.code == "digits"


class _Form(CleanInputMixin, forms.Form):
    name = forms.CharField(max_length=20)
    notes = forms.CharField(required=False, widget=forms.Textarea)
    password = forms.CharField(required=False, strip=False, widget=forms.PasswordInput)
    count = forms.IntegerField(required=False)
    share = forms.DecimalField(required=False)
    day = forms.DateField(required=False, input_formats=["%d/%m/%Y"])


def test_a_form_cleans_the_text_it_reads():
    form = _Form({"name": " Ctrl\x07Char\x00 ", "notes": "a\r\nb\x1b", "password": "p\x07ss\u0301"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "CtrlChar"
    assert form.cleaned_data["notes"] == "a\nb"
    assert form.cleaned_data["password"] == "p\x07ss\u0301"  # compared as typed, never changed


def test_a_form_reads_fullwidth_digits_as_digits():
    form = _Form({"name": "x", "count": "１２", "share": "１２,５".replace(",", "."), "day": "３１/１２/２０２５"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["count"] == 12
    assert form.cleaned_data["share"] == Decimal("12.5")
    assert form.cleaned_data["day"] == datetime.date(2025, 12, 31)


@pytest.mark.parametrize("field", ["count", "share", "day"])
def test_a_form_refuses_other_scripts_digits_in_numbers_and_dates(field):
    value = {"count": "١٢", "share": "१२", "day": "٣١/١٢/٢٠٢٥"}[field]
    form = _Form({"name": "x", field: value})
    with override("en"):
        assert not form.is_valid()
        assert form.errors[field] == ["Write the digits as 0–9 (other scripts' digits are not accepted)."]


def test_django_alone_would_take_other_scripts_digits():
    """Why the fields are cleaned: Django's own fields read Arabic-Indic digits as numbers."""
    assert forms.IntegerField().clean("١٢") == 12
