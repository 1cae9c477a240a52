"""The REST API: GeoJSON places, name history, applications and transitions, scoped by region."""

import datetime as dt
import json

import pytest
from rest_framework.test import APIClient

from placenames.models import Application
from placenames.models import ApplicationState as S
from tests.base import lucheng_officer, lucheng_reviewer, platform_consumer, ruian_officer
from tests.placenames.builders import draft, line_in, place, walk

pytestmark = pytest.mark.django_db


def client_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_places_are_geojson_features_scoped_to_the_region(wenzhou_counties):
    road = place("解放路")
    place("人民路", county="330381")
    data = client_for(lucheng_officer()).get("/placenames/api/places/").json()
    features = data["results"]["features"]
    assert [f["id"] for f in features] == [str(road.uuid)]
    assert features[0]["geometry"]["type"] == "LineString"
    assert features[0]["properties"]["kind"] == "road" and features[0]["properties"]["area"] == "330302"


def test_search_by_initials_through_the_api(wenzhou_counties):
    place("解放路")
    place("人民路")
    data = client_for(lucheng_officer()).get("/placenames/api/search/", {"q": "jfl"}).json()
    assert data["features"][0]["properties"]["name"] == "解放路"


def test_a_place_history_and_the_name_on_a_date(wenzhou_counties):
    officer, reviewer = lucheng_officer(), lucheng_reviewer()
    road = place("胜利路", since=dt.date(2001, 3, 1))
    api = client_for(officer)
    created = api.post("/placenames/api/applications/", {"type": "renaming", "place": str(road.uuid),
                                                         "proposed_name": "望江东路", "reason": "统一名称"},
                       format="json")
    assert created.status_code == 201, created.content
    walk(Application.objects.get(pk=created.json()["id"]), officer, reviewer, S.APPROVED)
    history = api.get(f"/placenames/api/places/{road.uuid}/history/").json()
    assert [n["full_name"] for n in history] == ["胜利路", "望江东路"]
    on = api.get(f"/placenames/api/places/{road.uuid}/history/", {"on": "2015-06-01"}).json()
    assert [n["full_name"] for n in on] == ["胜利路"]
    names = api.get("/placenames/api/names/", {"on": "2015-06-01", "place": str(road.uuid)}).json()
    assert [n["full_name"] for n in names["results"]] == ["胜利路"]


def test_an_application_is_drafted_and_moved_through_the_api(wenzhou_counties):
    place("解放路")
    api = client_for(lucheng_officer())
    created = api.post("/placenames/api/applications/", {
        "type": "naming", "kind": "road", "proposed_name": "介放路", "geom": json.loads(line_in().geojson)},
        format="json").json()
    assert created["properties"]["state"] == "draft" and created["geometry"]["type"] == "LineString"
    app_id, version = created["id"], created["properties"]["version"]
    moved = api.post(f"/placenames/api/applications/{app_id}/transition/",
                     {"action": "submit", "version": version}, format="json")
    assert moved.status_code == 200
    finding = moved.json()["properties"]["findings"][0]
    assert (finding["code"], finding["severity"]) == ("homophone", "warning")
    assert "第九条" in finding["explanation"]
    stale = api.post(f"/placenames/api/applications/{app_id}/transition/",
                     {"action": "pass_check", "version": version}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    illegal = api.post(f"/placenames/api/applications/{app_id}/transition/",
                       {"action": "announce", "version": version + 1, "announcement_reference": "x"},
                       format="json")
    assert illegal.status_code == 409 and illegal.json()["error"]["code"] == "illegal_transition"


def test_another_county_officer_gets_404_from_the_api(wenzhou_counties):
    app = draft(lucheng_officer(), "望海路")
    api = client_for(ruian_officer())
    assert api.get(f"/placenames/api/applications/{app.pk}/").status_code == 404
    response = api.post(f"/placenames/api/applications/{app.pk}/transition/",
                        {"action": "submit", "version": app.version}, format="json")
    assert response.status_code == 404
    assert api.get("/placenames/api/applications/").json()["results"]["features"] == []


def test_a_platform_consumer_cannot_read_applications(wenzhou_counties):
    draft(lucheng_officer(), "望海路")
    assert client_for(platform_consumer()).get("/placenames/api/applications/").status_code == 403


def test_a_draft_edit_needs_the_current_version(wenzhou_counties):
    app = draft(lucheng_officer(), "望海路")
    api = client_for(app.created_by)
    ok = api.patch(f"/placenames/api/applications/{app.pk}/", {"version": app.version, "meaning": "望向东海"},
                   format="json")
    assert ok.status_code == 200 and ok.json()["properties"]["meaning"] == "望向东海"
    stale = api.patch(f"/placenames/api/applications/{app.pk}/", {"version": app.version, "meaning": "x"},
                      format="json")
    assert stale.status_code == 409
