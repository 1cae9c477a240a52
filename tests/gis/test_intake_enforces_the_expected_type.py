"""The caller names the type it stores; a Polygon is promoted to MultiPolygon when that is what is expected."""

import pytest

from gis.errors import GeometryError
from gis.intake import intake_geometry


def test_a_polygon_is_promoted_to_a_multipolygon_with_a_note(wenzhou_square):
    result = intake_geometry({"type": "Polygon", "coordinates": wenzhou_square}, expected="MultiPolygon")
    assert result.geometry.geom_type == "MultiPolygon"
    assert [str(n) for n in result.notes] == ["面 (Polygon)已转换为多面 (MultiPolygon)"]


def test_a_polygon_where_a_point_is_expected_is_refused(wenzhou_square):
    with pytest.raises(GeometryError) as caught:
        intake_geometry({"type": "Polygon", "coordinates": wenzhou_square}, expected="Point")
    assert caught.value.code == "wrong_geometry_type"
    assert str(caught.value.message) == "需要点 (Point)，收到的是面 (Polygon)"


def test_a_multipolygon_is_not_demoted_to_a_polygon(wenzhou_square):
    with pytest.raises(GeometryError):
        intake_geometry({"type": "MultiPolygon", "coordinates": [wenzhou_square]}, expected="Polygon")


def test_an_unsupported_type_is_refused():
    with pytest.raises(GeometryError) as caught:
        intake_geometry("GEOMETRYCOLLECTION (POINT (120.7 28.0))", crs=4490)
    assert caught.value.code == "unsupported_type"


def test_a_feature_collection_is_refused():
    with pytest.raises(GeometryError) as caught:
        intake_geometry({"type": "FeatureCollection", "features": []})
    assert caught.value.code == "unsupported_type"
