"""Floats in give a tuple of floats out; arrays of any shape give arrays of the same shape; nothing is mutated."""

import math

import numpy as np
import pytest

from gis import coords

TRANSFORMS = [coords.wgs84_to_gcj02, coords.gcj02_to_wgs84, coords.gcj02_to_bd09, coords.bd09_to_gcj02,
              coords.wgs84_to_bd09, coords.bd09_to_wgs84]


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_floats_in_give_a_tuple_of_python_floats(transform):
    result = transform(120.7, 28.0)
    assert isinstance(result, tuple) and [type(v) for v in result] == [float, float]


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_arrays_keep_their_shape_and_match_the_scalar_results(transform):
    lon = 120.0 + np.arange(6.0).reshape(2, 3) * 0.2
    lat = np.full((2, 3), 28.0)
    out_lon, out_lat = transform(lon, lat)
    assert out_lon.shape == out_lat.shape == (2, 3)
    assert (out_lon[1, 2], out_lat[1, 2]) == transform(float(lon[1, 2]), 28.0)


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_the_callers_arrays_are_not_modified(transform):
    lon, lat = np.array([120.7, 120.8]), np.array([28.0, 28.1])
    transform(lon, lat)
    assert lon.tolist() == [120.7, 120.8] and lat.tolist() == [28.0, 28.1]


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_nan_and_infinite_values_come_back_unchanged(transform):
    out_lon, out_lat = transform(np.array([np.nan, np.inf, 120.7]), np.array([28.0, 28.0, np.nan]))
    assert math.isnan(out_lon[0]) and out_lon[1] == np.inf and math.isnan(out_lat[2])


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_empty_arrays_give_empty_arrays(transform):
    out_lon, out_lat = transform(np.empty((0, 2)), np.empty((0, 2)))
    assert out_lon.shape == out_lat.shape == (0, 2)


def test_a_scalar_latitude_broadcasts_against_an_array_of_longitudes():
    out_lon, out_lat = coords.wgs84_to_gcj02(np.array([120.6, 120.7]), 28.0)
    assert out_lat.shape == (2,) and (out_lat != 28.0).all()


def test_large_inputs_split_across_threads_give_the_same_answer_as_small_ones():
    rng = np.random.default_rng(2)
    lon, lat = rng.uniform(119.6, 121.3, 300_000), rng.uniform(27.0, 28.6, 300_000)
    big = coords.bd09_to_wgs84(lon, lat)
    small = coords.bd09_to_wgs84(lon[-1000:], lat[-1000:])
    np.testing.assert_array_equal(big[0][-1000:], small[0])
    np.testing.assert_array_equal(big[1][-1000:], small[1])
