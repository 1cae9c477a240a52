"""A plate belongs to a road of the user's region that it stands by. An officer of 鹿城区 cannot put a plate on a road
of 瑞安市 24.8 km away, neither when creating it nor by a PATCH; the refusal for a road they cannot see is the same
as for a road that does not exist."""

import uuid

import pytest
from rest_framework.test import APIClient

from doorplates import services
from doorplates.models import Doorplate
from gis.errors import InputError, NotFound
from tests.base import lucheng_officer
from tests.doorplates.builders import make_plate, make_road, point_at

pytestmark = pytest.mark.django_db
API = "/doorplates/api/plates/"


@pytest.fixture
def roads(wenzhou_counties):
    lucheng = make_road("解放街")
    ruian = make_road("人民路", [(120.59, 27.80), (120.61, 27.80)], county="330381", kind="road")
    far = make_road("江滨路", [(120.645, 28.030), (120.665, 28.030)])  # 鹿城区, 1.7 km north of 解放街
    return lucheng, ruian, far


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def create(client, road, lonlat):
    return client.post(API, {"road": str(road), "number": "9", "lon": lonlat[0], "lat": lonlat[1]}, format="json")


def test_a_road_of_another_county_is_answered_as_a_road_that_does_not_exist(roads):
    lucheng, ruian, _far = roads
    client = signed_in(lucheng_officer())
    at = point_at(lucheng, 100, 10)

    other = create(client, ruian.pk, (at.x, at.y))
    missing = create(client, uuid.uuid4(), (at.x, at.y))

    assert other.status_code == missing.status_code == 404
    assert other.json()["error"]["code"] == missing.json()["error"]["code"] == "road_not_found"
    assert other.json()["error"]["message"] == missing.json()["error"]["message"]
    assert ruian.name not in other.content.decode()
    assert not Doorplate.objects.exists()


def test_a_road_far_from_the_plate_is_refused_with_the_distance(roads):
    lucheng, _ruian, far = roads
    client = signed_in(lucheng_officer())
    at = point_at(lucheng, 100, 10)

    response = create(client, far.pk, (at.x, at.y))

    assert response.status_code == 400 and response.json()["error"]["code"] == "road_too_far"
    assert 1500 < response.json()["error"]["where"]["distance_m"] < 2000
    assert create(client, lucheng.pk, (at.x, at.y)).status_code == 201


def test_a_patch_cannot_move_a_plate_onto_another_countys_road_or_a_far_one(roads):
    lucheng, ruian, far = roads
    plate = make_plate(lucheng, 8, 100, 10)
    client = signed_in(lucheng_officer())
    url = f"{API}{plate.uuid}/"

    onto_ruian = client.patch(url, {"road": str(ruian.pk), "version": plate.version}, format="json")
    onto_far = client.patch(url, {"road": str(far.pk), "version": plate.version}, format="json")
    away = client.patch(url, {"lon": 120.655, "lat": 28.040, "version": plate.version}, format="json")

    assert onto_ruian.status_code == 404 and onto_ruian.json()["error"]["code"] == "road_not_found"
    assert onto_far.status_code == 400 and away.status_code == 400
    assert Doorplate.objects.get(pk=plate.pk).road_id == lucheng.pk


def test_the_service_checks_it_for_every_caller(roads):
    lucheng, ruian, far = roads
    officer = lucheng_officer()
    with pytest.raises(NotFound):
        services.create_plate(officer, road=ruian, number="9", point=point_at(lucheng, 100, 10))
    with pytest.raises(InputError):
        services.create_plate(officer, road=far, number="9", point=point_at(lucheng, 100, 10))
