"""GeoJSON, WKT, EWKT, GEOS geometries and coordinate pairs all come out as a valid EPSG:4490 GEOSGeometry."""

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry

from gis import coords
from gis.intake import IntakeResult, intake_geometry, intake_point


def test_a_geojson_point_is_wgs84_by_default_and_stored_in_4490():
    result = intake_geometry({"type": "Point", "coordinates": [120.7, 28.0]})
    assert isinstance(result, IntakeResult) and isinstance(result.geometry, GEOSGeometry)
    assert result.geometry.srid == 4490 and result.geometry.coords == (120.7, 28.0)
    assert result.notes == []


def test_a_geojson_feature_as_text_gives_its_geometry(wenzhou_square):
    feature = {"type": "Feature", "properties": {"name": "x"},
               "geometry": {"type": "Polygon", "coordinates": wenzhou_square}}
    result = intake_geometry(json.dumps(feature))
    assert result.geometry.geom_type == "Polygon" and result.geometry.num_coords == 5


def test_a_legacy_crs_member_names_the_system():
    geojson = {"type": "Point", "coordinates": [568854.27, 3098639.22],
               "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4549"}}}
    x, y = intake_geometry(geojson).geometry.coords
    assert x == pytest.approx(120.7, abs=1e-7) and y == pytest.approx(28.0, abs=1e-7)


def test_gcj02_coordinates_are_moved_back_to_wgs84():
    gcj = (120.70345830054437, 27.991017900244394)
    result = intake_geometry(f"POINT ({gcj[0]} {gcj[1]})", crs="gcj02")
    assert result.geometry.coords == pytest.approx((120.6994, 27.9943), abs=1e-10)


def test_ewkt_carries_its_own_srid():
    assert intake_geometry("SRID=4326;LINESTRING (120.6 28.0, 120.7 28.1)").geometry.srid == 4490


def test_a_coordinate_pair_with_a_declared_system_is_a_point():
    result = intake_point(120.7099233590431, 27.99725698202178, crs="bd09")
    assert result.geometry.coords == pytest.approx((120.6994, 27.9943), abs=1e-10)


def test_a_geos_geometry_keeps_its_srid_and_is_not_changed():
    source = GEOSGeometry("POINT (120.70345830054437 27.991017900244394)", srid=4326)
    result = intake_geometry(source)
    assert result.geometry.coords == pytest.approx((120.70345830054437, 27.991017900244394))
    assert source.srid == 4326 and result.geometry is not source


def test_the_result_for_a_bd09_polygon_matches_the_point_transform_vertex_by_vertex(wenzhou_square):
    result = intake_geometry({"type": "Polygon", "coordinates": wenzhou_square}, crs="bd09")
    for (lon, lat), stored in zip(wenzhou_square[0], result.geometry.coords[0], strict=True):
        assert stored == coords.bd09_to_wgs84(lon, lat)
