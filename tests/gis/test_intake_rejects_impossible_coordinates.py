"""Latitudes beyond 90, longitudes beyond 180, NaN and infinity are refused with the vertex named."""

import pytest

from gis.errors import GeometryError
from gis.intake import intake_geometry, intake_point


def test_a_latitude_beyond_90_is_refused():
    with pytest.raises(GeometryError) as caught:
        intake_point(120.7, 95.0, crs=4326)
    assert caught.value.code == "out_of_range"
    assert str(caught.value.message) == "95 不是有效的纬度（应在 -90 到 90 之间）"
    assert caught.value.where == {"coordinate": [120.7, 95.0]}


def test_a_longitude_beyond_180_is_refused_at_its_vertex():
    line = {"type": "LineString", "coordinates": [[120.7, 28.0], [200.0, 28.0]]}
    with pytest.raises(GeometryError) as caught:
        intake_geometry(line)
    assert caught.value.code == "out_of_range"
    assert caught.value.where == {"vertex": 1, "coordinate": [200.0, 28.0]}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_values_are_refused(bad):
    line = {"type": "LineString", "coordinates": [[120.7, 28.0], [120.8, bad]]}
    with pytest.raises(GeometryError) as caught:
        intake_geometry(line)
    assert caught.value.code == "not_finite"
    assert caught.value.where == {"vertex": 1, "coordinate": ["120.8", str(bad)]}


def test_nan_in_wkt_is_refused_too():
    with pytest.raises(GeometryError) as caught:
        intake_geometry("POINT (NaN 28.0)", crs=4490)
    assert caught.value.code == "not_finite"


def test_a_projected_point_outside_its_projection_is_refused():
    with pytest.raises(GeometryError) as caught:
        intake_point(5e12, 3e12, crs=4549)
    assert caught.value.code == "out_of_range"
