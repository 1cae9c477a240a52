import json

import pytest
from django.contrib.gis.gdal import DataSource

from exports.services import export_file
from tests.exports.builders import place, read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def names(wenzhou_counties):
    return [place("解放路"), place("信河街", kind="street", shift=3), place("五马大厦", kind="building", shift=1)]


def test_geojson_is_rfc7946_with_the_stored_geometries(names, tmp_path):
    result = export_file(profile="geojson", layer="roads", out=tmp_path / "roads.geojson")

    document = json.loads(result.files[0].read_text(encoding="utf-8"))
    assert "crs" not in document
    assert {f["id"] for f in document["features"]} == {str(names[0].uuid), str(names[1].uuid)}
    layer = DataSource(str(result.files[0]))[0]
    assert len(layer) == 2
    stored = {str(p.uuid): p for p in names}
    for feature in layer:
        road = stored[feature.get("uuid")]
        assert feature.geom.geom_type == "LineString"
        for (x, y), (sx, sy) in zip(feature.geom.coords, road.geom.coords, strict=True):
            assert abs(x - sx) < 1e-9 and abs(y - sy) < 1e-9
        assert feature.get("name") == road.name


def test_geopackage_is_in_cgcs2000_with_every_public_column(names, tmp_path):
    result = export_file(profile="gpkg", layer="places", out=tmp_path / "places.gpkg")

    source = DataSource(str(result.files[0]))
    layer = source[0]
    assert layer.name == "places"
    assert layer.srs.srid == 4490
    assert len(layer) == 1
    assert {"dm_id", "area_code", "name", "pinyin", "kind_code", "label_lon", "label_lat"} <= set(layer.fields)
    [feature] = list(layer)
    building = names[2]
    assert feature.get("dm_id") == str(building.uuid)
    assert feature.get("name") == "五马大厦"
    assert abs(feature.geom.x - building.geom.x) < 1e-9 and abs(feature.geom.y - building.geom.y) < 1e-9


def test_csv_carries_cgcs2000_label_points_and_wkt(names, tmp_path):
    result = export_file(profile="csv", layer="places", out=tmp_path / "places.csv")

    [row] = read_csv(result.files[0])
    building = names[2]
    assert row["dm_id"] == str(building.uuid)
    assert row["area_code"] == "330302"
    assert abs(float(row["longitude"]) - building.geom.x) < 1e-9
    assert row["wkt"].startswith("POINT(")


def test_amap_xlsx_reads_back_with_openpyxl(names, tmp_path):
    from openpyxl import load_workbook

    from gis.coords import wgs84_to_gcj02

    result = export_file(profile="amap-xlsx", layer="places", out=tmp_path / "places.xlsx")

    sheet = load_workbook(result.files[0], read_only=True).worksheets[0]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[:5] == ["_name", "_address", "longitude", "latitude", "dm_id"]
    [row] = rows
    lon, lat = wgs84_to_gcj02(names[2].geom.x, names[2].geom.y)
    assert row[0] == "五马大厦"
    assert abs(row[2] - lon) < 1e-9 and abs(row[3] - lat) < 1e-9
