"""A canteen's address is, where one is registered, the standard address of the doorplate at its door: linked when
the officer names it (or types an address the registry knows, near the canteen), refused when it is retired or far
away, and followed when the plate's address changes."""

import pytest
from rest_framework.test import APIClient

from canteens.models import Canteen
from doorplates.models import Doorplate, PlateStatus
from tests.base import administrator, lucheng_officer
from tests.canteens.builders import admin_form, at, lonlat
from tests.doorplates.builders import make_plate, make_road

API = "/canteens/api/canteens/"


@pytest.fixture
def plates(canteens):
    road = make_road("望江东路", coords=[lonlat(-800, 60), lonlat(800, 60)], kind="street")
    return {"near": make_plate(road, 88, point=at(110, 90)), "far": make_plate(road, 188, point=at(700, 90)),
            "retired": make_plate(road, 90, point=at(120, 90), status=PlateStatus.RETIRED)}


def officer_client() -> APIClient:
    client = APIClient()
    client.force_authenticate(lucheng_officer())
    return client


def register(client, x=100, y=100, **properties):
    lon, lat = lonlat(x, y)
    return client.post(API, {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                             "properties": {"name": "望江老年食堂", "kind": "canteen", **properties}}, format="json")


def test_an_address_the_registry_knows_near_the_canteen_links_its_doorplate(plates):
    response = register(officer_client(), address="望江东路88号")

    assert response.status_code == 201, response.content
    body = response.json()["properties"]
    assert body["doorplate"] == str(plates["near"].uuid)
    assert body["address"] == plates["near"].address and body["address"].endswith("望江东路88号")


def test_an_address_the_registry_does_not_know_stays_as_typed_with_no_link(plates):
    response = register(officer_client(), address="望江东路888号（临时）")

    assert response.status_code == 201
    assert response.json()["properties"]["doorplate"] is None
    assert response.json()["properties"]["address"] == "望江东路888号（临时）"


def test_a_plate_named_explicitly_must_be_near_and_current(plates):
    client = officer_client()

    far = register(client, doorplate=str(plates["far"].uuid))
    retired = register(client, doorplate=str(plates["retired"].uuid))
    near = register(client, doorplate=str(plates["near"].uuid))

    assert far.status_code == 400 and far.json()["error"]["code"] == "doorplate_too_far"
    assert far.json()["error"]["where"]["field"] == "doorplate"
    assert retired.status_code == 400 and retired.json()["error"]["code"] == "retired_doorplate"
    assert near.status_code == 201 and near.json()["properties"]["address"] == plates["near"].address
    assert Canteen.objects.filter(name="望江老年食堂").count() == 1


def test_moving_a_linked_canteen_away_from_its_plate_is_refused(plates):
    client = officer_client()
    created = register(client, doorplate=str(plates["near"].uuid)).json()
    lon, lat = lonlat(1500, 1500)

    moved = client.patch(f"{API}{created['id']}/", {"type": "Feature", "geometry": {
        "type": "Point", "coordinates": [lon, lat]}, "properties": {"version": 1}}, format="json")

    assert moved.status_code == 400 and moved.json()["error"]["code"] == "doorplate_too_far"


def test_when_the_plates_address_changes_the_canteens_address_follows(plates):
    created = register(officer_client(), doorplate=str(plates["near"].uuid)).json()
    canteen = Canteen.objects.get(uuid=created["id"])

    Doorplate.objects.filter(pk=plates["near"].pk).update(address="浙江省温州市鹿城区五马街道望江路88号")

    canteen.refresh_from_db()
    assert canteen.address == "浙江省温州市鹿城区五马街道望江路88号"
    assert canteen.version == created["properties"]["version"] + 1  # an edit form opened before is refused


def test_the_admin_links_by_raw_id_takes_the_plates_address_and_refuses_a_far_plate(client, canteens, plates):
    c1 = canteens["C1"]  # at (900, 0): plate 88 at (110, 90) is about 800 m away
    at_door = make_plate(plates["near"].road, 92, point=at(905, 20))
    client.force_login(administrator())
    page = client.get(f"/admin/canteens/canteen/{c1.pk}/change/").content.decode()
    assert 'name="doorplate"' in page and "vForeignKeyRawIdAdminField" in page  # no drop-down of a million plates

    far = client.post(f"/admin/canteens/canteen/{c1.pk}/change/", admin_form(c1, doorplate=str(plates["near"].uuid)))
    near = client.post(f"/admin/canteens/canteen/{c1.pk}/change/", admin_form(c1, doorplate=str(at_door.uuid)))

    assert far.status_code == 200 and "超过 300 米" in far.content.decode()
    assert near.status_code == 302
    c1.refresh_from_db()
    assert (c1.doorplate_id, c1.address) == (at_door.uuid, at_door.address)
