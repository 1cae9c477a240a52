"""GET /tiles/{layer}/{z}/{x}/{y}.mvt: decoded with mapbox-vector-tile and checked against the database."""

import pytest
from django.db import connection

from boundaries.models import AdminArea
from tests.base import LUCHENG_POINT, RUIAN_POINT
from tests.tiles.builders import (
    add_points,
    decode,
    point_layer,
    temporary_layer,
    tile_at,
    to_tile_coords,
    url,
)

pytestmark = pytest.mark.django_db


def test_the_world_tile_of_counties_has_the_twelve_counties_with_their_codes_and_names(client, wenzhou_counties):
    response = client.get(url("counties", 0, 0, 0))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    features = decode(response)["counties"]
    expected = dict(AdminArea.objects.filter(level="county").values_list("code", "name"))
    assert {f["properties"]["code"]: f["properties"]["name"] for f in features} == expected
    assert {f["properties"]["level"] for f in features} == {"county"}


def test_a_county_polygon_lies_where_the_database_puts_it(client, wenzhou_counties):
    z, x, y = tile_at(*LUCHENG_POINT, 12)

    features = decode(client.get(url("counties", z, x, y)))["counties"]

    lucheng = next(f for f in features if f["properties"]["code"] == "330302")
    assert lucheng["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    # SELECT ST_X(ST_Transform(ST_PointOnSurface(geom), 3857)) ... for the seat of 鹿城区: it is inside the polygon
    seat = AdminArea.objects.get(code="330302").geom.point_on_surface.transform(3857, clone=True)
    px, py = to_tile_coords(seat.x, seat.y, z, x, y)
    from shapely.geometry import Point, shape

    if 0 <= px <= 4096 and 0 <= py <= 4096:
        assert shape(lucheng["geometry"]).buffer(2).contains(Point(px, py))


def test_villages_appear_from_their_minimum_zoom_and_not_before(client, wenzhou):
    z, x, y = tile_at(*RUIAN_POINT, 11)
    at_11 = decode(client.get(url("villages", z, x, y)))
    z10, x10, y10 = tile_at(*RUIAN_POINT, 10)
    at_10 = decode(client.get(url("villages", z10, x10, y10)))

    assert at_11["villages"], "villages are published from zoom 11"
    assert "villages" not in at_10
    codes = {f["properties"]["code"] for f in at_11["villages"]}
    assert AdminArea.objects.filter(code__in=codes, level="village").count() == len(codes)


def test_point_coordinates_match_the_database_to_the_tile_grid(client, test_points):
    with temporary_layer(point_layer()):
        add_points([("甲", 120.6551, 28.0152), ("乙", 120.6563, 28.0145)], kind="门牌")
        z, x, y = tile_at(120.6551, 28.0152, 16)

        features = decode(client.get(url("testpoints", z, x, y)))["testpoints"]

        with connection.cursor() as cursor:
            cursor.execute("SELECT id, name, ST_X(geom_3857), ST_Y(geom_3857) FROM tiles_test_point")
            rows = {row[0]: row[1:] for row in cursor.fetchall()}
        assert len(features) == 2
        for feature in features:
            name, mx, my = rows[feature["id"]]
            assert feature["properties"] == {"name": name, "kind": "门牌"}
            px, py = to_tile_coords(mx, my, z, x, y)
            fx, fy = feature["geometry"]["coordinates"]
            assert abs(fx - px) <= 1 and abs(fy - py) <= 1
