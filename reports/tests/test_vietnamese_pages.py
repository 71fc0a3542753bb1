"""The Vietnamese interface says everything in Vietnamese: the catalog leaves nothing untranslated, and the
main pages, rendered in Vietnamese for every role, show none of the catalog's English msgids."""

import ast
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from people.models import Person
from reports.models import TemplateSection
from tests.factories import make_user_with_role
from units.roles import Role

CATALOG = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def catalog_entries(text=None):
    """Every entry of the Vietnamese catalog (or of the .po/.pot `text`):
    {"msgid", "msgid_plural", "msgstr": {n: text}, "flags", "context"}."""
    entries, entry, field = [], None, None
    text = CATALOG.read_text(encoding="utf-8") if text is None else text
    for line in text.splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry if entry is not None else {"flags": set(), "msgstr": {}, "context": None}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += value
            else:
                entry[field] += value
        else:
            keyword, value = line.split(" ", 1)
            value = ast.literal_eval(value)
            if keyword.startswith("msgstr"):
                field = int(keyword[7:-1]) if "[" in keyword else 0
                entry["msgstr"][field] = value
            else:
                field = {"msgctxt": "context"}.get(keyword, keyword)
                entry[field] = value
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


ENTRIES = catalog_entries()


def test_the_catalog_leaves_nothing_untranslated_or_fuzzy():
    """No exceptions are needed: a plural has one form in Vietnamese (nplurals=1), and a format-only msgid
    ("%(a)s – %(b)s") is translated to itself, which is a translation."""
    untranslated = [e["msgid"] for e in ENTRIES if any(not text for text in e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in ENTRIES if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated in {CATALOG.name}: {untranslated}"
    assert not fuzzy, f"fuzzy in {CATALOG.name}: {fuzzy}"


# The folders `makemessages` is told to skip (README, docs/translations).
SKIPPED = {".venv", "var", "static", "test-results", ".git", "node_modules", "__pycache__"}
XGETTEXT_KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]


def _sources():
    for folder, dirs, files in os.walk(settings.BASE_DIR):
        dirs[:] = [d for d in dirs if d not in SKIPPED]
        for name in files:
            if name.endswith((".py", ".html", ".txt")):
                yield Path(folder) / name


@pytest.mark.skipif(shutil.which("xgettext") is None and not os.environ.get("CI"), reason="gettext is not installed")
def test_every_string_of_the_code_is_in_the_catalog():
    """What `makemessages` would extract (the same keywords, templates turned into code the same way) is
    all in the catalog: a string marked for translation but never added to the .po shows in English."""
    from django.utils.translation.template import templatize

    with tempfile.TemporaryDirectory() as work:
        inputs = []
        for number, path in enumerate(_sources()):
            if path.suffix == ".py":
                inputs.append(str(path))
                continue
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            target = Path(work) / f"{number}.py"
            target.write_text(code, encoding="utf-8")
            inputs.append(str(target))
        listing = Path(work) / "files.txt"
        listing.write_text("\n".join(inputs), encoding="utf-8")
        result = subprocess.run(  # noqa: S603 (gettext's own tool on the project's files)
            ["xgettext", "-d", "django", "--language=Python", *XGETTEXT_KEYWORDS, "--from-code=UTF-8", "--output=-"]
            + ["--files-from", str(listing)],
            capture_output=True,
            text=True,
            check=True,
        )
    catalog = {(e["context"], e["msgid"]) for e in ENTRIES}
    extracted = {(e["context"], e["msgid"]) for e in catalog_entries(result.stdout)}
    missing = sorted(msgid for context, msgid in extracted - catalog)
    assert not missing, f"run makemessages and translate: {missing}"


def test_the_compiled_catalog_matches_the_source():
    """The .mo the server reads holds what the .po says (compilemessages was run after the last edit)."""
    stale = []
    with translation.override("vi"):
        for entry in ENTRIES:
            if entry.get("msgid_plural") or entry["context"]:
                continue
            if translation.gettext(entry["msgid"]) != entry["msgstr"][0]:
                stale.append(entry["msgid"])
    assert not stale, f"run compilemessages: {stale[:10]}"


def english_needles():
    """What betrays an English msgid on a page: the whole msgid for a single word (matched against a whole
    text of the page: "Year" is not found inside "Yearly"), the msgid for a phrase, and for a msgid with
    placeholders its literal fragments of three words or more."""
    words, phrases = set(), set()
    for entry in ENTRIES:
        for msgid in filter(None, (entry["msgid"], entry.get("msgid_plural"))):
            if entry["msgstr"].get(0) == msgid:
                continue  # the same in both languages (a name, an abbreviation, a format)
            fragments = [f.strip(" .,:;()–-") for f in PLACEHOLDER.split(msgid)]
            if len(fragments) == 1:
                (words if " " not in fragments[0] else phrases).add(fragments[0])
            else:
                phrases |= {f for f in fragments if len(f.split()) >= 3}
    words.discard("")
    return words, phrases


class _VisibleText(HTMLParser):
    """The texts a user reads or hears: text nodes outside scripts and styles, and the title, placeholder,
    aria-label and alt attributes."""

    ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        self.texts += [value.strip() for name, value in attrs if name in self.ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def english_on(body, needles):
    words, phrases = needles
    parser = _VisibleText()
    parser.feed(body)
    texts = parser.texts
    joined = "\n".join(texts)
    found = {text for text in texts if text.strip(" .,:;()·–-") in words}
    found |= {phrase for phrase in phrases if phrase in joined}
    return found


@pytest.fixture
def roles(tree):
    return {
        "commune officer": make_user_with_role("vinhquang", tree["vinh_quang"], Role.COMMUNE_OFFICER),
        "commune viewer": make_user_with_role("xemvq", tree["vinh_quang"], Role.VIEWER),
        "district officer": make_user_with_role("trolyhuyen", tree["district"], Role.DISTRICT_OFFICER),
        "commander": make_user_with_role("chihuy", tree["district"], Role.COMMANDER),
    }


def main_pages(user, tree, district_data, reports):
    person = Person.objects.filter(home_unit=tree["vq_hamlet"]).order_by("pk").first()
    campaign = district_data["campaign"]
    commune_level, report = False, reports["district"]
    if any(a.unit.kind.is_commune_level for a in user.assignments.select_related("unit__kind")):
        report, commune_level = reports["vinh_quang"], True
    pages = [
        reverse("home"),
        reverse("dashboard_print"),
        reverse("people:list"),
        reverse("people:detail", args=[person.pk]),
        reverse("militia:member_list"),
        reverse("militia:reservist_list"),
        reverse("militia:reserve_units"),
        reverse("recruitment:campaign_detail", args=[campaign.pk]),
        reverse("recruitment:candidate_list", args=[campaign.pk]),
        reverse("reports:inbox"),
        reverse("reports:report_detail", args=[report.pk]),
    ]
    edit = reverse("reports:report_edit", args=[report.pk])
    sections = TemplateSection.objects.filter(template_id=report.template_id).order_by("order", "pk")
    pages += [f"{edit}?section={section.pk}" for section in sections] if commune_level else [edit]
    return pages


def test_the_main_pages_show_no_english_to_any_role(roles, tree, district_data, reports):
    needles = english_needles()
    found = {}
    for role, user in roles.items():
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
        client.force_login(user)
        for url in main_pages(user, tree, district_data, reports):
            response = client.get(url)
            if response.status_code == 403:
                continue  # a page the role may not open (a viewer's report edit)
            assert response.status_code == 200, (role, url, response.status_code)
            english = english_on(response.content.decode(), needles)
            if english:
                found[f"{role} {url}"] = sorted(english)
    assert not found, found


def test_the_check_finds_an_english_msgid():
    """The check itself: a Vietnamese page with one English label and one English sentence is caught;
    the Vietnamese page is not."""
    needles = english_needles()
    assert english_on('<p title="Xuất Excel">Tổng</p><th>Năm</th>', needles) == set()
    caught = english_on("<th>Quota</th><p>Recruitment campaign of the year: quota 5</p>", needles)
    assert {"Quota", "Recruitment campaign of the year: quota"} <= caught


def _vietnamese(user):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(user)
    return client


def test_the_wording_of_the_vietnamese_pages(roles, tree, district_data, reports, annual_period):
    """A commune officer's overview is the commune's; a unit is named kind first; a ground is cited as the
    law cites it; a deferment ends on a date."""
    from recruitment.models import Candidate, DeferralGround

    officer, commander = roles["commune officer"], roles["commander"]
    title = re.compile(r"<title>\s*([^<]*?)\s+\d{4}")
    assert title.search(_vietnamese(officer).get("/").content.decode()).group(1) == "Bảng điều hành của xã"
    assert title.search(_vietnamese(commander).get("/").content.decode()).group(1) == "Bảng điều hành của chỉ huy"

    period = _vietnamese(commander).get(reverse("reports:period_detail", args=[annual_period.pk])).content.decode()
    assert "Xã Vĩnh Quang" in period and "Huyện Bảo Lâm" in period
    assert "Vĩnh Quang <span" not in period

    candidate = Candidate.objects.filter(commune=tree["vinh_quang"]).order_by("pk").first()
    candidate.stage, candidate.ground = "deferred", DeferralGround.objects.get(code="41.1c")
    candidate.save()
    page = _vietnamese(officer).get(reverse("recruitment:candidate_detail", args=[candidate.pk])).content.decode()
    assert "điểm c khoản 1 Điều 41 – " in page and "41.1c" not in page
    assert "Tạm hoãn đến ngày" in page and "Lý do hết vào ngày" not in page
