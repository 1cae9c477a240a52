"""Private properties go only to the roles allowed, only in their regions, and are never cached under the public
key; restricted layers do not exist for anyone else."""

import pytest

from boundaries.models import AdminArea
from tests.base import lucheng_officer, taishun_field_crew
from tests.tiles.builders import add_points, decode, point_layer, temporary_layer, tile_at, url
from tiles.models import CachedTile

pytestmark = pytest.mark.django_db
LUCHENG = (120.6551, 28.0152)


@pytest.fixture
def phones(wenzhou_counties, test_points):
    with temporary_layer(point_layer()):
        add_points([("鹿城点", *LUCHENG)], phone="13800000001", area=AdminArea.objects.get(code="330302"))
        # A point just beside it that belongs to 瑞安市 (by its area, not by where it lies).
        add_points([("瑞安点", LUCHENG[0] + 0.0005, LUCHENG[1])], phone="13800000002",
                   area=AdminArea.objects.get(code="330381"))
        yield url("testpoints", *tile_at(*LUCHENG, 16))


def phones_in(response) -> dict:
    return {f["properties"]["name"]: f["properties"].get("phone") for f in decode(response)["testpoints"]}


def test_an_anonymous_tile_has_no_phone_numbers(client, phones):
    response = client.get(phones)

    assert phones_in(response) == {"鹿城点": None, "瑞安点": None}
    assert b"13800000001" not in response.content and b"13800000002" not in response.content


def test_an_officer_sees_the_phone_numbers_of_their_own_county_only(client, phones):
    client.force_login(lucheng_officer())

    response = client.get(phones)

    assert phones_in(response) == {"鹿城点": "13800000001", "瑞安点": None}
    assert response["Cache-Control"] == "private, no-cache"


def test_the_officers_tile_is_cached_under_its_own_key_and_the_public_tile_stays_clean(client, phones):
    client.force_login(lucheng_officer())
    client.get(phones)
    client.logout()

    public = client.get(phones)

    assert phones_in(public) == {"鹿城点": None, "瑞安点": None}
    assert b"138000" not in public.content
    variants = list(CachedTile.objects.values_list("variant", flat=True))
    assert len(variants) == 2 and "public" in variants
    officer_tile = CachedTile.objects.exclude(variant="public").get()
    assert b"13800000001" in bytes(officer_tile.data)
    assert b"138000" not in bytes(CachedTile.objects.get(variant="public").data)


def test_a_role_without_the_right_gets_the_public_tile(client, phones):
    anonymous = client.get(phones)
    client.force_login(taishun_field_crew())

    crew = client.get(phones)

    assert crew["ETag"] == anonymous["ETag"]
    assert crew["X-Tile-Cache"] == "hit"


def test_a_restricted_layer_does_not_exist_for_the_public(client, wenzhou_counties, test_points):
    with temporary_layer(point_layer("officepoints", roles=("officer",))):
        add_points([("内部点", *LUCHENG)], area=AdminArea.objects.get(code="330302"))
        address = tile_at(*LUCHENG, 16)

        assert client.get(url("officepoints", *address)).status_code == 404
        assert client.get(url("counties,officepoints", *address)).status_code == 404
        assert client.get("/tiles/officepoints.json").status_code == 404
        assert "officepoints" not in client.get("/tiles/style.json").content.decode()

        client.force_login(lucheng_officer())
        assert {f["properties"]["name"] for f in decode(client.get(url("officepoints", *address)))["officepoints"]} \
            == {"内部点"}


def test_the_published_canteen_layer_keeps_operator_phones_out_of_public_tiles(client, wenzhou_counties):
    from gis import layers

    canteens = layers.get("canteens")
    if canteens is None:
        pytest.skip("the canteens layer is not registered")
    assert set(canteens.private_properties) & {"operator_phone"}
    response = client.get(url("canteens", 0, 0, 0))
    for feature in decode(response).get("canteens", []):
        assert not set(feature["properties"]) & set(canteens.private_properties)


def test_a_gis_tool_with_an_officers_api_token_gets_the_officers_tile_and_a_bad_token_is_refused(client, phones):
    from accounts.models import ApiToken

    _token, raw = ApiToken.issue(lucheng_officer(), "QGIS")

    with_token = client.get(phones, HTTP_AUTHORIZATION=f"Bearer {raw}")
    bad = client.get(phones, HTTP_AUTHORIZATION="Bearer dm_not_a_token")

    assert phones_in(with_token) == {"鹿城点": "13800000001", "瑞安点": None}
    assert bad.status_code == 401
