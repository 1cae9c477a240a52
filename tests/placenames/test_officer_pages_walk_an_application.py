"""The officer pages: queue per county, drafting, the application page with findings and decision forms."""

import json

import pytest

from placenames.models import Application
from placenames.models import ApplicationState as S
from tests.base import lucheng_officer, lucheng_reviewer, ruian_officer
from tests.placenames.builders import draft, line_in, place, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(wenzhou_counties, client):
    user = lucheng_officer()
    client.force_login(user)
    return user


def test_the_queue_lists_the_county_applications_only(officer, client):
    mine = draft(officer, "望海路")
    other = draft(ruian_officer(), "望海路", county="330381")
    page = client.get("/placenames/").content.decode()
    assert mine.reference in page
    assert other.reference not in page


def test_an_officer_drafts_an_application_through_the_form(officer, client):
    response = client.post("/placenames/applications/new/", {
        "type": "naming", "kind": "road", "proposed_name": "望海路", "reason": "新建道路",
        "geom": line_in().geojson})
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/placenames/applications/{app.pk}/"
    assert (app.proposed_name, app.specific, app.generic, app.pinyin) == ("望海路", "望海", "路", "Wanghai Lu")
    assert app.area.code12.startswith("330302")


def test_a_draft_whose_name_changes_is_split_again_unless_its_split_was_typed(officer, client):
    """Before, the edit form came with the split made from the old name: a changed name was refused as not matching
    it until the officer found and emptied both fields."""
    app = draft(officer, "东山路")
    form = client.get(f"/placenames/applications/{app.pk}/edit/").content.decode()
    assert 'name="specific" value="东山"' not in form and 'name="generic" value="路"' not in form
    response = client.post(f"/placenames/applications/{app.pk}/edit/", {
        "type": "naming", "kind": "road", "proposed_name": "东屿路", "specific": "", "generic": "", "reason": "新建道路",
        "geom": app.geom.geojson, "version": app.version})
    app.refresh_from_db()
    assert response.status_code == 302 and (app.specific, app.generic, app.pinyin) == ("东屿", "路", "Dongyu Lu")
    client.post(f"/placenames/applications/{app.pk}/edit/", {
        "type": "naming", "kind": "road", "proposed_name": "东屿路", "specific": "东", "generic": "屿路",
        "reason": "新建道路",
        "geom": app.geom.geojson, "version": app.version})
    form = client.get(f"/placenames/applications/{app.pk}/edit/").content.decode()
    assert 'value="东"' in form and 'value="屿路"' in form  # a split the officer typed is shown as typed


def test_a_geometry_outside_the_service_area_is_explained_on_the_form(officer, client):
    response = client.post("/placenames/applications/new/", {
        "type": "naming", "kind": "road", "proposed_name": "望海路",
        "geom": '{"type": "LineString", "coordinates": [[116.3, 39.9], [116.4, 39.9]]}'})
    assert response.status_code == 200
    assert not Application.objects.exists()
    assert "error" in response.content.decode()


def test_a_form_without_the_kind_of_place_asks_for_it_in_words(officer, client):
    """Before, it said 未知的地名类别：None。 (found by a crawl of the pages)."""
    response = client.post("/placenames/applications/new/", {
        "type": "naming", "kind": "", "proposed_name": "望海路", "geom": line_in().geojson})
    page = response.content.decode()
    assert response.status_code in (200, 400) and "请选择地名类别" in page and "None" not in page
    assert not Application.objects.exists()


def test_the_application_page_explains_a_homophone_and_offers_a_justification(officer, client):
    place("解放路")
    app = draft(officer, "介放路")
    client.post(f"/placenames/applications/{app.pk}/act/submit/", {"version": app.version})
    page = client.get(f"/placenames/applications/{app.pk}/").content.decode()
    assert "同音" in page and "解放路" in page
    assert "第九条" in page  # the explanation cites the regulation
    assert 'name="justification"' in page

    # A justification sent from a page read before the application changed is refused, and comes back as typed.
    app.refresh_from_db()
    finding = app.findings.get(code="homophone")
    refused = client.post(f"/placenames/applications/{app.pk}/findings/{finding.pk}/justify/",
                          {"version": app.version - 1, "justification": "两路相距三十公里，不致混淆"})
    assert refused.status_code == 400 and "已被他人处理" in refused.content.decode()
    assert ">两路相距三十公里，不致混淆</textarea>" in refused.content.decode()
    finding.refresh_from_db()
    assert finding.justification == ""


def test_a_stale_decision_is_refused_with_a_message(officer, client):
    app = draft(officer, "望海路")
    client.post(f"/placenames/applications/{app.pk}/act/submit/", {"version": app.version})
    response = client.post(f"/placenames/applications/{app.pk}/act/pass_check/", {"version": app.version},
                           follow=True)
    assert "已被他人处理" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.SUBMITTED


def test_the_page_holds_the_map_data_and_lists_the_homophone_nearby(officer, client):
    existing = place("解放路")
    app = draft(officer, "介放路")
    page = client.get(f"/placenames/applications/{app.pk}/").content.decode()
    data = json.loads(page.split('<script id="application-map-data" type="application/json">')[1].split("</script>")[0])
    roles = {f["properties"]["role"]: f for f in data["features"]}
    assert roles["proposed"]["geometry"]["type"] == "LineString"
    assert roles["homophone"]["id"] == str(existing.uuid)
    distance = roles["homophone"]["properties"]["distance_m"]
    assert distance < 2000
    kind = existing.kind.name
    assert f"<li>解放路（同音，{kind}，约 {distance} 米）</li>" in page


def test_another_county_officer_gets_404_on_the_page(officer, client):
    app = draft(officer, "望海路")
    client.force_login(ruian_officer())
    assert client.get(f"/placenames/applications/{app.pk}/").status_code == 404
    response = client.post(f"/placenames/applications/{app.pk}/act/submit/", {"version": app.version})
    app.refresh_from_db()
    assert app.state == S.DRAFT and response.status_code in (302, 404)


def test_the_overdue_page_lists_late_filings(officer, client):
    app = walk(draft(officer, "望海路"), officer, lucheng_reviewer(), S.APPROVED)
    Application.objects.filter(pk=app.pk).update(filing_due_on="2020-01-01", announcement_due_on="2020-01-01")
    page = client.get("/placenames/overdue/").content.decode()
    assert app.reference in page
    assert "/placenames/overdue/" in client.get("/placenames/").content.decode()


def test_the_place_page_answers_what_it_was_called(officer, client):
    road = place("胜利路")
    page = client.get(f"/placenames/places/{road.uuid}/?on=2015-06-01").content.decode()
    assert 'id="name-on">胜利路' in page
