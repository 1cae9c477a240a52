"""The viewshed of hand-made DEMs, cell by cell (flat earth: curvature 0): a plain, a wall, a valley seen from the far
plateau and from its rim, a low wall that a tall target looks over; and the corridor's counts."""

import numpy as np
import pytest
import rasterio
from affine import Affine

from cemeteries.viewshed import (
    HIDDEN,
    OUTSIDE,
    VISIBLE,
    Terrain,
    corridor_points,
    corridor_visibility,
    load_terrain,
    visible_cells,
)

CELL = 10.0
ORIGIN = Affine(CELL, 0, 500_000, 0, -CELL, 3_000_000)  # EPSG:4549 metres, near 120 E 27.1 N


def terrain(heights):
    return Terrain(np.asarray(heights, dtype=float), ORIGIN, CELL)


def within(shape, row, col, radius):
    rows, cols = np.mgrid[0:shape[0], 0:shape[1]]
    return np.hypot(rows - row, cols - col) * CELL <= radius


def expected(inside, visible):
    return np.where(inside, np.where(visible, VISIBLE, HIDDEN), OUTSIDE).astype(np.uint8)


def viewshed_of(heights, row, col, radius, observer_height=1.6, target_height=0.0):
    out, rs, cs = visible_cells(terrain(heights), row, col, observer_height, target_height, radius, curvature=0)
    full = np.full(np.shape(heights), OUTSIDE, dtype=np.uint8)
    full[rs, cs] = out
    return full


def test_on_a_flat_plain_every_cell_within_the_radius_is_visible():
    seen = viewshed_of(np.zeros((41, 41)), 20, 20, 200)
    assert np.array_equal(seen, expected(within((41, 41), 20, 20, 200), True))
    assert (seen == VISIBLE).sum() == 1257


def test_a_wall_taller_than_the_eye_hides_every_cell_behind_it():
    heights = np.zeros((41, 41))
    heights[15, :] = 10.0  # five rows north of the observer
    seen = viewshed_of(heights, 20, 20, 200)
    rows = np.arange(41)[:, None] * np.ones((1, 41))
    assert np.array_equal(seen, expected(within((41, 41), 20, 20, 200), rows >= 15))


def _valley():
    heights = np.full((41, 41), 100.0)
    heights[2:13, :] = 95.0  # a valley floor five metres down, rows 2 to 12; its south rim is row 13
    return heights


def test_a_valley_floor_is_hidden_from_the_far_plateau():
    seen = viewshed_of(_valley(), 30, 20, 300)
    rows = np.arange(41)[:, None] * np.ones((1, 41))
    floor = (rows >= 2) & (rows <= 12)
    assert np.array_equal(seen, expected(within((41, 41), 30, 20, 300), ~floor))


def test_the_valley_floor_is_seen_from_the_rim_beyond_the_foot_of_the_cliff():
    seen = viewshed_of(_valley(), 13, 20, 300)
    column = seen[:, 20]
    # as gdal_viewshed: the first cell out is measured against the observer's own ground, so the sight line leaves
    # the rim no steeper than 1.6 m per cell and meets the floor (5 m down) from the fifth cell on
    assert list(column[9:13]) == [HIDDEN] * 4
    assert list(column[2:9]) == [VISIBLE] * 7
    assert list(column[0:2]) == [VISIBLE] * 2
    assert (seen[2:13] == VISIBLE).sum() > 100


@pytest.mark.parametrize(("target_height", "behind"), [(0.0, HIDDEN), (5.0, VISIBLE)])
def test_a_tall_target_is_seen_over_a_low_wall(target_height, behind):
    heights = np.zeros((31, 31))
    heights[10, :] = 2.0  # a low wall, 0.4 m above the eye, five rows north
    seen = viewshed_of(heights, 15, 15, 100, target_height=target_height)
    inside = within((31, 31), 15, 15, 100)
    rows = np.arange(31)[:, None] * np.ones((1, 31))
    assert np.all(seen[inside & (rows < 10)] == behind)
    assert np.all(seen[inside & (rows >= 10)] == VISIBLE)


def test_the_corridor_counts_the_observers_that_see_each_cell():
    ground = terrain(np.zeros((41, 61)))
    x0, y0 = ORIGIN @ (10.5, 20.5)
    points = corridor_points(np.array([[x0, y0], [x0 + 400, y0]]), spacing=200)  # cells (20, 10), (20, 30), (20, 50)
    assert len(points) == 3
    counts = corridor_visibility(ground, points, target_height=0, radius=150, observer_height=1.2, curvature=0)
    want = sum(within((41, 61), 20, c, 150).astype(int) for c in (10, 30, 50))
    assert np.array_equal(counts, want)


def test_a_corridor_behind_a_wall_is_not_seen():
    heights = np.zeros((41, 61))
    heights[15, :] = 10.0
    ground = terrain(heights)
    x0, y0 = ORIGIN @ (10.5, 20.5)
    counts = corridor_visibility(ground, corridor_points(np.array([[x0, y0], [x0 + 400, y0]]), 200), 0, 150,
                                 curvature=0)
    assert counts[:15].sum() == 0 and counts[20, 30] == 1 and counts[20, 20] == 2


def test_a_geographic_dem_is_reprojected_to_metres(tmp_path):
    path = tmp_path / "plain.tif"
    with rasterio.open(path, "w", driver="GTiff", width=60, height=60, count=1, dtype="int16", crs="EPSG:4326",
                       transform=Affine(0.001, 0, 119.97, 0, -0.001, 27.13), nodata=-32768) as dst:
        dst.write(np.full((60, 60), 42, dtype="int16"), 1)
    ground = load_terrain(path, (497_500, 2_999_000, 500_500, 3_001_000))
    assert ground.cell == pytest.approx(111.32)
    assert np.nanmin(ground.heights) == pytest.approx(42) and np.nanmax(ground.heights) == pytest.approx(42)
