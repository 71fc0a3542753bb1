"""Excel / CSV exchange of a campaign's candidates: the two imports and the exports.

Imports (same safety as the roster import, through `portal_io`): upload → preview per row → confirm,
all or nothing in one transaction.

- registrations: a person per row, found by national ID (created or updated), registered as a
  candidate of the campaign with `services.candidate_register`;
- examination results: national ID + health class (+ education) → the candidate moves to "examined"
  with `services.candidate_change_stage`, so every rule of the law applies with its own message.

Each row runs the real services inside a savepoint: the preview runs them all and rolls everything
back, so what it shows is exactly what the confirmation will do; the confirmation runs them again in
one transaction and stops, writing nothing, if any row the user accepted now fails or does something
else. Rows outside the user's units are rejected before any service runs.

Exports: the lists a commune posts publicly (approved, deferred, exempt) and the filtered candidate list.
"""

import decimal
import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import override

from people.models import Ethnicity, Person, Sex
from people.services import person_create, person_update
from portal_io import reading, writing
from portal_io.columns import FILE_LANGUAGE, Column, choice_lookup, label, parse_bool
from portal_io.rows import CREATE, REJECT, UNCHANGED, UPDATE, ImportAborted, Reasons, summarize
from portal_io.storage import UploadStore
from portal_io.values import Invalid, display_value, parse_date, parse_int
from units.models import Unit
from units.scoping import get_scope
from units.text import fold, normalize_name

from . import rules, services
from .models import Candidate, Stage

REGISTRATIONS, RESULTS = "registrations", "results"
KINDS = (REGISTRATIONS, RESULTS)
MAX_FILE_BYTES = reading.MAX_FILE_BYTES
MAX_ROWS = reading.MAX_ROWS
store = UploadStore("RECRUITMENT_IMPORT_DIR")
_fold = functools.lru_cache(maxsize=4096)(fold)

_NATIONAL_ID = Column(
    "national_id",
    "Số CCCD",
    "Bắt buộc. 12 chữ số; dùng để nhận ra người đã có trong sổ.",
    kind="national_id",
    required=True,
    width=16,
    aliases=("CCCD", "Số căn cước", "Số định danh"),
)
_EDUCATION = Column(
    "education",
    "Trình độ văn hóa (lớp)",
    "Lớp đã học xong, từ 0 đến 12; có thể để trống",
    kind="grade",
    header_optional=True,
    width=12,
    aliases=("Trình độ văn hóa", "Học vấn", "Văn hóa"),
)
_NOTES = Column("notes", "Ghi chú", "Có thể để trống", header_optional=True, width=30)
# Findings of the examination that exclude a call-up (Thông tư 148/2018 Điều 4 khoản 3 điểm c).
FINDING_COLUMNS = (
    Column(
        "myopia_dioptres",
        "Cận thị (điốp)",
        "Độ cận của mắt nặng hơn, ví dụ 1,5; để trống nếu không cận",
        kind="dioptres",
        header_optional=True,
        width=10,
        aliases=("Cận thị",),
    ),
    Column("hyperopia", "Viễn thị", "Có hoặc Không (mặc định Không)", kind="yesno", header_optional=True, width=9),
    Column("drug_use", "Nghiện ma túy", "Có hoặc Không (mặc định Không)", kind="yesno", header_optional=True, width=9),
    Column("hiv", "Nhiễm HIV", "Có hoặc Không (mặc định Không)", kind="yesno", header_optional=True, width=9),
)
FINDINGS = tuple(c.key for c in FINDING_COLUMNS)

REGISTRATION_COLUMNS = (
    Column(
        "full_name",
        "Họ và tên",
        "Bắt buộc. Họ và tên đầy đủ, có dấu.",
        required=True,
        width=26,
        aliases=("Họ tên",),
    ),
    _NATIONAL_ID,
    Column("birth_date", "Ngày sinh", "Bắt buộc. dd/mm/yyyy", kind="date", required=True, width=12),
    Column("sex", "Giới tính", "Nam hoặc Nữ (mặc định Nam)", kind="sex", header_optional=True, width=10),
    Column(
        "ethnicity",
        "Dân tộc",
        "Bắt buộc với người mới. Tên dân tộc, ví dụ: Tày, Nùng, Mông, Kinh",
        kind="ethnicity",
        width=12,
    ),
    Column("hamlet", "Thôn/xóm", "Thôn/xóm thuộc xã ở cột bên; để trống nếu chưa rõ", width=18),
    Column(
        "commune",
        "Xã/thị trấn",
        "Bắt buộc. Xã/thị trấn do bạn quản lý, thuộc huyện của đợt tuyển quân",
        required=True,
        width=18,
        aliases=("Xã", "Xã/phường/thị trấn"),
    ),
    _EDUCATION,
    Column(
        "matching_profession",
        "Ngành nghề phù hợp (nữ)",
        "Bắt buộc với công dân nữ: ngành nghề chuyên môn Quân đội cần (Điều 12)",
        header_optional=True,
        width=20,
    ),
    _NOTES,
)
RESULT_COLUMNS = (
    _NATIONAL_ID,
    Column(
        "full_name",
        "Họ và tên",
        "Để đối chiếu; không thay đổi hồ sơ",
        header_optional=True,
        width=26,
        aliases=("Họ tên",),
    ),
    Column(
        "health_class",
        "Phân loại sức khỏe",
        "Bắt buộc. Loại 1 đến 6 theo kết quả khám",
        kind="int",
        required=True,
        width=12,
        aliases=("Loại sức khỏe", "PLSK", "Sức khỏe"),
    ),
    _EDUCATION,
    *FINDING_COLUMNS,
    _NOTES,
)
COLUMNS = {REGISTRATIONS: REGISTRATION_COLUMNS, RESULTS: RESULT_COLUMNS}
ESSENTIAL = {REGISTRATIONS: ("full_name", "national_id"), RESULTS: ("national_id", "health_class")}
SHEET_TITLES = {REGISTRATIONS: "Đăng ký NVQS", RESULTS: "Kết quả khám"}
FILE_SLUGS = {REGISTRATIONS: "dang-ky-nvqs", RESULTS: "ket-qua-kham-suc-khoe"}

# Model field → the column a validation message is shown under.
ERROR_COLUMNS = {
    REGISTRATIONS: {
        "full_name": "full_name",
        "national_id": "national_id",
        "birth_date": "birth_date",
        "sex": "sex",
        "ethnicity": "ethnicity",
        "home_unit": "hamlet",
        "general_education": "education",
        "education": "education",
        "commune": "commune",
        "person": "national_id",
        "notes": "notes",
        "matching_profession": "matching_profession",
    },
    RESULTS: {
        "health_class": "health_class",
        "education": "education",
        "person": "national_id",
        **{key: key for key in FINDINGS},
    },
}


def columns_of(kind):
    return COLUMNS[kind]


def storage_kind(kind, campaign):
    return f"recruitment-{kind}-{campaign.pk}"


def read_upload(uploaded, kind) -> reading.ParsedFile:
    data = reading.read_upload_bytes(uploaded, max_bytes=MAX_FILE_BYTES)
    return reading.read_bytes(data, columns_of(kind), essential=ESSENTIAL[kind], max_rows=MAX_ROWS)


# --- Evaluating rows -----------------------------------------------------------------------------


class _Context:
    """What every row needs, read once: the user's communes and hamlets in the campaign's district."""

    def __init__(self, *, user, campaign, kind):
        self.user, self.campaign, self.kind = user, campaign, kind
        self.scope = get_scope(user)
        self.columns = {c.key: c for c in columns_of(kind)}
        self.communes, self.hamlets = {}, {}
        if kind == REGISTRATIONS:
            units = Unit.objects.editable_by(user).current().select_related("kind", "parent", "parent__kind")
            for unit in units.filter(path__startswith=campaign.district.path):
                if unit.kind.is_commune_level:
                    self.communes.setdefault(fold(unit.name), []).append(unit)
                elif unit.parent_id and unit.parent.kind.is_commune_level:
                    self.hamlets[(unit.parent_id, fold(unit.name))] = unit
            self.ethnicities = {}
            for ethnicity in Ethnicity.objects.all():
                self.ethnicities[fold(ethnicity.name)] = ethnicity
                self.ethnicities.setdefault(fold(ethnicity.code_1979), ethnicity)
            self.sexes = choice_lookup(Sex)


def _problem(kind):
    if kind == "date":
        return _("is not a valid date (dd/mm/yyyy).")
    if kind in ("int", "grade"):
        return _("is not a whole number.")
    if kind == "dioptres":
        return _("is not a number of dioptres from 0 to 30.")
    if kind == "yesno":
        return _("is not a yes or a no.")
    if kind == "ethnicity":
        return _("is not one of the 54 ethnic groups.")
    if kind == "sex":
        return _("is not in the list: %(allowed)s.") % {"allowed": ", ".join(label(Sex, v) for v in Sex.values)}
    return _("is not valid.")


def _parse(ctx, column, value, reasons):
    """The cell's value, or None when empty or invalid (a reason is then recorded)."""
    if value is None or value == "":
        if column.required:
            reasons.column(column, _("a value is required."))
        return None
    try:
        if column.kind == "text":
            return normalize_name(value) if isinstance(value, str) else display_value(value)
        if column.kind == "national_id":
            return reading.national_id_text(value)
        if column.kind == "date":
            return parse_date(value)
        if column.kind == "int":
            return parse_int(value)
        if column.kind == "grade":
            grade = parse_int(value)
            if not 0 <= grade <= 12:
                reasons.cell(column, value, _("is not a school grade from 0 to 12."))
                return None
            return grade
        if column.kind == "dioptres":
            number = decimal.Decimal(str(value).strip().replace(",", "."))
            if not 0 <= number <= 30:
                raise Invalid(value)
            return number
        if column.kind == "yesno":
            flag = parse_bool(value)
            if flag is None:
                raise Invalid(value)
            return flag
        if column.kind == "ethnicity":
            return ctx.ethnicities[_fold(str(value))]
        if column.kind == "sex":
            return ctx.sexes[_fold(str(value))]
    except (Invalid, KeyError, decimal.InvalidOperation):
        reasons.cell(column, value, _problem(column.kind))
        return None
    return value


def _plan_row(line, *, action=REJECT, full_name="", national_id="", commune="", reasons=(), changes=()):
    return {
        "line": line,
        "action": action,
        "full_name": full_name,
        "national_id": national_id,
        "commune": commune,
        "changes": list(changes),
        "reasons": list(reasons),
    }


def _error_messages(exc):
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


def _evaluate_registration(ctx, line, raw, source):
    """Register the row's person (savepoint held by the caller); returns the row's plan."""
    columns = ctx.columns
    cells = dict(zip(columns, raw, strict=True))
    reasons = Reasons(line)
    values = {key: _parse(ctx, column, cells.get(key), reasons) for key, column in columns.items()}
    national_id = values.get("national_id") or ""
    plan = _plan_row(
        line,
        full_name=display_value(cells.get("full_name")),
        national_id=national_id,
        commune=display_value(cells.get("commune")),
    )
    commune = hamlet = None
    commune_name = values.get("commune")
    if commune_name:
        found = ctx.communes.get(_fold(commune_name), [])
        if not found:
            reasons.cell(
                columns["commune"],
                commune_name,
                _("is not a commune or town of %(district)s that you may edit.")
                % {"district": ctx.campaign.district.name},
            )
        elif len(found) > 1:
            reasons.cell(columns["commune"], commune_name, _("matches several communes; write its full name."))
        else:
            commune = found[0]
            if values.get("hamlet"):
                hamlet = ctx.hamlets.get((commune.pk, _fold(values["hamlet"])))
                if hamlet is None:
                    reasons.cell(
                        columns["hamlet"],
                        values["hamlet"],
                        _("is not a hamlet of %(commune)s.") % {"commune": commune.name},
                    )
    if reasons:
        plan["reasons"] = reasons.items
        return plan

    person = Person.objects.filter(national_id=national_id).select_related("home_unit").first()
    if person is not None and not ctx.scope.can_write_path(person.home_unit.path):
        reasons.cell(
            columns["national_id"],
            national_id,
            _("belongs to a person registered in a unit you may not edit; ask the district staff to move them."),
        )
        plan["reasons"] = reasons.items
        return plan
    home = hamlet or commune
    fields = {
        "full_name": values.get("full_name"),
        "birth_date": values.get("birth_date"),
        "sex": values.get("sex"),
        "ethnicity": values.get("ethnicity"),
        "general_education": values.get("education"),
    }
    fields = {k: v for k, v in fields.items() if v is not None}
    error_columns = ERROR_COLUMNS[REGISTRATIONS]
    try:
        if person is None:
            fields.setdefault("sex", Sex.MALE)
            person = person_create(user=ctx.user, national_id=national_id, home_unit=home, **fields)
            changed = []
        else:
            if hamlet is None and (person.home_unit_id == commune.pk or person.home_unit.parent_id == commune.pk):
                home = person.home_unit  # an empty hamlet keeps the hamlet already known in the same commune
            if person.home_unit_id != home.pk:
                fields["home_unit"] = home
            changed = [
                name
                for name, value in fields.items()
                if (
                    getattr(person, f"{name}_id") != value.pk
                    if hasattr(value, "_meta")
                    else getattr(person, name) != value
                )
            ]
            if changed:
                person_update(user=ctx.user, person=person, **{name: fields[name] for name in changed})
        existing = Candidate.objects.filter(campaign=ctx.campaign, person=person).select_related("commune").first()
        if existing is not None:
            if existing.commune_id != commune.pk:
                reasons.row(
                    _("this person is already a candidate of this campaign in %(commune)s.")
                    % {"commune": existing.commune.name}
                )
            else:
                plan["action"] = UPDATE if changed else UNCHANGED
                plan["changes"] = [columns[error_columns.get(name, name)].header for name in changed]
        else:
            services.candidate_register(
                user=ctx.user,
                campaign=ctx.campaign,
                person=person,
                commune=commune,
                notes=values.get("notes") or "",
                note=_("Imported from %(file)s") % {"file": source},
                matching_profession=values.get("matching_profession") or "",
            )
            plan["action"] = CREATE
    except ValidationError as exc:
        reasons.validation(exc, error_columns, columns)
    except PermissionDenied as exc:
        reasons.row(str(exc))
    if reasons:
        plan["action"] = REJECT
        plan["reasons"] = reasons.items
    return plan


def _evaluate_result(ctx, line, raw, source):
    """Record the row's examination result (savepoint held by the caller); returns the row's plan."""
    columns = ctx.columns
    cells = dict(zip(columns, raw, strict=True))
    reasons = Reasons(line)
    values = {key: _parse(ctx, column, cells.get(key), reasons) for key, column in columns.items()}
    national_id = values.get("national_id") or ""
    plan = _plan_row(line, full_name=display_value(cells.get("full_name")), national_id=national_id)
    if reasons:
        plan["reasons"] = reasons.items
        return plan
    candidate = (
        Candidate.objects.filter(campaign=ctx.campaign, person__national_id=national_id)
        .select_related("person", "commune", "campaign", "campaign__district")
        .first()
    )
    if candidate is None:
        reasons.cell(
            columns["national_id"],
            national_id,
            _("is not a candidate of the %(year)s campaign; register the person first.") % {"year": ctx.campaign.year},
        )
        plan["reasons"] = reasons.items
        return plan
    plan["full_name"] = candidate.person.full_name
    plan["commune"] = candidate.commune.name
    if not ctx.scope.can_write_path(candidate.commune.path):
        reasons.cell(
            columns["national_id"],
            national_id,
            _("is a candidate of %(commune)s, which you may not edit.") % {"commune": candidate.commune.name},
        )
        plan["reasons"] = reasons.items
        return plan
    health_class, education = values.get("health_class"), values.get("education")
    findings = {key: values[key] for key in FINDINGS if values.get(key) is not None}
    if (
        candidate.stage == Stage.EXAMINED
        and candidate.health_class == health_class
        and education in (None, candidate.education)
        and all(getattr(candidate, key) == value for key, value in findings.items())
    ):
        plan["action"] = UNCHANGED
        return plan
    try:
        rules.validate_health_class_value(health_class)
    except ValidationError as exc:
        for message in exc.messages:
            reasons.column(
                columns["health_class"], _("'%(value)s': %(message)s") % {"value": health_class, "message": message}
            )
        plan["reasons"] = reasons.items
        return plan
    try:
        changes = [columns["health_class"].header]
        education_changed = education is not None and education != candidate.education
        if education_changed:
            candidate.education = education
            changes.append(columns["education"].header)
        if findings or education_changed:
            services.candidate_record_review(user=ctx.user, candidate=candidate, **findings)
            changes += [columns[key].header for key in findings]
        # An examined candidate whose class stands only gets the findings added.
        if not (candidate.stage == Stage.EXAMINED and candidate.health_class == health_class):
            note = values.get("notes") or _("Examination result imported from %(file)s") % {"file": source}
            services.candidate_change_stage(
                candidate=candidate, to_stage=Stage.EXAMINED, user=ctx.user, health_class=health_class, note=note
            )
    except ValidationError as exc:
        reasons.validation(exc, ERROR_COLUMNS[RESULTS], columns)
    except PermissionDenied as exc:
        reasons.row(str(exc))
    if reasons:
        plan["reasons"] = reasons.items
        return plan
    plan["action"] = UPDATE
    plan["changes"] = changes
    return plan


_EVALUATORS = {REGISTRATIONS: _evaluate_registration, RESULTS: _evaluate_result}


class _Rollback(Exception):
    pass


def _run(*, user, campaign, kind, rows, source, planned=None):
    """Evaluate every row with the real services in one transaction, each row in a savepoint.
    `planned` None: the preview (everything is rolled back). Otherwise the commit of the lines the user saw."""
    ctx = _Context(user=user, campaign=campaign, kind=kind)
    evaluate = _EVALUATORS[kind]
    plan, changed = [], []
    try:
        with transaction.atomic():
            for line, raw in rows:
                expected = None if planned is None else planned.get(line, REJECT)
                if expected == REJECT:
                    plan.append(_plan_row(line))
                    continue
                try:
                    with transaction.atomic():
                        row = evaluate(ctx, line, raw, source)
                        if row["action"] == REJECT:
                            raise _Rollback
                except _Rollback:
                    pass
                except DatabaseError as exc:  # e.g. a national ID taken meanwhile: the row's savepoint is undone
                    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                    reasons = Reasons(line)
                    reasons.row(_("The database refused the import (%(error)s).") % {"error": detail})
                    row = _plan_row(line, reasons=reasons.items)
                plan.append(row)
                if expected not in (None, row["action"]) and not (expected == UPDATE and row["action"] == UNCHANGED):
                    changed.append(_explain_change(row, expected))
            if planned is None or changed:
                raise _Rollback
    except _Rollback:
        pass
    if changed:
        raise ImportAborted(changed)
    return plan


def _explain_change(row, expected):
    from portal_io.rows import action_label

    if row["action"] == REJECT:
        return "; ".join(row["reasons"])
    return _("Row %(line)s: the data changed since the preview (it would now be «%(now)s» instead of «%(then)s»).") % {
        "line": row["line"],
        "now": action_label(row["action"]),
        "then": action_label(expected),
    }


def plan_import(*, user, campaign, kind, rows, source=""):
    """What each row would do, writing nothing: a list of dicts (line, action, reasons...)."""
    return _run(user=user, campaign=campaign, kind=kind, rows=rows, source=source)


def commit_import(*, user, campaign, kind, rows, planned, source=""):
    """Write the rows the preview accepted, all or nothing; `planned` maps each line to the action shown.
    Raises ImportAborted (nothing written) when a row now fails or would do something else."""
    try:
        plan = _run(user=user, campaign=campaign, kind=kind, rows=rows, source=source, planned=planned)
    except DatabaseError as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ImportAborted([_("The database refused the import (%(error)s).") % {"error": detail}]) from exc
    counts = summarize(plan)
    counts[REJECT] = sum(1 for line, _raw in rows if planned.get(line, REJECT) == REJECT)
    return counts


# --- Files written ----------------------------------------------------------------------------------


def filename(slug, extension, *, campaign=None, suffix=""):
    year = f"-{campaign.year}" if campaign is not None else ""
    return f"{slug}{year}{suffix}-{timezone.localdate():%Y-%m-%d}.{extension}"


def template_xlsx(kind):
    """The header row and an instruction row under it."""
    columns = columns_of(kind)
    rows = [[c.instruction for c in columns]]
    return writing.write_xlsx(
        [c.header for c in columns], rows, title=SHEET_TITLES[kind], widths=[max(c.width, 14) for c in columns]
    )


def rejected_xlsx(kind, rows, plan):
    reasons = {p["line"]: p["reasons"] for p in plan if p["action"] == REJECT}
    columns = columns_of(kind)
    return writing.rejected_xlsx(
        [c.header for c in columns], rows, reasons, title=SHEET_TITLES[kind], widths=[c.width for c in columns]
    )


APPROVED, DEFERRED, EXEMPT = "approved", "deferred", "exempt"
PUBLIC_LISTS = {  # sheet title, file name, stages
    APPROVED: ("Được gọi nhập ngũ", "danh-sach-goi-nhap-ngu", (Stage.APPROVED, Stage.HANDED_OVER)),
    DEFERRED: ("Được tạm hoãn", "danh-sach-tam-hoan", (Stage.DEFERRED,)),
    EXEMPT: ("Được miễn", "danh-sach-mien", (Stage.EXEMPT,)),
}
_PUBLIC_HEADERS = {
    APPROVED: (
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Dân tộc",
        "Thôn/xóm",
        "Xã/thị trấn",
        "Trình độ văn hóa (lớp)",
        "Phân loại sức khỏe",
    ),
    DEFERRED: (
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Dân tộc",
        "Thôn/xóm",
        "Xã/thị trấn",
        "Lý do tạm hoãn",
        "Căn cứ pháp lý",
        "Tạm hoãn đến ngày",
    ),
    EXEMPT: ("STT", "Họ và tên", "Ngày sinh", "Dân tộc", "Thôn/xóm", "Xã/thị trấn", "Lý do miễn", "Căn cứ pháp lý"),
}
_PUBLIC_WIDTHS = (6, 26, 12, 12, 18, 18, 30, 24, 14)


def _hamlet(person):
    home = person.home_unit
    return "" if home.kind.is_commune_level else home.name


def public_list(which, queryset):
    """(headers, rows) of a public list: no national ID, the data a commune posts at its office."""
    stages = PUBLIC_LISTS[which][2]
    queryset = queryset.filter(stage__in=stages).select_related(
        "person", "person__ethnicity", "person__home_unit", "person__home_unit__kind", "commune", "ground"
    )
    rows = []
    for number, c in enumerate(queryset.order_by("commune__name", "person__search_key", "pk"), start=1):
        row = [
            number,
            c.person.full_name,
            c.person.birth_date,
            c.person.ethnicity.name,
            _hamlet(c.person),
            c.commune.name,
        ]
        if which == APPROVED:
            row += [c.education, c.health_class]
        else:
            row += [c.ground.label_vi if c.ground else "", c.ground.law_ref if c.ground else ""]
            if which == DEFERRED:
                row.append(c.ground_ends_on)
        rows.append(row)
    return list(_PUBLIC_HEADERS[which]), rows


CANDIDATE_HEADERS = (
    "STT",
    "Họ và tên",
    "Số CCCD",
    "Ngày sinh",
    "Tuổi ngày giao quân",
    "Dân tộc",
    "Thôn/xóm",
    "Xã/thị trấn",
    "Giai đoạn",
    "Phân loại sức khỏe",
    "Trình độ văn hóa (lớp)",
    "Căn cứ tạm hoãn/miễn",
    "Tạm hoãn đến ngày",
    "Lý do",
    "Ghi chú",
)
_CANDIDATE_WIDTHS = (6, 26, 16, 12, 10, 12, 18, 18, 16, 10, 10, 30, 14, 24, 30)


class _GroundWords(dict):
    """A ground's code in words in the file language, worked out once per code."""

    def __missing__(self, code):
        with override(FILE_LANGUAGE):
            self[code] = words = rules.ground_in_words(code)
        return words


def candidate_rows(queryset, *, campaign):
    """The filtered candidate list, in the list's order, one query."""
    with override(FILE_LANGUAGE):
        stages = {value: str(text) for value, text in Stage.choices}
    ground_words = _GroundWords()
    queryset = queryset.select_related(
        "person", "person__ethnicity", "person__home_unit", "person__home_unit__kind", "commune", "ground"
    )
    for number, c in enumerate(queryset.iterator(chunk_size=2000), start=1):
        person = c.person
        yield [
            number,
            person.full_name,
            person.national_id or "",
            person.birth_date,
            person.age_on(campaign.handover_date) if person.birth_date else None,
            person.ethnicity.name,
            _hamlet(person),
            c.commune.name,
            stages.get(c.stage, c.stage),
            c.health_class,
            c.education,
            f"{ground_words[c.ground.code]} – {c.ground.label_vi}" if c.ground else "",
            c.ground_ends_on,
            c.reason,
            c.notes,
        ]


def write(headers, rows, fmt, *, title, widths=()):
    if fmt == "csv":
        return writing.write_csv(headers, rows)
    return writing.write_xlsx(headers, rows, title=title, widths=widths, freeze="C2")


def public_list_file(which, queryset, fmt):
    title = PUBLIC_LISTS[which][0]
    headers, rows = public_list(which, queryset)
    return write(headers, rows, fmt, title=title, widths=_PUBLIC_WIDTHS)


def candidate_list_file(queryset, fmt, *, campaign):
    rows = candidate_rows(queryset, campaign=campaign)
    return write(list(CANDIDATE_HEADERS), rows, fmt, title="Công dân", widths=_CANDIDATE_WIDTHS)


NOT_REGISTERED_HEADERS = (
    "STT",
    "Họ và tên",
    "Số CCCD",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Thôn/xóm",
    "Xã/thị trấn",
    "Nghề nghiệp",
    "Ngành nghề phù hợp",
)
_NOT_REGISTERED_WIDTHS = (6, 26, 16, 12, 10, 12, 18, 18, 24, 24)


def not_registered_rows(queryset, *, professions):
    """The people due to register who have not (selectors.not_registered), in the page's order."""
    with override(FILE_LANGUAGE):
        sexes = {value: str(text) for value, text in Sex.choices}
    for number, person in enumerate(queryset.iterator(chunk_size=2000), start=1):
        yield [
            number,
            person.full_name,
            person.national_id or "",
            person.birth_date,
            sexes.get(person.sex, person.sex),
            person.ethnicity.name,
            _hamlet(person),
            person.commune.name,
            person.occupation,
            professions.get(person.pk, ""),
        ]


def not_registered_file(queryset, fmt, *, professions):
    rows = not_registered_rows(queryset, professions=professions)
    return write(list(NOT_REGISTERED_HEADERS), rows, fmt, title="Chưa đăng ký NVQS", widths=_NOT_REGISTERED_WIDTHS)


# The titles of the lists posted at the commune (Luật NVQS 2015 Điều 41 khoản 4), as the pages and files show them.
LIST_TITLES = {
    APPROVED: _lazy("Called up (approved)"),
    DEFERRED: _lazy("Deferred"),
    EXEMPT: _lazy("Exempt"),
}
