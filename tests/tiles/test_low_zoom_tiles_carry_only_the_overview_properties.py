"""Below ``properties_from_zoom`` a layer with ``overview_properties`` sends only those (what the style labels and
colours by): city-wide tiles stay small. From that zoom on, every public property is there again."""

import pytest

from tests.tiles.builders import add_points, decode, point_layer, temporary_layer, tile_at, url

pytestmark = pytest.mark.django_db
LUCHENG = (120.6551, 28.0152)
OVERVIEW = {"tiles": {"overview_properties": ("name",), "properties_from_zoom": 14, "points": None}}


@pytest.fixture
def overview_points(test_points):
    with temporary_layer(point_layer(extra=OVERVIEW)):
        add_points([("鹿城点", *LUCHENG)], kind="canteen", phone="13800000001")
        yield


def properties_at(client, z):
    features = decode(client.get(url("testpoints", *tile_at(*LUCHENG, z))))["testpoints"]
    assert len(features) == 1
    return features[0]["properties"]


def test_below_the_zoom_a_point_carries_only_its_name(client, overview_points):
    assert properties_at(client, 13) == {"name": "鹿城点"}


def test_from_the_zoom_on_every_public_property_is_there(client, overview_points):
    assert properties_at(client, 14) == {"name": "鹿城点", "kind": "canteen"}


def test_an_overview_property_that_the_layer_does_not_publish_is_a_configuration_error(test_points):
    from tiles.sql import Generalisation

    with pytest.raises(ValueError, match="phone"):
        Generalisation.of(point_layer(extra={"tiles": {"overview_properties": ("name", "phone")}}))


def test_a_road_carries_name_and_kind_below_zoom_14_and_its_pinyin_and_codes_from_14(client, wenzhou_counties):
    from tests.placenames.builders import place

    road = place("介放路", county="330302")
    lon, lat = road.geom.interpolate_normalized(0.5).coords

    def road_properties(z):
        features = decode(client.get(url("roads", *tile_at(lon, lat, z)))).get("roads", [])
        return [f["properties"] for f in features if f["properties"]["name"] == "介放路"][0]

    assert road_properties(13) == {"name": "介放路", "kind_code": "road"}
    assert road_properties(14) == {"name": "介放路", "kind_code": "road", "pinyin": road.pinyin,
                                   "uuid": str(road.uuid), "area_code": "330302"}
