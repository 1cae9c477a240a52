"""The published reference vectors (DOMAIN.md), which the public implementations agree on to the last digit."""

import numpy as np
import pytest

from gis import coords

WGS84 = [(120.6994, 27.9943), (121.1, 27.6)]
GCJ02 = [(120.70345830054437, 27.991017900244394), (121.10432292553362, 27.59700108354142)]
BD09 = [(120.7099233590431, 27.99725698202178), (121.11079562720312, 27.603106800391107)]
EXACT = 1e-12  # degrees, about 0.1 micrometre


@pytest.mark.parametrize(("wgs", "gcj"), list(zip(WGS84, GCJ02, strict=True)))
def test_wgs84_to_gcj02_gives_the_reference_vector(wgs, gcj):
    assert coords.wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=EXACT, rel=0)


@pytest.mark.parametrize(("gcj", "bd"), list(zip(GCJ02, BD09, strict=True)))
def test_gcj02_to_bd09_gives_the_reference_vector(gcj, bd):
    assert coords.gcj02_to_bd09(*gcj) == pytest.approx(bd, abs=EXACT, rel=0)


@pytest.mark.parametrize(("wgs", "bd"), list(zip(WGS84, BD09, strict=True)))
def test_wgs84_to_bd09_gives_the_reference_vector(wgs, bd):
    assert coords.wgs84_to_bd09(*wgs) == pytest.approx(bd, abs=EXACT, rel=0)


def test_the_vectorised_path_gives_the_same_vectors_as_the_scalar_path():
    lon, lat = np.array(WGS84).T
    gcj_lon, gcj_lat = coords.wgs84_to_gcj02(lon, lat)
    bd_lon, bd_lat = coords.wgs84_to_bd09(lon, lat)
    np.testing.assert_allclose(np.column_stack([gcj_lon, gcj_lat]), GCJ02, atol=EXACT, rtol=0)
    np.testing.assert_allclose(np.column_stack([bd_lon, bd_lat]), BD09, atol=EXACT, rtol=0)


@pytest.mark.parametrize(("wgs", "gcj", "bd"), list(zip(WGS84, GCJ02, BD09, strict=True)))
def test_the_inverses_take_the_reference_vectors_back_to_wgs84(wgs, gcj, bd):
    assert coords.gcj02_to_wgs84(*gcj) == pytest.approx(wgs, abs=1e-10, rel=0)
    assert coords.bd09_to_wgs84(*bd) == pytest.approx(wgs, abs=1e-10, rel=0)
    assert coords.bd09_to_gcj02(*bd) == pytest.approx(gcj, abs=1e-10, rel=0)
