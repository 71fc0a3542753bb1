"""A campaign's candidate list shows each candidate's row: the tick box and new health class select for
those who may change stages, name (with the duplicate badge), birth date, commune, ethnic group, stage,
health class, education and deferment ground."""

import datetime

import lxml.html
import pytest

from tests.factories import CandidateFactory, PersonFactory, deferral_ground, ethnicity
from tests.html import table_heads, table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates(campaign, tree):
    def person(name, hamlet, day):
        return PersonFactory(
            full_name=name, home_unit=tree[hamlet], ethnicity=ethnicity("Mông"), birth_date=datetime.date(2006, 6, day)
        )

    return [
        CandidateFactory(
            person=person("Giàng A Chứ", "vq_hamlet", 1), campaign=campaign, stage="approved", health_class=2
        ),
        CandidateFactory(
            person=person("Lò Văn <i>Sáng</i>", "lb_hamlet", 2),
            campaign=campaign,
            stage="deferred",
            ground=deferral_ground("41.1a"),
            education=None,
            flagged_duplicate=True,
        ),
        CandidateFactory(person=person("Vàng A Pó", "vq_hamlet2", 3), campaign=campaign, education=0),
    ]


def test_an_officer_sees_each_candidates_row_with_the_bulk_controls(client, english, district_officer, candidates):
    client.force_login(district_officer)
    html = client.get(f"/recruitment/campaigns/{candidates[0].campaign_id}/candidates/?sort=birth_date").content
    html = html.decode()
    assert table_heads(html)[1:4] == ["No.", "Full name", "Birth date ▲"]
    rows = table_rows(html)
    ground = candidates[1].ground
    assert [row[1:10] for row in rows] == [
        ["1", "Giàng A Chứ", "01/06/2006", "Vĩnh Quang", "Mông", "Approved", "2", "9", "—"],
        ["2", "Lò Văn <i>Sáng</i> possible duplicate", "02/06/2006", "Lý Bôn", "Mông", "Deferred", "—", "—",
         ground.code_in_words],
        ["3", "Vàng A Pó", "03/06/2006", "Vĩnh Quang", "Mông", "Registered", "—", "0", "—"],
    ]  # fmt: skip
    document = lxml.html.fromstring(html)
    for candidate in candidates:
        tick = document.get_element_by_id(f"pick-{candidate.pk}")
        assert (tick.get("name"), tick.get("value")) == ("ids", str(candidate.pk))
        select = document.xpath(f"//select[@name='hc_{candidate.pk}']")[0]
        assert [option.get("value") for option in select.xpath("./option")] == ["", "1", "2", "3", "4", "5", "6"]
    assert document.xpath("//span[@title]/text()") == [ground.code_in_words]
    assert "Lò Văn &lt;i&gt;Sáng&lt;/i&gt;" in html


def test_a_reader_sees_the_rows_without_the_bulk_controls(client, english, commander, candidates):
    client.force_login(commander)
    html = client.get(f"/recruitment/campaigns/{candidates[0].campaign_id}/candidates/").content.decode()
    rows = table_rows(html)
    assert len(rows) == 3 and all(len(row) == 9 for row in rows)
    assert 'name="ids"' not in html and "hc_" not in html
