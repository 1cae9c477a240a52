"""repair=True runs make_valid and says in the notes what changed; without it the geometry is refused."""

import pytest

from gis.errors import GeometryError
from gis.intake import intake_geometry

BOWTIE = "POLYGON ((120.6 28.0, 120.8 28.2, 120.8 28.0, 120.6 28.2, 120.6 28.0))"


def test_a_bowtie_is_repaired_into_two_parts_with_a_note_on_the_area():
    result = intake_geometry(BOWTIE, crs=4490, repair=True)
    assert result.geometry.geom_type == "MultiPolygon" and len(result.geometry) == 2
    assert result.geometry.valid and result.geometry.srid == 4490
    note = str(result.notes[0])
    assert note.startswith("多边形自相交，已修复为 2 个部分；面积由")
    assert "平方米变为" in note


def test_the_repaired_area_is_the_two_triangles():
    result = intake_geometry(BOWTIE, crs=4490, repair=True)
    assert result.geometry.area == pytest.approx(0.02)  # half of the 0.2 x 0.2 degree square


def test_a_repair_that_changes_the_type_fails_the_expected_type():
    with pytest.raises(GeometryError) as caught:
        intake_geometry(BOWTIE, crs=4490, repair=True, expected="Polygon")
    assert caught.value.code == "wrong_geometry_type"
    assert caught.value.where == {"expected": "Polygon", "type": "MultiPolygon"}


def test_a_repaired_bowtie_is_accepted_where_a_multipolygon_is_expected():
    result = intake_geometry(BOWTIE, crs=4490, repair=True, expected="MultiPolygon")
    assert result.geometry.geom_type == "MultiPolygon"


def test_a_line_that_collapses_to_a_point_cannot_be_repaired():
    with pytest.raises(GeometryError) as caught:
        intake_geometry("LINESTRING (120.6 28.0, 120.6 28.0)", crs=4490, repair=True)
    assert caught.value.code == "too_few_points"
    assert "无法自动修复" in str(caught.value)
