"""An area of a labelled layer comes with one label point, in the one tile that holds it: a map that labelled the
area's polygon labelled it once per tile it crosses (a village's name three times on a phone)."""

import pytest
from django.contrib.gis.geos import Polygon

from boundaries.models import AdminArea
from tests.placenames.builders import ensure_seed_data, place, point_in
from tests.tiles.builders import decode, tile_at, to_tile_coords, url

pytestmark = pytest.mark.django_db

EXTENT = 4096


def tiles_over(geom, z):
    """Every tile of zoom ``z`` that the area's bounding box touches."""
    minx, miny, maxx, maxy = geom.extent
    _, x0, y0 = tile_at(minx, maxy, z)
    _, x1, y1 = tile_at(maxx, miny, z)
    return [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def anchors(client, layer, key, value, tiles):
    """Where each tile labels the feature whose ``key`` is ``value``: its label points inside the tile proper (a point
    in a tile's buffer is drawn by its neighbour; MapLibre drops anchors outside the tile), and the tiles with its
    polygon."""
    points, polygons = [], []
    for z, x, y in tiles:
        for f in decode(client.get(url(layer, z, x, y))).get(layer, []):
            if f["properties"].get(key) != value:
                continue
            if f["properties"].get("label_point"):
                px, py = f["geometry"]["coordinates"]
                if 0 <= px < EXTENT and 0 <= py < EXTENT:
                    points.append(((z, x, y), (px, py)))
            else:
                polygons.append((z, x, y))
    return points, polygons


def test_a_county_across_many_tiles_has_one_label_point_on_its_surface(client, wenzhou_counties):
    county = AdminArea.objects.get(code="330302")
    points, polygons = anchors(client, "counties", "code", "330302", tiles_over(county.geom, 12))

    assert len(polygons) > 1  # the polygon crosses tiles
    assert len(points) == 1
    (z, x, y), (px, py) = points[0]
    surface = county.geom.transform(3857, clone=True).point_on_surface
    sx, sy = to_tile_coords(surface.x, surface.y, z, x, y)
    assert abs(px - sx) <= 1 and abs(py - sy) <= 1
    assert county.geom.contains(surface.transform(4490, clone=True))


def test_a_village_place_is_labelled_once_and_a_point_place_has_no_label_point(client, wenzhou_counties):
    ensure_seed_data()
    seat = point_in("330302")
    square = Polygon.from_bbox((seat.x - 0.01, seat.y - 0.01, seat.x + 0.01, seat.y + 0.01))
    square.srid = 4490
    village = place("下垟村", kind="village", geom=square)
    place("东山桥", kind="bridge", geom=seat)

    points, polygons = anchors(client, "places", "name", "下垟村", tiles_over(village.geom, 15))
    assert len(polygons) > 1 and len(points) == 1

    z, x, y = tile_at(seat.x, seat.y, 15)
    bridge = [f for f in decode(client.get(url("places", z, x, y)))["places"] if f["properties"]["name"] == "东山桥"]
    assert [f["geometry"]["type"] for f in bridge] == ["Point"]
    assert "label_point" not in bridge[0]["properties"]


def test_the_style_labels_areas_at_their_label_points_and_draws_no_circle_there(client):
    layers = {layer["id"]: layer for layer in client.get("/tiles/style.json").json()["layers"]}

    for name in ("counties", "townships", "villages", "places"):
        assert layers[f"{name}-label"]["filter"] == ["!=", ["geometry-type"], "Polygon"]
    assert layers["roads-label"].get("filter") is None  # a line is labelled along itself
    assert ["!", ["has", "label_point"]] in layers["places-point"]["filter"]
