"""The inverses are exact: a round trip closes to far better than 1e-9 degrees (0.1 mm) anywhere in the mainland."""

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gis import coords
from gis.china import mainland, mainland_points

TOLERANCE = 1e-9

lon_lat_in_mainland = st.tuples(
    st.floats(73.4, 135.1, allow_nan=False), st.floats(15.6, 53.6, allow_nan=False),
).filter(lambda p: shapely.contains_xy(mainland(), *p))


@settings(max_examples=400, deadline=None, database=None)
@given(lon_lat_in_mainland)
def test_wgs84_to_gcj02_and_back_returns_the_same_point(point):
    back = coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(*point))
    assert max(abs(back[0] - point[0]), abs(back[1] - point[1])) < TOLERANCE


@settings(max_examples=400, deadline=None, database=None)
@given(lon_lat_in_mainland)
def test_wgs84_to_bd09_and_back_returns_the_same_point(point):
    back = coords.bd09_to_wgs84(*coords.wgs84_to_bd09(*point))
    assert max(abs(back[0] - point[0]), abs(back[1] - point[1])) < TOLERANCE


@settings(max_examples=200, deadline=None, database=None)
@given(lon_lat_in_mainland)
def test_gcj02_to_bd09_and_back_returns_the_same_point(point):
    back = coords.bd09_to_gcj02(*coords.gcj02_to_bd09(*point))
    assert max(abs(back[0] - point[0]), abs(back[1] - point[1])) < TOLERANCE


def _worst(forward, inverse, lon, lat) -> float:
    back_lon, back_lat = inverse(*forward(lon, lat))
    return float(max(np.abs(back_lon - lon).max(), np.abs(back_lat - lat).max()))


def test_the_worst_round_trip_over_100k_random_mainland_points_is_far_below_1e_9_degrees():
    lon, lat = mainland_points(100_000, seed=7)
    worst_gcj = _worst(coords.wgs84_to_gcj02, coords.gcj02_to_wgs84, lon, lat)
    worst_bd = _worst(coords.wgs84_to_bd09, coords.bd09_to_wgs84, lon, lat)
    figures = f"max round-trip error over 100k points: GCJ-02 {worst_gcj:.2e} deg, BD-09 {worst_bd:.2e} deg"
    print(figures)
    assert worst_gcj < TOLERANCE and worst_bd < TOLERANCE, figures
    assert worst_gcj < 1e-10 and worst_bd < 1e-10, figures  # the iteration stops at steps of 1e-9


def test_the_common_one_step_inverse_is_off_by_far_more_than_the_iteration():
    lon, lat = mainland_points(20_000, seed=3)
    gcj_lon, gcj_lat = coords.wgs84_to_gcj02(lon, lat)
    both_inside = coords.in_china(gcj_lon, gcj_lat)  # so that the forward call below applies the offset
    lon, lat, gcj_lon, gcj_lat = lon[both_inside], lat[both_inside], gcj_lon[both_inside], gcj_lat[both_inside]
    shifted_lon, shifted_lat = coords.wgs84_to_gcj02(gcj_lon, gcj_lat)
    one_step_lon, one_step_lat = 2 * gcj_lon - shifted_lon, 2 * gcj_lat - shifted_lat
    one_step = float(max(np.abs(one_step_lon - lon).max(), np.abs(one_step_lat - lat).max()))
    iterated = _worst(coords.wgs84_to_gcj02, coords.gcj02_to_wgs84, lon, lat)
    assert one_step > 1e-6 and iterated < 1e-10, (one_step, iterated)


def test_an_iteration_that_cannot_converge_raises_instead_of_returning_a_guess():
    from gis.errors import CoordinateSystemError

    def diverging(lon, lat):
        return 2.0 * lon, 2.0 * lat

    with pytest.raises(CoordinateSystemError) as caught:
        coords.solve_fixed_point(diverging, np.array([120.7, 0.0]), np.array([28.0, 0.0]))
    assert caught.value.code == "inverse_not_converged"
    assert caught.value.where == {"coordinate": [120.7, 28.0]}


def test_an_iteration_that_turns_to_nan_is_not_taken_for_converged():
    from gis.errors import CoordinateSystemError

    with pytest.raises(CoordinateSystemError):
        coords.solve_fixed_point(lambda lon, lat: (lon * np.nan, lat), np.array([120.7]), np.array([28.0]))


def test_a_point_inside_by_less_than_the_inverse_precision_comes_back():
    """Found by hypothesis: (115.55, 45.55) lies inside the mainland outline by less than 1e-12 degrees; its
    inverse solution, 4e-13 degrees off, fell outside, and the inverse gave the GCJ-02 point back unchanged."""
    for forward, inverse in ((coords.wgs84_to_gcj02, coords.gcj02_to_wgs84),
                             (coords.wgs84_to_bd09, coords.bd09_to_wgs84)):
        back = inverse(*forward(115.55, 45.55))
        assert max(abs(back[0] - 115.55), abs(back[1] - 45.55)) < TOLERANCE
