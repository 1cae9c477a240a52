"""Where Chinese map platforms apply the GCJ-02 / BD-09 offsets: an approximate mainland polygon.

The usual "out of China" test is a box (lon 73.66-135.05, lat 3.86-53.55) that wrongly takes in Seoul,
Pyongyang, Taipei and Ulaanbaatar. This module replaces it with a polygon hand-digitised for this project
from general geographic knowledge (no third-party boundary data): about 250 vertices, good to a few tens of
kilometres along land borders. It is NOT a map of borders and must never be drawn as one; it only answers
"would a platform in mainland China (内地) shift a coordinate here?".

Choices, all approximate:
- The outline runs a little offshore (typically 10-40 km) so that near-shore islands (Zhoushan, Dongtou,
  Nanji, Pingtan, Hainan) are in; the Bohai Sea is entirely inside.
- Hainan and the Paracel Islands (西沙, a coarse box) are in. Other South China Sea islands are left out.
- Excluded as holes: Hong Kong and Macau (DOMAIN.md: no offset outside the mainland; Google and most
  open implementations leave them unshifted), and Kinmen, Matsu and Wuqiu off the Fujian coast, which,
  like Taiwan, are not on the mainland platforms' offset grid in most implementations.
- Where a land line is disputed, the outline takes the extent drawn on maps published in China, since
  those are the maps on which the offsets are applied. No service area of this product comes near.

`MainlandMask` makes the test fast for millions of points: a 0.05-degree grid whose cells are marked
inside, outside, or on the edge of the outline; only points in edge cells pay for an exact polygon test.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import shapely

# (lon, lat), counter-clockwise from the mouth of the Yalu.
MAINLAND_OUTLINE: tuple[tuple[float, float], ...] = (
    # North Korea: Yalu (鸭绿江) upstream, Changbai Shan, Tumen (图们江) downstream.
    (124.26, 39.78), (124.38, 40.08), (124.62, 40.25), (125.00, 40.50), (125.42, 40.66), (125.80, 40.90),
    (126.18, 41.10), (126.58, 41.45), (126.90, 41.78), (127.30, 41.50), (127.60, 41.42), (128.15, 41.38),
    (128.05, 41.98), (128.40, 42.02), (128.95, 42.10), (129.35, 42.42), (129.65, 42.45), (129.78, 42.75),
    (129.88, 42.98), (130.10, 42.95), (130.25, 42.72), (130.45, 42.58), (130.62, 42.42),
    # Russia: Primorye, Khanka, Ussuri (乌苏里江), Amur (黑龙江), Argun (额尔古纳河).
    (130.75, 42.65), (130.90, 42.95), (131.15, 43.45), (131.28, 44.00), (131.22, 44.40), (131.05, 44.85),
    (131.50, 44.95), (131.90, 45.25), (132.50, 45.10), (133.10, 45.05), (133.20, 45.40), (133.50, 45.85),
    (133.70, 46.00), (134.00, 46.60), (134.05, 47.00), (134.25, 47.45), (134.55, 47.75), (134.75, 48.10),
    (135.08, 48.45), (134.70, 48.46), (134.30, 48.43), (133.50, 48.15), (132.90, 47.95), (132.55, 47.72),
    (131.80, 47.72), (131.00, 47.70), (130.65, 48.10), (130.75, 48.50), (130.40, 48.88), (129.90, 49.15),
    (129.30, 49.40), (128.50, 49.60), (127.85, 49.85), (127.52, 50.25), (127.35, 50.75), (127.00, 51.30),
    (126.70, 51.72), (126.20, 52.30), (125.85, 52.85), (125.60, 53.05), (124.80, 53.15), (123.90, 53.50),
    (123.30, 53.56), (122.50, 53.48), (121.80, 53.35), (121.25, 53.30), (120.95, 53.15), (120.50, 52.75),
    (120.75, 52.45), (120.20, 51.90), (119.95, 51.45), (119.35, 50.90), (119.20, 50.35), (118.60, 49.95),
    (117.87, 49.52), (117.45, 49.63), (116.70, 49.85),
    # Mongolia: Hulunbuir, the Dornod salient, Erenhot (二连浩特), the Gobi, the Altai.
    (116.05, 48.85), (115.55, 47.95), (116.20, 47.85), (116.85, 47.88), (117.40, 47.65), (117.80, 47.98),
    (118.50, 48.00), (119.10, 47.70), (119.70, 47.20), (119.90, 46.75), (118.80, 46.75), (117.70, 46.55),
    (117.40, 46.35), (116.60, 46.30), (116.00, 45.70), (115.10, 45.40), (114.50, 45.35), (113.60, 44.75),
    (112.00, 43.75), (111.00, 43.35), (110.40, 42.80), (109.50, 42.45), (107.50, 42.40), (106.80, 42.30),
    (105.50, 41.80), (105.00, 41.58), (104.50, 41.85), (103.50, 41.90), (102.00, 42.25), (101.00, 42.55),
    (99.50, 42.60), (97.20, 42.80), (96.40, 42.75), (96.00, 43.30), (95.40, 44.25), (94.50, 44.50),
    (93.60, 44.95), (92.50, 45.00), (91.50, 45.10), (90.90, 45.25), (90.65, 45.70), (91.00, 46.50),
    (90.50, 47.20), (90.05, 47.80), (89.00, 48.05), (88.45, 48.40), (87.85, 49.15),
    # Russia (Altai), Kazakhstan.
    (87.35, 49.10), (86.85, 49.00), (86.60, 48.55), (85.75, 48.40), (85.55, 47.95), (85.60, 47.15),
    (85.10, 47.00), (84.00, 46.95), (83.00, 47.20), (82.55, 46.90), (82.30, 46.10), (82.45, 45.55),
    (82.55, 45.20), (81.80, 45.30), (81.00, 45.15), (80.10, 44.95), (80.35, 44.25), (80.35, 43.60),
    (80.75, 43.15), (80.40, 42.80), (80.20, 42.20),
    # Kyrgyzstan (Tian Shan), Tajikistan (Sarikol), Afghanistan (Wakhan), Pakistan (Karakoram).
    (79.70, 41.85), (79.20, 41.75), (78.40, 41.40), (77.80, 41.05), (77.00, 41.05), (76.60, 40.75),
    (76.30, 40.40), (75.65, 40.30), (75.40, 40.55), (74.85, 40.50), (74.30, 40.10), (73.95, 39.75),
    (73.65, 39.45), (73.80, 39.30), (73.90, 38.90), (74.30, 38.60), (74.85, 38.40), (74.90, 38.00),
    (74.80, 37.45), (74.90, 37.24), (74.57, 37.03), (75.10, 36.95), (75.42, 36.85), (75.90, 36.65),
    (76.20, 36.30), (76.55, 35.90), (77.00, 35.60), (77.80, 35.50),
    # India (Aksai Chin, Zanda), Nepal, Sikkim, the Chumbi valley (亚东), Bhutan.
    (78.10, 35.45), (78.30, 35.10), (78.40, 34.60), (78.75, 34.05), (78.70, 33.40), (79.45, 32.70),
    (79.05, 32.40), (78.75, 31.95), (78.75, 31.45), (79.35, 31.00), (79.90, 30.90), (80.25, 30.70),
    (81.05, 30.20), (81.30, 30.40), (82.10, 30.05), (82.70, 29.65), (83.30, 29.35), (83.90, 29.30),
    (84.50, 28.75), (85.20, 28.60), (85.70, 28.35), (86.10, 28.05), (86.93, 27.99), (87.60, 27.88),
    (88.10, 27.88), (88.55, 28.10), (88.85, 27.95), (88.85, 27.60), (88.92, 27.28), (89.15, 27.60),
    (89.55, 28.15), (90.40, 28.25), (91.10, 28.00), (91.65, 27.77),
    # India (藏南, along the southern foothills), Myanmar, Laos, Vietnam.
    (92.10, 26.90), (93.00, 26.95), (94.00, 27.25), (95.00, 27.30), (95.80, 27.00), (96.20, 27.20),
    (97.10, 27.80), (97.35, 28.22), (97.55, 28.50), (98.15, 27.85), (98.70, 27.50), (98.70, 26.80),
    (98.55, 25.90), (98.05, 24.90), (97.55, 24.75), (97.55, 24.35), (97.75, 23.95), (98.50, 24.05),
    (98.85, 23.40), (99.50, 22.95), (99.45, 22.55), (99.25, 22.15), (99.95, 22.05), (100.20, 21.45),
    (100.65, 21.50), (101.15, 21.55), (101.80, 21.15), (101.75, 21.75), (101.60, 22.15), (102.12, 22.40),
    (102.45, 22.75), (102.90, 22.50), (103.30, 22.80), (103.65, 22.80), (103.95, 22.50), (104.35, 22.70),
    (104.80, 22.85), (105.30, 23.30), (105.85, 22.95), (106.25, 22.95), (106.70, 22.85), (106.70, 22.40),
    (106.60, 22.25), (106.75, 21.97), (107.35, 21.65), (108.00, 21.52),
    # Coast: Gulf of Tonkin, Hainan (海南) across the Qiongzhou strait, Guangdong.
    (108.05, 21.35), (108.95, 20.95), (109.25, 20.90), (109.55, 20.40), (108.90, 19.85), (108.50, 19.25),
    (108.50, 18.50), (109.30, 17.95), (110.15, 18.10), (110.65, 18.55), (111.15, 19.50), (111.20, 20.10),
    (110.90, 20.50), (110.85, 20.95), (111.30, 21.35), (112.00, 21.55), (112.75, 21.45), (113.30, 21.90),
    (113.65, 21.95), (114.30, 21.95), (114.70, 22.35), (115.30, 22.55), (116.00, 22.65), (116.55, 22.85),
    (117.10, 23.20),
    # Fujian, Zhejiang (Wenzhou: Nanji 南麂, Dongtou 洞头), Zhoushan, the Yangtze mouth.
    (117.55, 23.45), (118.00, 23.90), (118.40, 24.25), (118.85, 24.65), (119.25, 24.95), (119.40, 25.15),
    (119.85, 25.35), (119.95, 25.45), (119.90, 25.90), (120.10, 26.30), (120.55, 26.55), (120.45, 26.95),
    (120.80, 27.10), (121.25, 27.35), (121.40, 27.80), (121.75, 28.20), (122.10, 28.60), (122.30, 29.30),
    (122.90, 29.85), (123.00, 30.50), (122.60, 31.10), (122.30, 31.50), (122.10, 31.95),
    # Jiangsu, Shandong, across the Bohai strait, Liaodong.
    (121.60, 32.40), (121.20, 32.90), (121.00, 33.50), (120.70, 34.10), (120.10, 34.50), (119.80, 34.85),
    (119.70, 35.40), (120.30, 35.70), (120.90, 36.15), (121.70, 36.60), (122.70, 36.85), (122.95, 37.35),
    (122.75, 37.60), (121.80, 37.70), (121.00, 37.95), (121.00, 38.60), (121.40, 38.65), (122.00, 38.80),
    (122.90, 39.00), (123.50, 39.40), (124.10, 39.55), (124.15, 39.70),
)

PARACEL_ISLANDS: tuple[tuple[float, float], ...] = (
    (111.10, 15.70), (112.90, 15.70), (112.90, 17.20), (111.10, 17.20),
)

# Areas inside the outline where the platforms apply no offset.
EXCLUDED_AREAS: dict[str, tuple[tuple[float, float], ...]] = {
    "hong_kong": (
        (113.82, 22.20), (113.88, 22.13), (114.30, 22.13), (114.50, 22.15), (114.52, 22.40), (114.45, 22.56),
        (114.30, 22.575), (114.23, 22.56), (114.15, 22.545), (114.08, 22.525), (114.02, 22.51),
        (113.95, 22.51), (113.90, 22.45), (113.84, 22.38),
    ),
    "macau": ((113.52, 22.105), (113.60, 22.105), (113.61, 22.20), (113.56, 22.217), (113.525, 22.20)),
    "kinmen": (
        (118.205, 24.40), (118.30, 24.36), (118.45, 24.39), (118.51, 24.47), (118.44, 24.54), (118.30, 24.53),
        (118.205, 24.47),
    ),
    "matsu_nangan_beigan": ((119.88, 26.13), (120.03, 26.13), (120.03, 26.27), (119.88, 26.27)),
    "matsu_dongyin": ((120.45, 26.34), (120.53, 26.34), (120.53, 26.40), (120.45, 26.40)),
    "matsu_juguang": ((119.91, 25.93), (119.99, 25.93), (119.99, 26.00), (119.91, 26.00)),
    "wuqiu": ((119.44, 24.97), (119.48, 24.97), (119.48, 25.00), (119.44, 25.00)),
}

CELL_DEGREES = 0.05
_OUTSIDE, _INSIDE, _EDGE = 0, 1, 2


@cache
def mainland() -> shapely.MultiPolygon:
    """The offset area as one prepared MultiPolygon in (lon, lat)."""
    parts = shapely.union(shapely.Polygon(MAINLAND_OUTLINE), shapely.Polygon(PARACEL_ISLANDS))
    holes = shapely.union_all([shapely.Polygon(ring) for ring in EXCLUDED_AREAS.values()])
    area = shapely.difference(parts, holes)
    shapely.prepare(area)
    return area


def mainland_points(count: int, box=None, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Uniform random points inside the mainland polygon (by the exact polygon test, not the raster), or inside
    the part of it in a (min lon, min lat, max lon, max lat) box: for tests and benchmarks."""
    rng = np.random.default_rng(seed)
    min_lon, min_lat, max_lon, max_lat = box or mainland().bounds
    lon, lat = np.empty(0), np.empty(0)
    while lon.size < count:
        x, y = rng.uniform(min_lon, max_lon, 2 * count), rng.uniform(min_lat, max_lat, 2 * count)
        inside = shapely.contains_xy(mainland(), x, y)
        lon, lat = np.concatenate([lon, x[inside]]), np.concatenate([lat, y[inside]])
    return lon[:count], lat[:count]


def _dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    padded = np.pad(mask, radius)
    out = np.zeros_like(mask)
    rows, cols = mask.shape
    for dy in range(2 * radius + 1):
        for dx in range(2 * radius + 1):
            out |= padded[dy:dy + rows, dx:dx + cols]
    return out


class MainlandMask:
    """A raster over the polygon's bounds whose cells are inside, outside, or on the edge of the outline.

    Edge cells are those within one cell of a point sampled every half cell along the outline: that takes
    in every cell the outline crosses, so all of a cell not on the edge lies on the side of its centre,
    and only points in edge cells pay for an exact polygon test. `reach` adds one more cell around every
    cell that is not wholly outside: a point outside it is more than one cell (0.05 degrees) from the
    offset area, so no offset (under 0.02 degrees) can carry it in or out.
    """

    def __init__(self, area, cell: float = CELL_DEGREES):
        self.area = area
        self.cell = cell
        minx, miny, maxx, maxy = area.bounds
        self.x0 = np.floor(minx / cell) * cell - 2 * cell
        self.y0 = np.floor(miny / cell) * cell - 2 * cell
        self.nx = int(np.ceil((maxx - self.x0) / cell)) + 2
        self.ny = int(np.ceil((maxy - self.y0) / cell)) + 2
        self.x1, self.y1 = self.x0 + self.nx * cell, self.y0 + self.ny * cell
        codes = self._classify()
        self.codes = codes.ravel()
        self.reach = _dilate(codes != _OUTSIDE, 1).ravel()

    def _classify(self) -> np.ndarray:
        cols, rows = np.meshgrid(np.arange(self.nx), np.arange(self.ny))
        centre_x, centre_y = self.x0 + (cols + 0.5) * self.cell, self.y0 + (rows + 0.5) * self.cell
        codes = shapely.contains_xy(self.area, centre_x, centre_y).astype(np.uint8)
        samples = shapely.get_coordinates(shapely.segmentize(self.area.boundary, self.cell / 2))
        sampled = np.zeros(codes.shape, dtype=bool)
        sampled.ravel()[self._cells(samples[:, 0], samples[:, 1])] = True
        codes[_dilate(sampled, 1)] = _EDGE
        return codes

    def _cells(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Flat cell index of points known to be on the grid."""
        cols = ((x - self.x0) * (1.0 / self.cell)).astype(np.intp)
        rows = ((y - self.y0) * (1.0 / self.cell)).astype(np.intp)
        np.minimum(cols, self.nx - 1, out=cols)
        np.minimum(rows, self.ny - 1, out=rows)
        return rows * self.nx + cols

    def _lookup(self, table: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        on_grid = (x >= self.x0) & (x < self.x1) & (y >= self.y0) & (y < self.y1)
        if on_grid.all():
            return table.take(self._cells(x, y))
        found = np.zeros(x.shape, dtype=table.dtype)
        found[on_grid] = table.take(self._cells(x[on_grid], y[on_grid]))
        return found

    def contains(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Exact point-in-polygon for 1-d float arrays (points on the outline count as outside)."""
        codes = self._lookup(self.codes, x, y)
        inside = codes == _INSIDE
        edge = np.flatnonzero(codes == _EDGE)
        if edge.size:
            inside[edge] = shapely.contains_xy(self.area, x[edge], y[edge])
        return inside

    def contains_or_touches(self, x: np.ndarray, y: np.ndarray, tolerance: float) -> np.ndarray:
        """Inside, or within ``tolerance`` degrees of the outline: an inverse solution is only that close to the
        true point, which may lie inside by less than that."""
        inside = self.contains(x, y)
        near = np.flatnonzero(~inside & (self._lookup(self.codes, x, y) == _EDGE))
        if near.size:
            inside[near] = shapely.dwithin(self.area, shapely.points(x[near], y[near]), tolerance)
        return inside

    def may_reach(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """False where every point within one cell is outside the offset area."""
        return self._lookup(self.reach, x, y)


@cache
def mainland_mask() -> MainlandMask:
    return MainlandMask(mainland())
