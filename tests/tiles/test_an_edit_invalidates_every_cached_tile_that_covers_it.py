"""The cache is never stale: triggers on each layer table delete, in the editing transaction, every cached tile
covering a changed row's old or new geometry, at every zoom; tiles elsewhere stay cached."""

import pytest
from django.contrib.gis.geos import Point

from boundaries.models import AdminArea
from tests.base import LUCHENG_POINT, TAISHUN_POINT
from tests.tiles.builders import (
    SamplePoint,
    add_points,
    decode,
    install_tile_triggers,
    point_layer,
    temporary_layer,
    tile_at,
    url,
)
from tiles.models import CachedTile

pytestmark = pytest.mark.django_db
ZOOMS = range(0, 23)


def names_in(client, layer, z, x, y):
    response = client.get(url(layer, z, x, y))
    return response, {f["properties"]["name"] for f in decode(response).get(layer, [])}


def test_renaming_a_county_changes_its_cached_tile_at_every_zoom(client, wenzhou_counties):
    addresses = [tile_at(*LUCHENG_POINT, z) for z in ZOOMS]
    for z, x, y in addresses:
        response, names = names_in(client, "counties", z, x, y)
        assert "鹿城区" in names and response["X-Tile-Cache"] == "miss"
    assert CachedTile.objects.count() == len(addresses)

    AdminArea.objects.filter(code="330302").update(name="鹿城新区")

    for z, x, y in addresses:
        response, names = names_in(client, "counties", z, x, y)
        assert response["X-Tile-Cache"] == "miss", f"zoom {z} was served stale from the cache"
        assert "鹿城新区" in names and "鹿城区" not in names


def test_a_tile_far_from_the_edit_stays_cached(client, wenzhou_counties):
    far = tile_at(*TAISHUN_POINT, 12)
    client.get(url("counties", *far))

    AdminArea.objects.filter(code="330302").update(name="鹿城新区")

    assert client.get(url("counties", *far))["X-Tile-Cache"] == "hit"


def test_moving_a_point_clears_the_tiles_of_its_old_and_its_new_place(client, test_points):
    with temporary_layer(point_layer()):
        install_tile_triggers()
        add_points([("迁移点", 120.6551, 28.0152)])
        old = [tile_at(120.6551, 28.0152, z) for z in ZOOMS]
        new = [tile_at(120.6951, 28.0352, z) for z in ZOOMS]
        for address in old + new:
            client.get(url("testpoints", *address))

        SamplePoint.objects.filter(name="迁移点").update(geom=Point(120.6951, 28.0352, srid=4490))

        for z in ZOOMS:
            _, at_new = names_in(client, "testpoints", *new[z])
            assert "迁移点" in at_new, f"zoom {z}: the point is missing from its new place"
            if old[z] != new[z]:
                _, at_old = names_in(client, "testpoints", *old[z])
                assert "迁移点" not in at_old, f"zoom {z}: the point is still drawn at its old place"


def test_deleting_and_bulk_loading_points_clear_the_covering_tiles(client, test_points):
    with temporary_layer(point_layer()):
        install_tile_triggers()
        add_points([("旧点", 120.6551, 28.0152)])
        address = tile_at(120.6551, 28.0152, 16)
        assert names_in(client, "testpoints", *address)[1] == {"旧点"}

        SamplePoint.objects.filter(name="旧点").delete()
        assert names_in(client, "testpoints", *address)[1] == set()

        add_points([(f"新点{i}", 120.6551 + i * 1e-5, 28.0152) for i in range(50)])
        assert len(names_in(client, "testpoints", *address)[1]) == 50


def test_an_edit_in_a_rolled_back_transaction_leaves_the_cache_correct(client, wenzhou_counties):
    from django.db import transaction

    z, x, y = tile_at(*LUCHENG_POINT, 10)
    client.get(url("counties", z, x, y))
    with pytest.raises(RuntimeError), transaction.atomic():
        AdminArea.objects.filter(code="330302").update(name="回滚区")
        raise RuntimeError

    _, names = names_in(client, "counties", z, x, y)
    assert "鹿城区" in names and "回滚区" not in names


def test_a_changed_layer_definition_is_not_served_from_tiles_cached_under_the_old_one(client, test_points):
    add_points([("甲", 120.6551, 28.0152)], kind="门牌")
    address = tile_at(120.6551, 28.0152, 16)
    with temporary_layer(point_layer(properties=("name",))):
        before = decode(client.get(url("testpoints", *address)))["testpoints"][0]["properties"]
    with temporary_layer(point_layer(properties=("name", "kind"))):
        after = client.get(url("testpoints", *address))

    assert before == {"name": "甲"}
    assert after["X-Tile-Cache"] == "miss"
    assert decode(after)["testpoints"][0]["properties"] == {"name": "甲", "kind": "门牌"}
