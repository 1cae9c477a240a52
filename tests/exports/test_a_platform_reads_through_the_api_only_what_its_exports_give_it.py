"""A platform account (its API token) reads through the REST API, the OGC API and the feed exactly what its exports
give it: published rows of its layers in its areas, with the public properties; every other endpoint refuses it."""

import pytest

from accounts.models import ApiToken
from tests.base import make_user
from tests.exports.builders import canteen, consumer, doorplate, place

pytestmark = pytest.mark.django_db

PHONE, OPERATOR = "13905771234", "东山社区居委会"


@pytest.fixture
def registry(wenzhou_counties):
    road = place("解放街")
    installed = doorplate(road, 8)
    planned = doorplate(road, 10, shift=1, status="planned")
    open_ = canteen("东山食堂", operator=OPERATOR, operator_phone=PHONE)
    planned_canteen = canteen("规划食堂", shift=2, status="planned")
    ruian = canteen("瑞安食堂", county="330381")
    return road, installed, planned, open_, planned_canteen, ruian


def token_for(layers, areas=("330302",)) -> dict:
    user = make_user("amap", "platform_consumer", "330300")
    consumer(user, layers=layers, areas=areas)
    _token, raw = ApiToken.issue(user, "amap")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_rest_lists_only_published_rows_of_granted_layers_with_public_properties(client, registry):
    road, installed, planned, open_, planned_canteen, ruian = registry
    auth = token_for(("canteens", "doorplates"))

    canteens = client.get("/canteens/api/canteens/", **auth).json()["features"]
    plates = client.get("/doorplates/api/plates/", **auth).json()["features"]

    assert [f["properties"]["name"] for f in canteens] == ["东山食堂"]  # not planned, not 瑞安市
    assert set(canteens[0]["properties"]) <= {"name", "kind", "kind_label", "address", "status", "status_label",
                                              "seats", "opening_hours", "delivers", "delivery_radius_m",
                                              "area_code", "area_name"}
    assert [f["id"] for f in plates] == [str(installed.uuid)]
    assert "public_url" not in plates[0]["properties"] and installed.token not in str(plates)
    text = str(canteens) + str(plates)
    assert PHONE not in text and OPERATOR not in text
    assert client.get(f"/canteens/api/canteens/{planned_canteen.uuid}/", **auth).status_code == 404
    assert client.get(f"/doorplates/api/plates/{planned.uuid}/", **auth).status_code == 404


def test_a_layer_it_is_not_granted_is_empty(client, registry):
    auth = token_for(("roads",))
    assert client.get("/canteens/api/canteens/", **auth).json()["features"] == []
    assert client.get("/doorplates/api/plates/", **auth).json()["features"] == []
    places = client.get("/placenames/api/places/", **auth).json()["results"]["features"]
    assert [f["properties"]["name"] for f in places] == ["解放街"]


@pytest.mark.parametrize("path", [
    "/canteens/api/canteens/{canteen}/history/", "/doorplates/api/plates/{plate}/history/",
    "/canteens/api/coverage/", "/canteens/api/uncovered/", "/canteens/api/siting/",
    "/doorplates/api/roads/{road}/check/", "/doorplates/api/autocomplete/?q=解放", "/doorplates/api/geocode/?q=解放街8号",
    "/placenames/api/names/", "/placenames/api/applications/", "/placenames/api/search/?q=解放",
    "/boundaries/api/lines/"])
def test_every_other_endpoint_refuses_it(client, registry, path):
    road, installed, _planned, open_, *_ = registry
    auth = token_for(("canteens", "doorplates", "roads", "places"))
    url = path.format(canteen=open_.uuid, plate=installed.uuid, road=road.uuid)

    response = client.get(url, **auth)

    assert response.status_code == 403, (url, response.status_code)
    if "applications" not in url:  # applications are for officers and reviewers: refused for the role already
        assert response.json()["error"]["code"] == "platform_not_allowed"


def test_ogc_items_carry_the_public_layer_only(client, registry):
    auth = token_for(("canteens",))
    body = client.get("/ogc/collections/canteens/items?f=json", **auth).json()
    names = {f["properties"]["name"] for f in body["features"]}
    assert "规划食堂" not in names and "东山食堂" in names
    assert PHONE not in str(body) and OPERATOR not in str(body)
