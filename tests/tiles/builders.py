"""Builders for tile tests: tile addresses, decoding, temporary layers and a test-only point table.

The point table is model-free as far as the product goes: ``SamplePoint`` is an unmanaged model declared here, its
table is created by the ``test_points`` fixture inside the test's transaction, and layers over it are registered
only for the test that needs them.
"""

from __future__ import annotations

import contextlib
import gzip
import math

import mapbox_vector_tile
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Transform
from django.db import connection

from gis import layers as registry
from gis.layers import Layer
from tiles.services import install_triggers

WORLD_M = 40075016.68557849


def tile_at(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def url(layers: str, z: int, x: int, y: int) -> str:
    return f"/tiles/{layers}/{z}/{x}/{y}.mvt"


def body_of(response) -> bytes:
    raw = response.content
    return gzip.decompress(raw) if response.get("Content-Encoding") == "gzip" else raw


def decode(response_or_bytes) -> dict:
    """The decoded tile: {layer: [features]}, y pointing down from the tile's top-left corner."""
    data = response_or_bytes if isinstance(response_or_bytes, bytes) else body_of(response_or_bytes)
    tile = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})
    return {name: layer["features"] for name, layer in tile.items()}


def to_tile_coords(x_3857: float, y_3857: float, z: int, x: int, y: int, extent: int = 4096) -> tuple[float, float]:
    size = WORLD_M / 2 ** z
    minx = -WORLD_M / 2 + x * size
    maxy = WORLD_M / 2 - y * size
    return (x_3857 - minx) / size * extent, (maxy - y_3857) / size * extent


@contextlib.contextmanager
def temporary_layer(layer: Layer):
    registry.discover()
    registry.register(layer)
    try:
        yield layer
    finally:
        registry._LAYERS.pop(layer.name, None)


class SamplePoint(models.Model):
    """A point with a name, a public property, a personal one and an admin area: any point layer's shape."""

    name = models.CharField(max_length=50)
    kind = models.CharField(max_length=20, default="")
    phone = models.CharField(max_length=20, default="")  # personal data
    area = models.ForeignKey("boundaries.AdminArea", on_delete=models.DO_NOTHING, null=True, db_constraint=False)
    geom = models.PointField(srid=4490)
    geom_3857 = models.GeneratedField(expression=Transform("geom", 3857), output_field=models.PointField(srid=3857),
                                      db_persist=True)

    class Meta:
        app_label = "tiles"
        managed = False
        db_table = "tiles_test_point"


POINTS_TABLE = """
CREATE TABLE IF NOT EXISTS tiles_test_point (
  id bigserial PRIMARY KEY,
  name varchar(50) NOT NULL,
  kind varchar(20) NOT NULL DEFAULT '',
  phone varchar(20) NOT NULL DEFAULT '',
  area_id bigint NULL,
  geom geometry(Point, 4490) NOT NULL,
  geom_3857 geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED
);
CREATE INDEX IF NOT EXISTS tiles_test_point_gist ON tiles_test_point USING gist (geom_3857);
"""


def point_layer(name: str = "testpoints", **changes) -> Layer:
    options = dict(
        name=name, title="测试点", model="tiles.SamplePoint", geometry_type="Point", id_field="pk",
        properties=("name", "kind"), private_properties=("phone",), private_roles=("officer",),
        region_path="area", label_field="name", minzoom=0, maxzoom=22,
    )
    options.update(changes)
    return Layer(**options)


def create_points_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(POINTS_TABLE)


def add_points(rows: list[tuple[str, float, float]], *, kind: str = "", phone: str = "", area=None) -> None:
    """Inserts (name, lon, lat) rows in one statement, as a bulk load would."""
    from django.contrib.gis.geos import Point

    SamplePoint.objects.bulk_create([
        SamplePoint(name=name, kind=kind, phone=phone, area=area, geom=Point(lon, lat, srid=4490))
        for name, lon, lat in rows
    ], batch_size=5000)


def install_tile_triggers():
    return install_triggers(verbosity=0)


class SampleLine(models.Model):
    name = models.CharField(max_length=50)
    geom = models.LineStringField(srid=4490)
    geom_3857 = models.GeneratedField(expression=Transform("geom", 3857),
                                      output_field=models.LineStringField(srid=3857), db_persist=True)

    class Meta:
        app_label = "tiles"
        managed = False
        db_table = "tiles_test_line"


LINES_TABLE = """
CREATE TABLE IF NOT EXISTS tiles_test_line (
  id bigserial PRIMARY KEY,
  name varchar(50) NOT NULL,
  geom geometry(LineString, 4490) NOT NULL,
  geom_3857 geometry(LineString, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED
);
CREATE INDEX IF NOT EXISTS tiles_test_line_gist ON tiles_test_line USING gist (geom_3857);
"""


def line_layer(name: str = "testlines", **changes) -> Layer:
    options = dict(name=name, title="测试线", model="tiles.SampleLine", geometry_type="LineString", id_field="pk",
                   properties=("name",), region_path=None, label_field="name")
    options.update(changes)
    return Layer(**options)


def create_lines_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(LINES_TABLE)


def scatter_points(count: int, lon: float, lat: float, size_deg: float) -> None:
    """``count`` points spread at random (seeded) over a square of ``size_deg`` from (lon, lat), in one INSERT."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute("""
            INSERT INTO tiles_test_point (name, kind, geom)
            SELECT '门牌' || i, 'plate', ST_SetSRID(ST_MakePoint(%s + random() * %s, %s + random() * %s), 4490)
            FROM generate_series(1, %s) i""", [lon, size_deg, lat, size_deg, count])
