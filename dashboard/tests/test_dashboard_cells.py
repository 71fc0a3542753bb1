"""The dashboard's commune table shows each figure with its mark against the target: a shape, and words
for screen readers (dashboard/_target.html)."""

import lxml.html
import pytest

pytestmark = pytest.mark.django_db


def _commune_row(html, unit):
    row = lxml.html.fromstring(html).xpath(f"//tr[@data-commune='{unit.pk}']")[0]
    return [" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")], row


def test_a_communes_figures_show_with_their_marks(client, commander, district_data, tree):
    client.force_login(commander)
    html = client.get("/").content.decode()
    cells, row = _commune_row(html, tree["vinh_quang"])
    at_risk, on_target = "■dưới chỉ tiêu hoặc có nguy cơ", "●đạt chỉ tiêu"
    assert cells == [
        "Vĩnh Quang nguy cơ không đạt",
        "4",  # quota
        "2",  # handed over
        f"50,0 %{at_risk}",  # of the quota
        "4",  # militia strength
        f"0,2 %{at_risk}",  # of the population, below the district's 1.4 %
        f"50,0 %{on_target}",  # Party members, Vĩnh Quang's own target 40 %
        "25,0 %",  # trained: no target
        "2",
        "50,0 %",
    ]
    party = row.xpath("./td")[5]
    assert party.get("class") == "text-end target-cell target-ok"
    assert party.xpath(".//a/@href")[0].endswith("&party=1")
    mark = party.xpath("./span[@title]")[0]
    assert (mark.get("class"), mark.get("title")) == ("target-mark target-ok", "đạt chỉ tiêu")
