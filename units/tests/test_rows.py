"""The rows of the people, militia member and candidate lists, built in Python, print what the templates'
`{% for %}` loops printed, byte for byte, in English and in Vietnamese."""

import datetime
from functools import partial

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.template import engines
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from militia.models import MilitiaMember
from people.models import Person
from recruitment.models import Candidate, Stage
from tests.factories import (
    CampaignFactory,
    CandidateFactory,
    MilitiaMemberFactory,
    PersonFactory,
    deferral_ground,
    ethnicity,
)

pytestmark = pytest.mark.django_db

# A name with every character HTML escapes, and Vietnamese letters.
TRICKY_NAME = "Lò Thị <b>Mai</b> & \"Ánh\" 'Đào'"
ESCAPED_NAME = "Lò Thị &lt;b&gt;Mai&lt;/b&gt; &amp; &quot;Ánh&quot; &#x27;Đào&#x27;"

# The loops as the templates had them before the tags replaced them (the whitespace is theirs).
PERSON_LOOP = """{% load i18n %}{% for person in page.object_list %}
    <tr>
      <td class="text-muted">{{ page.start_index|add:forloop.counter0 }}</td>
      <td><a href="{% url 'people:detail' person.pk %}">{{ person.full_name }}</a></td>
      <td>{{ person.birth_date|date:"d/m/Y" }}</td>
      <td>{{ person.get_sex_display }}</td>
      <td>{{ person.ethnicity.name }}</td>
      <td>{{ person.home_unit.name }}</td>
      <td>{% if person.home_unit.kind.is_commune_level %}{{ person.home_unit.name }}{% else %}{{ person.home_unit.parent.name }}{% endif %}</td>
      <td>{% if person.is_party_member %}<span class="badge text-bg-danger">{% translate "Party" %}</span>{% endif %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501

MEMBER_LOOP = """{% load i18n %}{% for m in page.object_list %}
    <tr>
      <td class="text-muted">{{ page.start_index|add:forloop.counter0 }}</td>
      <td><a href="{% url 'militia:member_detail' m.pk %}">{{ m.person.full_name }}</a>
        {% if m.person.is_party_member %}<span class="badge text-bg-danger">{% translate "Party" %}</span>{% endif %}
        {% if m.is_volunteer %}<span class="badge text-bg-info">{% translate "volunteer" %}</span>{% endif %}</td>
      <td>{{ m.person.birth_date|date:"d/m/Y" }}</td>
      <td>{{ m.unit.name }}</td>
      <td>{{ m.person.home_unit.name }}</td>
      <td>{{ m.force_type }}{% if not m.is_core %} <span class="text-muted small">({% translate "broad" %})</span>{% endif %}</td>
      <td>{{ m.get_position_display }}</td>
      <td>{{ m.joined_on|date:"d/m/Y" }}</td>
      <td>{{ m.term_ends_on|date:"d/m/Y" }}</td>
      <td>{% if m.last_trained_year == today.year %}✓{% else %}<span class="text-muted">{{ m.last_trained_year|default:"—" }}</span>{% endif %}</td>
      <td>{% if m.status == "active" %}<span class="badge text-bg-success">{{ m.get_status_display }}</span>{% else %}<span class="badge text-bg-secondary">{{ m.get_status_display }}</span>{% endif %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501

CANDIDATE_LOOP = """{% load i18n %}{% for c in page.object_list %}
    <tr>
      {% if can_edit %}<td><input class="form-check-input" type="checkbox" name="ids" value="{{ c.pk }}" id="pick-{{ c.pk }}" aria-label="{{ c.person.full_name }}"></td>{% endif %}
      <td class="text-muted">{{ page.start_index|add:forloop.counter0 }}</td>
      <td><a href="{% url 'recruitment:candidate_detail' c.pk %}">{{ c.person.full_name }}</a>
        {% if c.flagged_duplicate %}<span class="badge text-bg-warning">{% translate "possible duplicate" %}</span>{% endif %}</td>
      <td>{{ c.person.birth_date|date:"d/m/Y" }}</td>
      <td>{{ c.commune.name }}</td>
      <td>{{ c.person.ethnicity.name }}</td>
      <td><span class="badge {% if c.stage == 'approved' or c.stage == 'handed_over' %}text-bg-success{% elif c.stage == 'deferred' or c.stage == 'exempt' or c.stage == 'not_selected' %}text-bg-secondary{% else %}text-bg-light border{% endif %}">{{ c.get_stage_display }}</span></td>
      <td>{{ c.health_class|default:"—" }}</td>
      <td>{{ c.education|default_if_none:"—" }}</td>
      <td>{% if c.ground %}<span title="{{ c.ground }}">{{ c.ground.code_in_words }}</span>{% else %}—{% endif %}</td>
      {% if can_edit %}<td><select name="hc_{{ c.pk }}" class="form-select form-select-sm" aria-label="{% translate 'Health class' %} {{ c.person.full_name }}"><option value="">—</option>{% for n in "123456" %}<option value="{{ n }}">{{ n }}</option>{% endfor %}</select></td>{% endif %}
    </tr>
  {% endfor %}"""  # noqa: E501

PERSON_TAG = "{% load rows %}{% person_rows page %}"
MEMBER_TAG = "{% load rows %}{% member_rows page today %}"
CANDIDATE_TAG = "{% load rows %}{% candidate_rows page can_edit %}"

LANGUAGES = pytest.mark.parametrize("language", ["en", "vi"])


class StubPage:
    """What the tables read of a paginator page: its objects and the number of its first row."""

    def __init__(self, object_list, start_index):
        self.object_list = object_list
        self._start_index = start_index

    def start_index(self):
        return self._start_index


def _render(source, context):
    return engines["django"].from_string(source).render(context)


def _assert_same_rows(loop, tag, make_page, **context):
    """The tag prints what the loop printed, with no more queries; `make_page` gives a fresh page each
    time, so each rendering reads its rows from the database as a request would. Returns the rows."""
    with CaptureQueriesContext(connection) as loop_queries:
        expected = _render(loop, {"page": make_page(), **context})
    with CaptureQueriesContext(connection) as tag_queries:
        rows = _render(tag, {"page": make_page(), **context})
    assert rows == expected
    assert len(tag_queries) == len(loop_queries)
    return rows


def _assert_same_rows_on_every_page(loop, tag, make_queryset, **context):
    """Every page of three rows: row numbers past the first page are compared too. Returns all rows."""
    rows = []
    for number in Paginator(make_queryset(), 3).page_range:
        make_page = partial(_page, make_queryset, number)
        rows.append(_assert_same_rows(loop, tag, make_page, **context))
    return "".join(rows)


def _page(make_queryset, number):
    return Paginator(make_queryset(), 3).page(number)


# --- People ---------------------------------------------------------------------------------------------


@pytest.fixture
def people(tree):
    """People of every kind the registry list shows: hamlet or commune residents, either sex, several
    ethnic groups, Party members or not, a name needing escapes."""
    return [
        PersonFactory(
            full_name=TRICKY_NAME,
            sex="F",
            ethnicity=ethnicity("Tày"),
            home_unit=tree["vq_hamlet"],
            is_party_member=True,
            birth_date=datetime.date(1990, 9, 2),
        ),
        PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet2"], birth_date=datetime.date(2001, 1, 31)),
        PersonFactory(full_name="Hoàng Thị Hoa", sex="F", ethnicity=ethnicity("Kinh"), home_unit=tree["vinh_quang"]),
        PersonFactory(full_name="Vàng Seo Páo", ethnicity=ethnicity("Nùng"), home_unit=tree["lb_hamlet"]),
        PersonFactory(full_name="Triệu Văn Hùng", home_unit=tree["ly_bon"], is_party_member=True),
        PersonFactory(full_name="Lý Văn Sình", home_unit=tree["district"], birth_date=datetime.date(1962, 12, 1)),
        # A unit without a parent: the commune column is empty.
        PersonFactory(full_name="Ma Văn Tỉnh", home_unit=tree["province"]),
    ]


def _people_queryset():
    return Person.objects.select_related("ethnicity", "home_unit", "home_unit__kind", "home_unit__parent").order_by(
        "pk"
    )


@LANGUAGES
def test_person_rows_print_what_the_template_loop_printed(people, language):
    with translation.override(language):
        rows = _assert_same_rows_on_every_page(PERSON_LOOP, PERSON_TAG, _people_queryset)
    assert rows.count("<tr>") == len(people)
    assert f'<a href="/people/{people[0].pk}/">{ESCAPED_NAME}</a>' in rows
    assert '<td class="text-muted">7</td>' in rows
    assert ("Đảng viên" if language == "vi" else ">Party<") in rows


# --- Militia members ------------------------------------------------------------------------------------


@pytest.fixture
def members(tree):
    """Members of every kind the roster shows: party members, volunteers, broad force, each force type and
    position, trained this year, another year or never, every status, a term end date missing."""
    this_year = timezone.localdate().year
    vq, lb = tree["vq_hamlet"], tree["lb_hamlet"]
    members = [
        MilitiaMemberFactory(
            person=PersonFactory(full_name=TRICKY_NAME, home_unit=vq, is_party_member=True),
            is_volunteer=True,
            last_trained_year=this_year,
        ),
        MilitiaMemberFactory(
            person=PersonFactory(full_name="Nguyễn Văn Đức", home_unit=vq),
            force_code="co_dong",
            is_core=False,
            position="squad_leader",
            last_trained_year=this_year - 2,
        ),
        MilitiaMemberFactory(
            person=PersonFactory(full_name="Vàng Seo Páo", home_unit=lb, is_party_member=True),
            force_code="thuong_truc",
            position="platoon_leader",
            status="term_ended",
            joined_on=datetime.date(2019, 3, 4),
        ),
        MilitiaMemberFactory(
            person=PersonFactory(full_name="Triệu Văn Hùng", home_unit=tree["vinh_quang"]),
            is_core=False,
            is_volunteer=True,
            status="discharged",
            last_trained_year=this_year,
        ),
        MilitiaMemberFactory(person=PersonFactory(full_name="Lý Văn Sình", home_unit=lb), status="moved"),
    ]
    MilitiaMember.objects.filter(pk=members[-1].pk).update(term_ends_on=None)
    return members


def _members_queryset():
    return MilitiaMember.objects.select_related(
        "person", "person__ethnicity", "person__home_unit", "unit", "force_type"
    ).order_by("pk")


@LANGUAGES
def test_member_rows_print_what_the_template_loop_printed(members, language):
    today = timezone.localdate()
    with translation.override(language):
        rows = _assert_same_rows_on_every_page(MEMBER_LOOP, MEMBER_TAG, _members_queryset, today=today)
    assert rows.count("<tr>") == len(members)
    assert rows.count("✓") == 2
    assert f'<span class="text-muted">{today.year - 2}</span>' in rows
    assert rows.count('<span class="text-muted">—</span>') == 2
    assert ("tình nguyện" if language == "vi" else "volunteer") in rows


def test_member_rows_on_a_new_year_tick_nobody_trained_last_year(members):
    """The tick follows the page's `today`: once the year turns, last year's training shows its year."""
    next_new_year = datetime.date(timezone.localdate().year + 1, 1, 1)
    rows = _assert_same_rows_on_every_page(MEMBER_LOOP, MEMBER_TAG, _members_queryset, today=next_new_year)
    assert "✓" not in rows


# --- Candidates -----------------------------------------------------------------------------------------


@pytest.fixture
def candidates(tree):
    """Candidates of every stage, with and without a health class, an education grade, a deferment ground,
    a duplicate flag; one with a pk past a thousand."""
    campaign = CampaignFactory(district=tree["district"])
    vq, lb = tree["vq_hamlet"], tree["lb_hamlet"]
    stages = list(Stage.values)
    candidates = []
    for index, stage in enumerate(stages):
        person = PersonFactory(
            full_name=TRICKY_NAME if index == 0 else f"Giàng A Chứ {index}",
            home_unit=vq if index % 2 else lb,
            ethnicity=ethnicity("Mông" if index % 3 else "Dao"),
            birth_date=datetime.date(2006, 6, 1 + index),
        )
        candidates.append(
            CandidateFactory(
                person=person,
                campaign=campaign,
                stage=stage,
                health_class=None if index % 4 == 0 else 1 + index % 6,
                education=None if index == 1 else (0 if index == 2 else 12 - index),
                ground=deferral_ground("41.1a" if stage == "deferred" else "41.2a") if index in (5, 6) else None,
                flagged_duplicate=index in (0, 3),
            )
        )
    candidates.append(
        CandidateFactory(pk=123456, person=PersonFactory(home_unit=vq), campaign=campaign, health_class=6)
    )
    return candidates


def _candidates_queryset():
    return Candidate.objects.select_related("person", "person__ethnicity", "commune", "ground").order_by("pk")


@LANGUAGES
@pytest.mark.parametrize("can_edit", [True, False])
def test_candidate_rows_print_what_the_template_loop_printed(candidates, language, can_edit):
    with translation.override(language):
        rows = _assert_same_rows_on_every_page(CANDIDATE_LOOP, CANDIDATE_TAG, _candidates_queryset, can_edit=can_edit)
    assert rows.count("<tr>") == len(candidates)
    assert ('id="pick-123456"' in rows) is can_edit
    assert ('name="hc_123456"' in rows) is can_edit
    assert rows.count("text-bg-warning") == 2
    words = {"vi": "điểm a khoản 1 Điều 41", "en": "point a, clause 1, Article 41"}[language]
    assert f'<span title="{words} – ' in rows and f">{words}</span>" in rows


@LANGUAGES
def test_numbers_grouped_by_thousands_print_as_the_template_printed(candidates, members, language):
    """With thousands grouped, row numbers, pks and years are printed localized ("1.234" in Vietnamese)."""
    today = timezone.localdate()
    with override_settings(USE_THOUSAND_SEPARATOR=True), translation.override(language):
        rows = _assert_same_rows(
            CANDIDATE_LOOP, CANDIDATE_TAG, lambda: StubPage(_candidates_queryset(), 1234), can_edit=True
        )
        members_rows = _assert_same_rows(
            MEMBER_LOOP, MEMBER_TAG, lambda: StubPage(_members_queryset(), 9998), today=today
        )
        _assert_same_rows(PERSON_LOOP, PERSON_TAG, lambda: StubPage(_people_queryset(), 1000))
    separator = "." if language == "vi" else ","
    assert f'id="pick-123{separator}456"' in rows
    assert f'<td class="text-muted">1{separator}234</td>' in rows
    assert f'<td class="text-muted">10{separator}000</td>' in members_rows


def test_a_context_without_today_or_can_edit_prints_what_the_loop_printed(members, candidates):
    """A template including the results without `today` or `can_edit` gets the rows the loop gave it."""
    _assert_same_rows_on_every_page(MEMBER_LOOP, MEMBER_TAG, _members_queryset)
    _assert_same_rows_on_every_page(CANDIDATE_LOOP, CANDIDATE_TAG, _candidates_queryset)


# --- Through the pages ----------------------------------------------------------------------------------


def test_the_people_list_shows_a_persons_row(client, commander, people):
    client.force_login(commander)
    person = people[0]
    html = client.get("/people/").content.decode()
    assert (
        f'<td><a href="/people/{person.pk}/">{ESCAPED_NAME}</a></td>'
        "\n      <td>02/09/1990</td>"
        "\n      <td>Nữ</td>"
        "\n      <td>Tày</td>"
        "\n      <td>Nà Đoỏng</td>"
        "\n      <td>Vĩnh Quang</td>"
        '\n      <td><span class="badge text-bg-danger">Đảng viên</span></td>'
    ) in html


def test_the_militia_list_shows_a_members_row(client, commander, members):
    client.force_login(commander)
    member = members[0]
    html = client.get("/militia/members/").content.decode()
    assert (
        f'<td><a href="/militia/members/{member.pk}/">{ESCAPED_NAME}</a>'
        '\n        <span class="badge text-bg-danger">Đảng viên</span>'
        '\n        <span class="badge text-bg-info">tình nguyện</span></td>'
    ) in html
    assert f"<td>{member.joined_on:%d/%m/%Y}</td>" in html
    assert '<td><span class="badge text-bg-success">Đang quản lý</span></td>' in html


def test_the_candidate_list_shows_a_candidates_row(client, district_officer, candidates):
    client.force_login(district_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    approved = candidates[3]
    html = client.get(f"/recruitment/campaigns/{approved.campaign_id}/candidates/").content.decode()
    assert (
        f'<td><input class="form-check-input" type="checkbox" name="ids" value="{approved.pk}"'
        f' id="pick-{approved.pk}" aria-label="Giàng A Chứ 3"></td>'
    ) in html
    assert (
        f'<td><a href="/recruitment/candidates/{approved.pk}/">Giàng A Chứ 3</a>'
        '\n        <span class="badge text-bg-warning">possible duplicate</span></td>'
        "\n      <td>04/06/2006</td>"
    ) in html
    assert '<td><span class="badge text-bg-success">Approved</span></td>' in html
