"""Writing the people registry out: the filtered list as .xlsx, through the shared writer (portal_io.writing)
so that no spreadsheet runs what a user typed.

Headers are Vietnamese constants, like the rosters' files: a file that travels between communes keeps the
same columns whatever the reader's language. Choice labels are the models' labels in Vietnamese.
"""

from django.utils import timezone
from django.utils.translation import gettext, override

from portal_io import writing

from .models import Qualification, Religion, Sex

FILE_LANGUAGE = "vi"
SHEET_TITLE = "Danh sách công dân"
CHUNK_SIZE = 2000

# (key, header, width)
COLUMNS = (
    ("number", "STT", 6),
    ("full_name", "Họ và tên", 26),
    ("national_id", "Số CCCD", 16),
    ("birth_date", "Ngày sinh", 12),
    ("sex", "Giới tính", 10),
    ("ethnicity", "Dân tộc", 14),
    ("religion", "Tôn giáo", 14),
    ("hamlet", "Thôn/xóm", 18),
    ("commune", "Xã/thị trấn", 18),
    ("general_education", "Học vấn (lớp)", 10),
    ("qualification", "Trình độ chuyên môn", 18),
    ("occupation", "Nghề nghiệp", 18),
    ("is_party_member", "Đảng viên", 10),
    ("is_youth_union_member", "Đoàn viên", 10),
    ("phone", "Số điện thoại", 14),
)


def filename(extension="xlsx"):
    return f"danh-sach-cong-dan-{timezone.localdate():%Y-%m-%d}.{extension}"


def person_rows(queryset):
    """The export rows of a people queryset, in column order; one query whatever the length (the
    queryset carries the ethnicity and the home unit with its kind and parent)."""
    with override(FILE_LANGUAGE):
        labels = {
            choices: {value: str(text) for value, text in choices.choices} for choices in (Sex, Religion, Qualification)
        }
        yes, no = gettext("Yes"), gettext("No")
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


__all__ = ["COLUMNS", "filename", "person_rows", "write_xlsx"]
