"""Invalid geometry is refused with what is wrong and where: part, ring, vertex and coordinate."""

import pytest

from gis.errors import GeometryError
from gis.intake import intake_geometry

BOWTIE = "POLYGON ((120.6 28.0, 120.8 28.2, 120.8 28.0, 120.6 28.2, 120.6 28.0))"


def _refusal(value, **options) -> GeometryError:
    options.setdefault("crs", 4490)
    with pytest.raises(GeometryError) as caught:
        intake_geometry(value, **options)
    return caught.value


def test_a_self_intersecting_polygon_is_refused_at_the_crossing():
    error = _refusal(BOWTIE)
    assert error.code == "self_intersection"
    assert str(error.message) == "多边形自相交"
    assert error.where["ring"] == 0 and error.where["vertex"] in (0, 2)
    assert error.where["coordinate"] == pytest.approx([120.7, 28.1])
    assert "repair" in str(error.hint)


def test_an_unclosed_ring_is_refused_with_its_first_and_last_vertex():
    geojson = {"type": "MultiPolygon", "coordinates": [
        [[[120.6, 28.0], [120.7, 28.0], [120.7, 28.1], [120.6, 28.0]]],
        [[[120.8, 28.0], [120.9, 28.0], [120.9, 28.1], [120.8, 28.1]]],
    ]}
    error = _refusal(geojson, crs=None)
    assert error.code == "ring_not_closed"
    assert error.where == {"part": 1, "ring": 0, "first": [120.8, 28.0], "last": [120.8, 28.1]}


def test_an_unclosed_ring_in_wkt_is_found_too():
    error = _refusal("POLYGON ((120.6 28.0, 120.7 28.0, 120.7 28.1, 120.6 28.1))")
    assert error.code == "ring_not_closed" and error.where["ring"] == 0


def test_a_ring_with_too_few_points_is_refused():
    error = _refusal("POLYGON ((120.6 28.0, 120.7 28.0, 120.6 28.0))")
    assert error.code == "too_few_points"
    assert error.where == {"ring": 0, "count": 3}


def test_a_line_with_one_point_is_refused():
    error = _refusal({"type": "LineString", "coordinates": [[120.6, 28.0]]}, crs=None)
    assert error.code == "too_few_points" and error.where == {"count": 1}


def test_a_line_of_two_equal_points_is_refused_by_the_validity_check():
    error = _refusal("LINESTRING (120.6 28.0, 120.6 28.0)")
    assert error.code == "too_few_points"
    assert error.where["coordinate"] == [120.6, 28.0]


def test_a_hole_outside_its_shell_is_refused_at_the_hole():
    error = _refusal("POLYGON ((120.6 28.0, 120.7 28.0, 120.7 28.1, 120.6 28.1, 120.6 28.0),"
                     " (120.8 28.0, 120.85 28.0, 120.85 28.05, 120.8 28.0))")
    assert error.code == "hole_outside_shell"
    assert error.where["ring"] == 1


def test_a_coordinate_that_is_not_a_number_is_refused_where_it_is():
    geojson = {"type": "Polygon", "coordinates": [
        [[120.6, 28.0], [120.7, 28.0], [120.7, "28.1"], [120.6, 28.0]]]}
    error = _refusal(geojson, crs=None)
    assert error.code == "bad_coordinate"
    assert error.where == {"ring": 0, "vertex": 2, "value": '[120.7, "28.1"]'}


def test_a_wrongly_nested_geojson_is_refused():
    error = _refusal({"type": "Polygon", "coordinates": [120.6, 28.0]}, crs=None)
    assert error.code == "bad_structure" and error.where == {"ring": 0, "value": "120.6"}
