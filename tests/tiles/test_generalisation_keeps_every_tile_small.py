"""Zoom-dependent generalisation: thinned or clustered points and simplified lines below the detail zoom, a
per-layer feature cap, and no tile over 500 KB even where points are packed far denser than any city's doorplates."""

import pytest
from django.contrib.gis.geos import LineString

from tests.tiles.builders import (
    SampleLine,
    body_of,
    create_lines_table,
    decode,
    line_layer,
    point_layer,
    scatter_points,
    temporary_layer,
    tile_at,
    url,
)

pytestmark = pytest.mark.django_db
CENTRE = (120.655, 28.015)
LIMIT = 500 * 1024


@pytest.fixture
def dense_points(test_points):
    # 40 000 plates on 1.1 km x 1.1 km: about ten times the density of a real city centre.
    scatter_points(40_000, CENTRE[0] - 0.005, CENTRE[1] - 0.005, 0.01)


def test_no_tile_from_zoom_10_to_17_exceeds_500_kb(client, dense_points):
    with temporary_layer(point_layer()):
        for z in range(10, 18):
            body = body_of(client.get(url("testpoints", *tile_at(*CENTRE, z))))
            assert len(body) < LIMIT, f"zoom {z}: {len(body)} bytes"


def test_points_are_thinned_below_the_detail_zoom_and_all_drawn_from_it(client, dense_points):
    with temporary_layer(point_layer(extra={"tiles": {"detail_zoom": 17, "cell_px": 4, "max_features": 50_000}})):
        at_14 = decode(client.get(url("testpoints", *tile_at(*CENTRE, 14))))["testpoints"]
        # At zoom 17 a tile is 300 m wide: every point in it is drawn.
        z, x, y = tile_at(*CENTRE, 17)
        at_17 = decode(client.get(url("testpoints", z, x, y)))["testpoints"]

        assert len(at_14) <= (256 // 4) ** 2
        assert 100 < len(at_14) < 40_000
        cells = {(int(f["geometry"]["coordinates"][0] // 64), int(f["geometry"]["coordinates"][1] // 64))
                 for f in at_14}
        # One point per 4-pixel cell (a point on a cell's edge may round into its neighbour).
        assert len(cells) >= 0.95 * len(at_14)
        assert {f["id"] for f in at_17} >= _ids_in_tile(z, x, y)


def test_clustered_points_count_every_point_of_the_tile(client, dense_points):
    with temporary_layer(point_layer(extra={"tiles": {"points": "cluster", "detail_zoom": 16}})):
        z, x, y = tile_at(*CENTRE, 13)
        clusters = decode(client.get(url("testpoints", z, x, y)))["testpoints"]

        assert sum(f["properties"]["point_count"] for f in clusters) == _points_in_tile(z, x, y, margin=True)
        assert all(set(f["properties"]) == {"point_count"} for f in clusters)


def test_the_feature_cap_limits_a_layer_per_tile(client, dense_points):
    with temporary_layer(point_layer(extra={"tiles": {"points": None, "max_features": 1234}})):
        features = decode(client.get(url("testpoints", *tile_at(*CENTRE, 12))))["testpoints"]

        assert len(features) == 1234


def test_a_wiggly_road_is_simplified_at_low_zoom_and_kept_at_high_zoom(client, db):
    create_lines_table()
    # 2 km with a half-metre zigzag every 2 m: a fifth of a pixel at zoom 12, real detail at zoom 18.
    coords = [(CENTRE[0] + i * 0.00002, CENTRE[1] + (0.000005 if i % 2 else 0)) for i in range(1000)]
    SampleLine.objects.create(name="曲折路", geom=LineString(coords, srid=4490))
    with temporary_layer(line_layer()):
        low = decode(client.get(url("testlines", *tile_at(*CENTRE, 12))))["testlines"][0]
        high = decode(client.get(url("testlines", *tile_at(CENTRE[0] + 0.0001, CENTRE[1], 18))))["testlines"][0]

        assert len(_vertices(low["geometry"])) < 20
        assert len(_vertices(high["geometry"])) > 30
        assert low["properties"] == {"name": "曲折路"}


def _vertices(geometry):
    coords = geometry["coordinates"]
    return coords if geometry["type"] == "LineString" else [c for part in coords for c in part]


def _points_in_tile(z, x, y, margin=False):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tiles_test_point WHERE geom_3857 && ST_TileEnvelope(%s, %s, %s, margin => %s)"
                       " AND NOT ST_Touches(geom_3857, ST_Boundary(ST_TileEnvelope(%s, %s, %s)))",
                       [z, x, y, 64 / 4096 if margin else 0.0, z, x, y])
        return cursor.fetchone()[0]


def _ids_in_tile(z, x, y):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM tiles_test_point WHERE geom_3857 && ST_TileEnvelope(%s, %s, %s)", [z, x, y])
        return {row[0] for row in cursor.fetchall()}
