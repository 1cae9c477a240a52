"""Roads and places carry their kind's code and their area's code, read through joins. A change in those joined
tables may show in any tile of the layers that join them, wherever the joined row lies, so it drops all of those
tiles (in the editing transaction, as for the layer's own rows); tiles of layers that do not join it stay, and so do
all tiles when the change touches no column a layer reads through the join (an area's outline, a kind's name)."""

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.db.models import Case, F, Value, When

from boundaries.models import AdminArea
from placenames.models import PlaceKind
from tests.placenames.builders import place
from tests.tiles.builders import decode, tile_at, url
from tiles.models import CachedTile

pytestmark = pytest.mark.django_db


@pytest.fixture
def road_tile(client, wenzhou_counties):
    road = place("介放路", county="330302")
    lon, lat = road.geom.interpolate_normalized(0.5).coords
    address = url("roads", *tile_at(lon, lat, 15))
    first = client.get(address)
    assert first["X-Tile-Cache"] == "miss"
    assert client.get(address)["X-Tile-Cache"] == "hit"
    return address


def roads_in(response) -> dict:
    return {f["properties"]["name"]: f["properties"] for f in decode(response).get("roads", [])}


def test_a_new_code_for_the_roads_county_reaches_its_cached_road_tile(client, road_tile):
    AdminArea.objects.filter(code="330302").update(code="330399")

    response = client.get(road_tile)

    assert response["X-Tile-Cache"] == "miss"
    assert roads_in(response)["介放路"]["area_code"] == "330399"


def test_a_kind_that_stops_being_a_road_kind_takes_its_roads_off_the_cached_road_tiles(client, road_tile):
    PlaceKind.objects.filter(code="road").update(code="former_road")

    response = client.get(road_tile)

    assert response["X-Tile-Cache"] == "miss"
    assert "介放路" not in roads_in(response)


def test_a_kind_change_keeps_the_tiles_of_layers_that_do_not_join_kinds(client, road_tile):
    county_tile = url("counties", *tile_at(120.6551, 28.0152, 9))
    client.get(county_tile)

    PlaceKind.objects.filter(code="lane").update(code="alley")

    assert client.get(county_tile)["X-Tile-Cache"] == "hit"
    assert not CachedTile.objects.filter(layerset__startswith="roads@").exists()


def test_an_edit_of_columns_no_layer_reads_through_the_join_keeps_the_joined_layers_tiles(client, road_tile):
    county_tile = url("counties", *tile_at(120.6551, 28.0152, 9))
    client.get(county_tile)
    area = AdminArea.objects.get(code="330302")

    PlaceKind.objects.filter(code="road").update(name="道路（改）")
    grown = area.geom.buffer(0.001)
    AdminArea.objects.filter(pk=area.pk).update(name="鹿城新区", geom=MultiPolygon(grown, srid=grown.srid))

    assert client.get(road_tile)["X-Tile-Cache"] == "hit"  # roads read only the area's codes and the kind's code
    county = client.get(county_tile)
    assert county["X-Tile-Cache"] == "miss"  # but the county layer draws the area itself
    assert "鹿城新区" in {f["properties"]["name"] for f in decode(county)["counties"]}


def test_a_statement_that_changes_a_read_column_on_one_row_of_many_drops_the_tiles(client, road_tile):
    AdminArea.objects.filter(code__in=["330302", "330303", "330304"]).update(
        code=Case(When(code="330304", then=Value("330399")), default=F("code")))

    assert client.get(road_tile)["X-Tile-Cache"] == "miss"


def test_the_cache_records_the_joined_tables_of_a_road_tile(road_tile):
    tile = CachedTile.objects.get(layerset__startswith="roads@")

    assert tile.sources == ["placenames_place"]
    assert tile.lookups == ["boundaries_adminarea", "placenames_placekind"]
