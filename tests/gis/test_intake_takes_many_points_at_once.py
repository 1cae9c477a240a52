"""gis.intake.intake_points: a file's points checked as one point is, in one vectorised call."""

import numpy as np
import pytest

from gis.errors import OutsideServiceAreaError, SwappedAxesError
from gis.intake import intake_point, intake_points


def test_each_point_comes_back_in_storage_coordinates_as_intake_point_gives_it():
    given = [(120.65, 28.01), (120.70, 27.95), (120.65, 28.01)]  # the same point twice is two rows, not a line
    stored = intake_points(given, crs="gcj02")
    assert stored.shape == (3, 2)
    for (lon, lat), row in zip(given, stored, strict=True):
        one = intake_point(lon, lat, crs="gcj02").geometry
        assert np.allclose(row, (one.x, one.y), atol=1e-9)


def test_the_first_point_outside_the_area_is_named_by_its_index():
    with pytest.raises(OutsideServiceAreaError) as caught:
        intake_points([(120.65, 28.01), (116.4, 39.9)], crs=4326)
    assert caught.value.where == {"part": 1, "coordinate": [116.4, 39.9]}


def test_swapped_axes_are_recognised_for_the_whole_set():
    with pytest.raises(SwappedAxesError):
        intake_points([(28.01, 120.65), (27.95, 120.70)], crs=4326)
