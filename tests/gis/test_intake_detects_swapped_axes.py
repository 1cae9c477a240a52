"""A Wenzhou point given as (28.0, 120.7) is refused with the likely fix, in any coordinate system."""

import pytest

from gis.errors import OutsideServiceAreaError, SwappedAxesError
from gis.intake import intake_geometry, intake_point


def test_a_swapped_wgs84_point_is_refused_with_the_fix_in_the_hint():
    with pytest.raises(SwappedAxesError) as caught:
        intake_point(28.0, 120.7, crs=4326)
    error = caught.value
    assert error.code == "swapped_lat_lon"
    assert error.where == {"coordinate": [28.0, 120.7]}
    assert str(error.hint) == "坐标应按（经度, 纬度）顺序给出，这一点应为 (120.7, 28)"


def test_a_swapped_polygon_names_the_first_vertex(wenzhou_square):
    swapped = [[[lat, lon] for lon, lat in wenzhou_square[0]]]
    with pytest.raises(SwappedAxesError) as caught:
        intake_geometry({"type": "Polygon", "coordinates": swapped})
    assert caught.value.where == {"ring": 0, "vertex": 0, "coordinate": [28.0, 120.65]}


def test_a_swapped_gcj02_point_is_caught_too():
    with pytest.raises(SwappedAxesError):
        intake_point(27.991, 120.703, crs="gcj02")


def test_northing_before_easting_in_gauss_kruger_is_caught():
    with pytest.raises(SwappedAxesError) as caught:
        intake_point(3098639.2, 568854.3, crs=4549)
    assert "东坐标, 北坐标" in str(caught.value.hint)


def test_a_point_outside_in_both_orders_is_not_called_swapped():
    with pytest.raises(OutsideServiceAreaError):
        intake_point(30.0, 60.0, crs=4326)
