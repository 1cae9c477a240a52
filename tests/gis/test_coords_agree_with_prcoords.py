"""The vectorised forward transforms agree with a published per-point implementation (prcoords) to 1e-12 degrees."""

import numpy as np
import pytest

from gis import coords
from gis.china import mainland_points

prcoords = pytest.importorskip("prcoords")  # a bench extra

AGREEMENT = 1e-12


@pytest.fixture(scope="module")
def points():
    return mainland_points(5_000, seed=11)


def _per_point(function, lon, lat) -> np.ndarray:
    """prcoords works in (lat, lon); answer in (lon, lat) columns."""
    out = np.array([function((la, lo), False) for lo, la in zip(lon, lat, strict=True)])
    return out[:, ::-1]


def test_wgs84_to_gcj02_agrees_with_prcoords(points):
    ours = np.column_stack(coords.wgs84_to_gcj02(*points))
    np.testing.assert_allclose(ours, _per_point(prcoords.wgs_gcj, *points), atol=AGREEMENT, rtol=0)


def test_gcj02_to_bd09_agrees_with_prcoords(points):
    ours = np.column_stack(coords.gcj02_to_bd09(*points))
    np.testing.assert_allclose(ours, _per_point(prcoords.gcj_bd, *points), atol=AGREEMENT, rtol=0)


def test_wgs84_to_bd09_agrees_with_prcoords(points):
    ours = np.column_stack(coords.wgs84_to_bd09(*points))
    np.testing.assert_allclose(ours, _per_point(prcoords.wgs_bd, *points), atol=AGREEMENT, rtol=0)


def test_our_inverse_is_closer_than_prcoords_own_iterated_inverse(points):
    lon, lat = points
    gcj = coords.wgs84_to_gcj02(lon, lat)
    ours = np.column_stack(coords.gcj02_to_wgs84(*gcj))
    theirs = _per_point(prcoords.gcj_wgs_bored, *gcj)
    truth = np.column_stack([lon, lat])
    assert np.abs(ours - truth).max() < 1e-10 < np.abs(theirs - truth).max()
