"""A whole geometry moves through one function that maps every coordinate at once and never mutates its input."""

import numpy as np
import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry

from gis import coords
from gis.crs import CRS, to_storage, transform_geometry, transform_xy

MULTIPOLYGON_WITH_HOLE = (
    "MULTIPOLYGON (((120.60 27.95, 120.80 27.95, 120.80 28.10, 120.60 28.10, 120.60 27.95),"
    " (120.65 28.00, 120.70 28.00, 120.70 28.05, 120.65 28.00)),"
    " ((121.00 27.80, 121.10 27.80, 121.10 27.90, 121.00 27.80)))"
)


def test_a_geos_multipolygon_with_a_hole_moves_vertex_by_vertex_to_gcj02():
    source = GEOSGeometry(MULTIPOLYGON_WITH_HOLE, srid=4490)
    moved = transform_geometry(source, dst=CRS.GCJ02)
    before = np.array(shapely.get_coordinates(shapely.from_wkt(source.wkt)))
    after = np.array(shapely.get_coordinates(shapely.from_wkt(moved.wkt)))
    expected = np.column_stack(coords.wgs84_to_gcj02(before[:, 0], before[:, 1]))
    np.testing.assert_array_equal(after, expected)
    assert moved.geom_type == "MultiPolygon" and len(moved[0]) == 2  # the hole survived


def test_the_callers_geometry_is_not_touched():
    source = GEOSGeometry(MULTIPOLYGON_WITH_HOLE, srid=4490)
    wkt = source.wkt
    transform_geometry(source, dst="bd09")
    assert source.wkt == wkt and source.srid == 4490


def test_the_result_carries_the_target_srid_and_none_for_the_platform_systems():
    source = GEOSGeometry("POINT (120.7 28.0)", srid=4326)
    assert transform_geometry(source, dst=3857).srid == 3857
    assert transform_geometry(source, dst=4549).srid == 4549
    assert transform_geometry(source, dst="gcj02").srid is None
    assert to_storage(transform_geometry(source, dst="gcj02"), "gcj02").srid == 4490


def test_without_a_declared_source_a_geos_geometry_without_srid_is_refused():
    from gis.errors import CoordinateSystemError

    with pytest.raises(CoordinateSystemError):
        transform_geometry(GEOSGeometry("POINT (120.7 28.0)"), dst=4490)


def test_a_shapely_geometry_comes_back_as_shapely_with_z_kept():
    line = shapely.LineString([(120.7, 28.0, 5.0), (120.8, 28.1, 7.0)])
    moved = transform_geometry(line, "bd09", "wgs84")
    assert isinstance(moved, shapely.LineString) and moved.has_z
    assert shapely.get_coordinates(moved, include_z=True)[:, 2].tolist() == [5.0, 7.0]
    assert tuple(moved.coords[0][:2]) == coords.bd09_to_wgs84(120.7, 28.0)


@pytest.mark.parametrize("system", ["gcj02", "bd09", 3857, 4549, 4326])
def test_storage_to_any_system_and_back_closes_to_a_micrometre(system):
    lon, lat = np.array([120.1, 120.7, 121.2]), np.array([27.2, 28.0, 28.5])
    there = transform_xy(lon, lat, 4490, system)
    back = transform_xy(*there, system, 4490)
    np.testing.assert_allclose(np.column_stack(back), np.column_stack([lon, lat]), atol=1e-8, rtol=0)


def test_gauss_kruger_puts_the_central_meridian_at_500_km_east():
    x, y = transform_xy(120.0, 28.0, 4490, 4549)
    assert x == pytest.approx(500_000, abs=1e-6) and 3_090_000 < y < 3_110_000


def test_wgs84_and_cgcs2000_are_the_same_coordinates():
    assert transform_xy(120.7, 28.0, 4326, 4490) == (120.7, 28.0)
