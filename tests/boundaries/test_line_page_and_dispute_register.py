"""The line page shows the map data, the register and the villages along the line to its sides only, and records a
dispute of the 平安边界 register (audited). The module's own address leads to its lines."""

from audit.services import history
from boundaries.line_models import Dispute
from tests.boundaries.lines_base import line_with_markers, officers


def test_a_side_records_a_dispute_and_a_stranger_sees_no_line(client, wenzhou):
    lucheng, _ouhai, _city, taishun = officers()
    line = line_with_markers(lucheng)
    client.force_login(lucheng)
    assert client.get("/boundaries/", follow=True).redirect_chain == [("/boundaries/lines/", 302)]
    page = client.get(f"/boundaries/lines/{line.uuid}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{line.line_code}001Q" in text and 'id="villages-along"' in text
    assert "村" in text.split('id="villages-along"')[1][:400] or "社区" in text.split('id="villages-along"')[1][:400]
    response = client.post(f"/boundaries/lines/{line.uuid}/disputes/", {
        "title": "山林权属争议", "what": "两村对界线附近山林有不同主张。", "reported_on": "2026-03-01"})
    assert response.status_code == 302
    dispute = Dispute.objects.get(line=line)
    assert dispute.title == "山林权属争议" and history(dispute).first().actor == lucheng
    client.force_login(taishun)
    assert client.get(f"/boundaries/lines/{line.uuid}/").status_code == 404
    assert client.post(f"/boundaries/lines/{line.uuid}/disputes/", {"title": "x", "what": "y"}).status_code == 404


def test_the_villages_along_a_line_come_with_their_townships_in_one_query(client, wenzhou):
    """Each village was named with its township by a query of its own, outlines and all (133 queries for a line of
    the full demo): the page's queries do not grow with the villages it lists."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from borders.queries import villages_along

    lucheng, *_ = officers()
    line = line_with_markers(lucheng)
    villages = list(villages_along(line))
    assert len(villages) >= 3
    client.force_login(lucheng)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/boundaries/lines/{line.uuid}/")
    assert page.status_code == 200
    listed = page.content.decode().split('id="villages-along"')[1].split("</p>")[0]
    assert all(f"{v.name}（{v.parent.name}）" in listed or f"{v.name} ({v.parent.name})" in listed for v in villages)
    areas = [q["sql"] for q in queries.captured_queries if 'FROM "boundaries_adminarea"' in q["sql"]]
    assert len(areas) < len(villages), areas
