import pytest
from rest_framework.test import APIClient

from audit.models import Action, Change
from canteens.models import Canteen, CanteenStatus
from tests.base import administrator, city_reviewer, lucheng_officer, platform_consumer, ruian_officer
from tests.canteens.builders import V11, V31, lonlat, metres_of

API = "/canteens/api/canteens/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def feature(x, y, **properties):
    lon, lat = lonlat(x, y)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"name": "新建老年食堂", "kind": "canteen", **properties}}


def test_the_list_is_geojson_scoped_to_the_users_region(canteens):
    body = client_for(ruian_officer()).get(API).json()

    assert body["type"] == "FeatureCollection"
    assert {f["properties"]["area_code"][:6] for f in body["features"]} == {"330381"}
    assert body["count"] == 4
    lon, lat = body["features"][0]["geometry"]["coordinates"]
    assert 120 < lon < 121 and 27 < lat < 29


def test_the_operator_phone_is_shown_only_to_officers_and_reviewers(canteens):
    Canteen.objects.update(operator_phone="0577-88888888")

    officer = client_for(lucheng_officer()).get(API).json()["features"][0]["properties"]
    platform = client_for(platform_consumer()).get(API).json()["features"][0]["properties"]

    assert officer["operator_phone"] == "0577-88888888"
    assert "operator_phone" not in platform


def test_an_officer_registers_a_canteen_in_their_region_and_it_is_audited(canteens):
    officer = lucheng_officer()

    response = client_for(officer).post(API, feature(100, 100, delivers=True, delivery_radius_m=2000), format="json")

    assert response.status_code == 201, response.content
    canteen = Canteen.objects.get(uuid=response.json()["id"])
    assert canteen.area.code == V11  # derived from the location: the village polygon containing it
    assert canteen.status == CanteenStatus.PLANNED
    x, y = metres_of(canteen.geom)
    assert abs(x - 100) < 0.01 and abs(y - 100) < 0.01
    change = Change.objects.for_object(canteen).get()
    assert (change.action, change.actor, change.area_code12) == (Action.CREATE, officer, V11)


def test_an_officer_cannot_register_a_canteen_in_another_county(canteens):
    response = client_for(lucheng_officer()).post(API, feature(20000, 0), format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "outside_region"
    assert not Canteen.objects.filter(area__code=V31, name="新建老年食堂").exists()


def test_a_reviewer_reads_but_does_not_write(canteens):
    client = client_for(city_reviewer())

    assert client.get(API).status_code == 200
    assert client.post(API, feature(100, 100), format="json").status_code == 403


def test_delivery_needs_a_radius(canteens):
    response = client_for(lucheng_officer()).post(API, feature(100, 100, delivers=True), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["where"]["field"] == "delivery_radius_m"


def test_an_edit_records_before_and_after_and_guards_against_stale_versions(canteens):
    officer, c1 = lucheng_officer(), canteens["C1"]
    client = client_for(officer)

    ok = client.patch(f"{API}{c1.uuid}/", {"properties": {"seats": 60, "version": 1}}, format="json")
    stale = client.patch(f"{API}{c1.uuid}/", {"properties": {"seats": 70, "version": 1}}, format="json")

    assert ok.status_code == 200, ok.content
    assert stale.status_code == 409
    c1.refresh_from_db()
    assert (c1.seats, c1.version) == (60, 2)
    change = Change.objects.for_object(c1).get()
    assert change.before["seats"] is None and change.after["seats"] == 60


def test_status_follows_the_allowed_transitions(canteens):
    client = client_for(ruian_officer())
    planned, closed = canteens["C6"], canteens["C8"]

    opened = client.post(f"{API}{planned.uuid}/status/", {"status": "open", "reason": "验收通过", "version": 1},
                         format="json")
    reopened = client.post(f"{API}{closed.uuid}/status/", {"status": "open", "version": 1}, format="json")

    assert opened.status_code == 200 and opened.json()["properties"]["status"] == "open"
    assert opened.json()["properties"]["opened_on"] is not None
    assert reopened.status_code == 409 and reopened.json()["error"]["code"] == "illegal_transition"
    history = client.get(f"{API}{planned.uuid}/history/").json()
    assert [(h["action"], h["reason"], h["changed"]) for h in history] == \
        [("transition", "验收通过", ["opened_on", "status", "updated_at", "version"])]


def test_status_cannot_be_changed_by_an_edit(canteens):
    response = client_for(lucheng_officer()).patch(f"{API}{canteens['C1'].uuid}/",
                                                   {"properties": {"status": "closed"}}, format="json")

    assert response.status_code == 400


def test_only_a_planned_canteen_can_be_deleted(canteens):
    client = client_for(ruian_officer())

    assert client.delete(f"{API}{canteens['C8'].uuid}/", HTTP_IF_MATCH='"1"').status_code == 409
    assert client.delete(f"{API}{canteens['C6'].uuid}/", HTTP_IF_MATCH='"1"').status_code == 204
    assert Change.objects.filter(action=Action.DELETE, object_repr="北垟村老年食堂").count() == 1


@pytest.mark.parametrize("path", ["coverage/", "uncovered/", "siting/?n=2"])
def test_the_coverage_endpoints_are_scoped(canteens, path):
    body = client_for(ruian_officer()).get(f"/canteens/api/{path}").json()

    text = str(body)
    assert "瑞安市" in text or "330381" in text
    assert "鹿城区" not in text and "330302" not in text


def test_the_coverage_endpoint_gives_the_rates(canteens):
    body = client_for(administrator()).get("/canteens/api/coverage/").json()

    assert body["total"]["villages"] == 7 and body["total"]["covered_villages"] == 3
    assert body["total"]["rate_by_population"] == round(1500 / 3100, 4)
    assert body["counties_meeting_target"] == 1
    assert [v["code"] for v in body["uncovered"]][:1] == ["330302001102"]


def test_siting_takes_candidate_points_with_their_crs(canteens):
    p1, p2 = lonlat(20600, 0), lonlat(21800, 300)
    response = client_for(administrator()).post("/canteens/api/siting/",
                                                {"n": 1, "points": [list(p1), list(p2)], "crs": "EPSG:4490"},
                                                format="json")

    assert response.status_code == 200, response.content
    assert response.json()["suggestions"][0]["key"] == "P2"
    assert response.json()["suggestions"][0]["added_elderly"] == 700


def test_anonymous_users_get_nothing(canteens):
    assert APIClient().get(API).status_code in (401, 403)


def test_a_location_outside_the_service_area_is_refused_with_where(canteens):
    body = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [116.39, 39.91]},
            "properties": {"name": "北京某食堂", "kind": "canteen"}}

    response = client_for(lucheng_officer()).post(API, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "outside_service_area"
    assert response.json()["error"]["where"]["field"] == "geom"
