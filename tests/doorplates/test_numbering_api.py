"""The numbering endpoints a field tablet and the road page call."""

import pytest

from doorplates.models import Doorplate
from tests.base import lucheng_officer
from tests.doorplates.builders import lonlat_at, make_plate, make_road

pytestmark = pytest.mark.django_db


@pytest.fixture
def road(wenzhou_counties):
    road = make_road("解放街")
    make_plate(road, 5, 100, 10)
    make_plate(road, 7, 110, 10)
    return road


@pytest.fixture
def officer(client, road):
    user = lucheng_officer()
    client.force_login(user)
    return user


def test_suggest_answers_the_number_for_a_point(client, road, officer):
    lon, lat = lonlat_at(road, 105, 10)
    data = client.get(f"/doorplates/api/roads/{road.pk}/suggest/", {"lon": lon, "lat": lat}).json()
    assert data["number"] == "5号之一" and data["side"] == "left" and data["reason"] == "infill"
    assert data["before"]["number"] == "5号" and data["after"]["number"] == "7号"


def test_suggest_takes_gcj02_coordinates(client, road, officer):
    from gis.coords import wgs84_to_gcj02

    lon, lat = wgs84_to_gcj02(*lonlat_at(road, 105, 10))
    data = client.get(f"/doorplates/api/roads/{road.pk}/suggest/", {"lon": lon, "lat": lat, "crs": "gcj02"}).json()
    assert data["number"] == "5号之一"


def test_check_lists_findings_with_plate_ids(client, road, officer):
    wrong = make_plate(road, 8, 200, 10)
    data = client.get(f"/doorplates/api/roads/{road.pk}/check/").json()
    assert data["counts"]["wrong_side"] == 1
    assert data["findings"][0]["plates"] == [str(wrong.pk)]


def test_renumber_preview_writes_nothing(client, road, officer):
    data = client.get(f"/doorplates/api/roads/{road.pk}/renumber-preview/").json()
    assert [p["new"] for p in data["plates"]] == ["51号", "55号"]
    assert sorted(Doorplate.objects.values_list("number", flat=True)) == [5, 7]


def test_a_plate_is_created_and_edited_through_the_api(client, road, officer):
    lon, lat = lonlat_at(road, 300, -10)
    response = client.post("/doorplates/api/plates/", {"road": str(road.pk), "number": "150", "lon": lon,
                                                       "lat": lat}, content_type="application/json")
    assert response.status_code == 201, response.json()
    plate = response.json()
    assert plate["properties"]["address"].endswith("解放街150号")
    url = f"/doorplates/api/plates/{plate['id']}/"
    response = client.patch(url, {"number": "150-1号", "version": 1}, content_type="application/json")
    assert response.json()["properties"]["number_label"] == "150-1号"
    response = client.patch(url, {"number": "152", "version": 1}, content_type="application/json")
    assert response.status_code == 409


def test_an_officer_sets_the_roads_numbering_rules_and_the_check_follows(client, road, officer):
    from audit.models import Change

    response = client.post(f"/doorplates/roads/{road.pk}/numbering/", {"odd_side": "right", "spacing_m": "5",
                                                                       "max_offset_m": "80", "infill_style": "dash"})
    assert response.status_code == 302
    data = client.get(f"/doorplates/api/roads/{road.pk}/numbering/").json()
    assert (data["odd_side"], data["spacing_m"], data["infill_style"], data["reversed"]) == ("right", 5.0, "dash", False)
    assert client.get(f"/doorplates/api/roads/{road.pk}/check/").json()["counts"]["wrong_side"] == 2
    assert Change.objects.filter(object_id=str(road.pk)).count() == 1


def test_the_road_page_names_its_findings_and_its_rules_form_s_mistakes_in_words(client, road, officer):
    """Before, the plate table showed wrong_side and the form's refusals named odd_side and spacing_m (found by a
    crawl of the pages)."""
    client.post(f"/doorplates/roads/{road.pk}/numbering/", {"odd_side": "right", "spacing_m": "5",
                                                           "max_offset_m": "80", "infill_style": "dash"})
    page = client.get(f"/doorplates/roads/{road.pk}/").content.decode()
    table = page[page.index('id="plate-list"'):page.index("</table>", page.index('id="plate-list"'))]
    assert "单双号错侧" in table and "wrong_side" not in table

    for sent, said in (({"odd_side": "up"}, "所选单号所在侧不在列表中"),
                       ({"spacing_m": "abc"}, "每个门牌号的临街米数必须是数字"), ({"max_offset_m": "20000"}, "10000"),
                       ({"reversed": "maybe"}, "“从道路线终点开始编号”只能勾选或不勾选")):
        response = client.post(f"/doorplates/roads/{road.pk}/numbering/", sent, follow=True)
        text = response.content.decode()
        messages = text[text.index('<ul class="messages">'):text.index("</ul>", text.index('<ul class="messages">'))]
        assert said in messages and not any(name in messages for name in ("odd_side", "spacing_m", "max_offset_m", "reversed"))
    data = client.get(f"/doorplates/api/roads/{road.pk}/numbering/").json()
    assert (data["odd_side"], data["spacing_m"], data["max_offset_m"]) == ("right", 5.0, 80.0)

    # The refused rules come back as they were typed, in the form left open.
    refused = client.post(f"/doorplates/roads/{road.pk}/numbering/", {
        "odd_side": "left", "spacing_m": "7.5", "max_offset_m": "20000", "infill_style": "zhi", "reversed": "true"})
    text = refused.content.decode()
    assert refused.status_code == 400 and '<details class="noprint" open>' in text
    for kept in ('<option value="left" selected>', 'name="spacing_m" step="0.5" min="0.5" value="7.5"',
                 'value="20000"', 'name="reversed" value="true" checked'):
        assert kept in text, kept


def test_a_field_crew_cannot_change_numbering_rules(client, road):
    from tests.base import make_user

    client.force_login(make_user("lucheng_field", "field_crew", "330302"))
    response = client.post(f"/doorplates/api/roads/{road.pk}/numbering/", {"odd_side": "right"},
                           content_type="application/json")
    assert response.status_code == 403
