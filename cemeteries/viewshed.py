"""Which cells of a DEM can be seen from a point, and how many points along a road see each cell (issue 17).

The terrain is read with rasterio and handled in metres in EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E):
a DEM in another CRS (an SRTM tile in EPSG:4326) has the window around the observers reprojected once
(`load_terrain`), then every observer shares it.

Line of sight, as `gdal_viewshed` computes it: the observer stands `observer_height` metres above the ground of the
cell that holds him; heights are lowered by `curvature * d**2 / SPHERE_DIAMETER` (GDAL's -cc, 0.85714 by default: the
earth's curvature less the air's refraction; 0 for a flat earth); the sight line carried over each cell is
interpolated from the cells next to it towards the observer (Wang, Robinson and White's reference planes, 2000); a
cell is visible when its ground plus `target_height` is not below that line. `visible_cells` says how the sweep is
vectorised.
"""

from __future__ import annotations

import contextlib
import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.utils.translation import gettext_noop

METRIC_CRS = "EPSG:4549"
SPHERE_DIAMETER = 2 * 6_378_137.0  # metres: gdal_viewshed takes twice the semi-major axis of the CRS (CGCS2000)
GDAL_CURVATURE = 0.85714
VISIBLE, HIDDEN, OUTSIDE = 1, 0, 255  # the single-observer GeoTIFF's values; OUTSIDE is its nodata


class ViewshedError(ValueError):
    """An input the viewshed cannot use: an English message (a msgid, translated where it is shown) and its
    parameters; the command shows it without a traceback."""

    def __init__(self, message: str, **params):
        self.message_id, self.params = message, params
        super().__init__(message % params)


@dataclass
class Terrain:
    """Ground heights on a square-celled grid in metres (EPSG:4549); NaN where the DEM has no value."""

    heights: np.ndarray  # float64 (rows, cols)
    transform: object  # affine.Affine, EPSG:4549
    cell: float  # metres

    def cell_of(self, x: float, y: float) -> tuple[int, int]:
        col, row = ~self.transform @ (x, y)
        return math.floor(row), math.floor(col)

    def contains(self, x: float, y: float) -> bool:
        row, col = self.cell_of(x, y)
        rows, cols = self.heights.shape
        return 0 <= row < rows and 0 <= col < cols and not np.isnan(self.heights[row, col])


@functools.cache
def _to_metric():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


def to_metric(lon, lat):
    """WGS84 longitudes/latitudes to EPSG:4549 x, y (arrays or numbers)."""
    return _to_metric().transform(lon, lat)


def open_dem(stack: contextlib.ExitStack, path):
    """The DEM at `path` opened in `stack` by the one driver its format names (gis.gdal_files), network off."""
    from gis.errors import InputError
    from gis.gdal_files import open_raster

    try:
        return stack.enter_context(open_raster(Path(path)))
    except InputError as exc:
        raise ViewshedError(gettext_noop("The DEM %(path)s cannot be read as a raster."), path=path) from exc


def load_terrain(path, bounds: tuple[float, float, float, float], cell: float | None = None) -> Terrain:
    """The ground within `bounds` (minx, miny, maxx, maxy in EPSG:4549 metres) of the DEM at `path`, in EPSG:4549.

    A DEM already in EPSG:4549 is read as it is (its own cells); any other is reprojected (bilinear) onto square
    cells of `cell` metres, by default the DEM's own cell size in metres along its rows."""
    from rasterio.crs import CRS
    from rasterio.enums import Resampling
    from rasterio.warp import reproject, transform_bounds
    from rasterio.windows import Window, from_bounds

    with contextlib.ExitStack() as stack:
        dem = open_dem(stack, path)
        if dem.crs is None:
            raise ViewshedError(gettext_noop("The DEM %(path)s has no coordinate reference system."), path=path)
        metric = CRS.from_string(METRIC_CRS)
        if dem.crs == metric:
            window = _clip(_outward(from_bounds(*bounds, transform=dem.transform)), dem)
            heights = dem.read(1, window=window, masked=True).astype("float64").filled(np.nan)
            return Terrain(heights, dem.window_transform(window), abs(dem.transform.a))
        src_bounds = transform_bounds(metric, dem.crs, *bounds, densify_pts=21)
        window = _outward(from_bounds(*src_bounds, transform=dem.transform))
        window = Window(window.col_off - 2, window.row_off - 2, window.width + 4, window.height + 4)
        window = _clip(window, dem)
        source = dem.read(1, window=window, masked=True).astype("float64").filled(np.nan)
        source_transform = dem.window_transform(window)
        if cell is None:
            cell = abs(dem.transform.e) * (111_320.0 if dem.crs.is_geographic else 1.0)
    minx, miny, maxx, maxy = bounds
    cols, rows = max(1, math.ceil((maxx - minx) / cell)), max(1, math.ceil((maxy - miny) / cell))
    from affine import Affine

    transform = Affine(cell, 0, math.floor(minx / cell) * cell, 0, -cell, math.ceil(maxy / cell) * cell)
    heights = np.full((rows + 1, cols + 1), np.nan)
    reproject(source, heights, src_transform=source_transform, src_crs=dem.crs, src_nodata=np.nan,
              dst_transform=transform, dst_crs=metric, dst_nodata=np.nan, resampling=Resampling.bilinear)
    return Terrain(heights, transform, cell)


def _outward(window):
    """The whole cells a fractional window touches."""
    from rasterio.windows import Window

    col, row = math.floor(window.col_off), math.floor(window.row_off)
    return Window(col, row, math.ceil(window.col_off + window.width) - col,
                  math.ceil(window.row_off + window.height) - row)


def _clip(window, dem):
    from rasterio.errors import WindowError
    from rasterio.windows import Window

    try:
        return window.intersection(Window(0, 0, dem.width, dem.height))
    except WindowError as exc:  # they do not meet
        raise ViewshedError(gettext_noop("The observer stands outside the DEM.")) from exc


def _quadrants(heights: np.ndarray, row: int, col: int, n: int) -> np.ndarray:
    """The (n+1, n+1) blocks of `heights` with the observer at [0, 0] and rows/columns growing away from him, one per
    quadrant (north-west, north-east, south-west, south-east), NaN off the terrain."""
    rows, cols = heights.shape
    padded = np.full((2 * n + 1, 2 * n + 1), np.nan)
    r0, r1, c0, c1 = max(0, row - n), min(rows, row + n + 1), max(0, col - n), min(cols, col + n + 1)
    padded[r0 - (row - n):r1 - (row - n), c0 - (col - n):c1 - (col - n)] = heights[r0:r1, c0:c1]
    north, south = padded[n::-1], padded[n:]
    return np.stack([north[:, n::-1], north[:, n:], south[:, n::-1], south[:, n:]])


def _unquadrants(quads: np.ndarray, n: int) -> np.ndarray:
    """The inverse of `_quadrants`: the (2n+1, 2n+1) square around the observer."""
    out = np.empty((2 * n + 1, 2 * n + 1), dtype=quads.dtype)
    out[n::-1, n::-1], out[n::-1, n:], out[n:, n::-1], out[n:, n:] = quads
    return out


def visible_cells(terrain: Terrain, row: int, col: int, observer_height: float, target_height: float,
                  radius: float, curvature: float = GDAL_CURVATURE) -> tuple[np.ndarray, slice, slice]:
    """The viewshed of the observer standing on cell (row, col): a uint8 array over the square window around the
    radius (clipped to the terrain) holding VISIBLE, HIDDEN or OUTSIDE (beyond the radius or off the DEM), and the
    window's slices into `terrain.heights`.

    The reference-plane sweep of Wang et al. (2000), as gdal_viewshed runs it ("edge" cell mode): each cell keeps the
    higher of its ground and the sight line carried to it, which is interpolated from the two cells next to it on the
    side of the observer; the four quadrants go together, and within each the cells nearer a row (column) than a
    diagonal are swept column by column (row by row) so that one step is one numpy operation over a whole line."""
    n = max(1, math.ceil(radius / terrain.cell))
    dj, di = np.mgrid[0:n + 1, 0:n + 1]
    distance = np.hypot(dj, di) * terrain.cell
    ground = _quadrants(terrain.heights, row, col, n) - curvature * distance**2 / SPHERE_DIAMETER
    eye = terrain.heights[row, col] + observer_height
    z = ground - eye  # heights relative to the eye
    stored = np.full_like(z, np.nan)
    seen = np.zeros(z.shape, dtype=bool)

    def settle(index, horizon):
        seen[index] = z[index] + target_height >= horizon
        stored[index] = np.fmax(z[index], horizon)

    stored[:, 0, 0] = ground[:, 0, 0] - eye
    seen[:, 0, 0] = True
    # the observer's row: its neighbours are seen; beyond, the steepest slope so far (GDAL's CalcHeightLine)
    seen[:, 0, 1], stored[:, 0, 1] = True, z[:, 0, 1]
    if n > 1:
        steps = np.arange(1, n + 1)
        slope = np.fmax.accumulate(z[:, 0, 1:] / steps, axis=1)
        settle((slice(None), 0, slice(2, None)), slope[:, :-1] * steps[1:])
    # the observer's column: the first cell is measured against the observer's ground, then the same
    settle((slice(None), 1, 0), stored[:, 0, 0])
    for j in range(2, n + 1):
        settle((slice(None), j, 0), stored[:, j - 1, 0] * j / (j - 1))
    # nearer the row: column by column (the diagonal cell extends the diagonal's line)
    for i in range(1, n + 1):
        settle((slice(None), i, i), stored[:, 0, 0] if i == 1 else stored[:, i - 1, i - 1] * i / (i - 1))
        if i > 1:
            j = np.arange(1, i)
            settle((slice(None), j, i), (stored[:, j - 1, i - 1] * j + stored[:, j, i - 1] * (i - j)) / (i - 1))
    # nearer the column: row by row
    for j in range(2, n + 1):
        i = np.arange(1, j)
        settle((slice(None), j, i), (stored[:, j - 1, i - 1] * i + stored[:, j - 1, i] * (j - i)) / (j - 1))

    result = np.where(seen, VISIBLE, HIDDEN).astype(np.uint8)
    result[np.isnan(ground) | (distance > radius)] = OUTSIDE
    result[:, 0, 0] = VISIBLE
    square = _unquadrants(result, n)
    rows, cols = terrain.heights.shape
    r0, r1, c0, c1 = max(0, row - n), min(rows, row + n + 1), max(0, col - n), min(cols, col + n + 1)
    out = square[r0 - (row - n):r1 - (row - n), c0 - (col - n):c1 - (col - n)]
    return out, slice(r0, r1), slice(c0, c1)


def viewshed(dem_path, lon: float, lat: float, observer_height: float, target_height: float, radius: float,
             out_path, curvature: float = GDAL_CURVATURE) -> dict:
    """Writes the single-observer viewshed as a GeoTIFF in EPSG:4549 (1 visible, 0 hidden, 255 = nodata outside the
    radius); returns counts of its cells."""
    _check_numbers(observer_height=observer_height, target_height=target_height, radius=radius)
    x, y = to_metric(lon, lat)
    margin = radius + 1
    terrain = load_terrain(dem_path, (x - margin, y - margin, x + margin, y + margin))
    if not terrain.contains(x, y):
        raise ViewshedError(gettext_noop("The observer stands outside the DEM (or on a cell without a height)."))
    row, col = terrain.cell_of(x, y)
    out, rs, cs = visible_cells(terrain, row, col, observer_height, target_height, radius, curvature)
    _write(out_path, out, terrain, rs, cs, nodata=OUTSIDE)
    return {"visible": int((out == VISIBLE).sum()), "hidden": int((out == HIDDEN).sum()), "cell": terrain.cell}


def corridor_points(line_xy: np.ndarray, spacing: float) -> np.ndarray:
    """Points every `spacing` metres along a polyline (an (n, 2) array of EPSG:4549 x, y), both ends included."""
    line_xy = np.asarray(line_xy, dtype=float)
    lengths = np.hypot(*np.diff(line_xy, axis=0).T)
    at = np.concatenate([[0.0], np.cumsum(lengths)])
    stations = np.append(np.arange(0.0, at[-1], spacing), at[-1])
    return np.column_stack([np.interp(stations, at, line_xy[:, 0]), np.interp(stations, at, line_xy[:, 1])])


def corridor_visibility(terrain: Terrain, points_xy: np.ndarray, target_height: float, radius: float,
                        observer_height: float = 1.2, curvature: float = GDAL_CURVATURE) -> np.ndarray:
    """How many of the observers (EPSG:4549 points, at driver's eye height by default) see each cell of the terrain
    (uint16, the terrain's grid); observers off the DEM are left out."""
    _check_numbers(observer_height=observer_height, target_height=target_height, radius=radius)
    counts = np.zeros(terrain.heights.shape, dtype=np.uint16)
    for x, y in np.asarray(points_xy, dtype=float):
        if not terrain.contains(x, y):
            continue
        row, col = terrain.cell_of(x, y)
        out, rs, cs = visible_cells(terrain, row, col, observer_height, target_height, radius, curvature)
        counts[rs, cs] += out == VISIBLE
    return counts


def corridor_terrain(dem_path, points_xy: np.ndarray, radius: float, cell: float | None = None) -> Terrain:
    """The terrain a corridor's observers share: the DEM around all of them, read and reprojected once."""
    points_xy = np.asarray(points_xy, dtype=float)
    (minx, miny), (maxx, maxy) = points_xy.min(axis=0), points_xy.max(axis=0)
    margin = radius + 1
    return load_terrain(dem_path, (minx - margin, miny - margin, maxx + margin, maxy + margin), cell)


def write_counts(out_path, counts: np.ndarray, terrain: Terrain) -> None:
    _write(out_path, counts, terrain, slice(0, counts.shape[0]), slice(0, counts.shape[1]), nodata=None)


def _write(out_path, array: np.ndarray, terrain: Terrain, rs: slice, cs: slice, nodata) -> None:
    import rasterio
    from rasterio.windows import Window

    transform = rasterio.windows.transform(Window(cs.start, rs.start, array.shape[1], array.shape[0]),
                                           terrain.transform)
    profile = {"driver": "GTiff", "width": array.shape[1], "height": array.shape[0], "count": 1,
               "dtype": array.dtype.name, "crs": METRIC_CRS, "transform": transform, "compress": "deflate"}
    if nodata is not None:
        profile["nodata"] = nodata
    with rasterio.open(out_path, "w", **profile) as dst:
        dst.write(array, 1)


def _check_numbers(observer_height: float, target_height: float, radius: float) -> None:
    if not (math.isfinite(radius) and radius > 0):
        raise ViewshedError(gettext_noop("The radius must be more than 0 metres."))
    if not (math.isfinite(observer_height) and observer_height >= 0):
        raise ViewshedError(gettext_noop("The observer height must be 0 metres or more."))
    if not (math.isfinite(target_height) and target_height >= 0):
        raise ViewshedError(gettext_noop("The target height must be 0 metres or more."))
