"""The DEM the office works with, and how many observers along a corridor see each grave (issue 17).

The DEM is the user's: `manage.py load_dem PATH` checks a GeoTIFF or an SRTM .hgt and registers it (the newest
registered one is used), else the DIMING_DEM_PATH setting names one; without either, visibility is not computed and
the pages say so. A DEM is only ever opened by the one GDAL driver its format names, with GDAL's network off
(gis.gdal_files.open_raster).

A corridor's counts: observers every CEMETERIES_OBSERVER_SPACING_M metres along each of its lines at the driver's
eye height; each grave's count is the number of them that see a mound of CEMETERIES_GRAVE_HEIGHT_M on the grave's
cell (cemeteries.viewshed.corridor_visibility, the same sweep as gdal_viewshed), within CEMETERIES_SIGHT_RADIUS_M.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from cemeteries.viewshed import corridor_points, corridor_terrain, corridor_visibility


@dataclass(frozen=True)
class DemFacts:
    """What `load_dem` found in a DEM file."""

    path: str
    driver: str
    crs: str
    width: int
    height: int
    cell_m: float
    bounds: tuple[float, float, float, float]  # west, south, east, north in WGS84 degrees


@dataclass(frozen=True)
class SightParams:
    spacing_m: float
    eye_m: float
    target_m: float
    radius_m: float

    @classmethod
    def from_settings(cls) -> SightParams:
        return cls(settings.CEMETERIES_OBSERVER_SPACING_M, settings.CEMETERIES_EYE_HEIGHT_M,
                   settings.CEMETERIES_GRAVE_HEIGHT_M, settings.CEMETERIES_SIGHT_RADIUS_M)


def describe_dem(path: Path) -> DemFacts:
    """The facts of the DEM at `path`, or an InputError (not a GeoTIFF/HGT, unreadable, no CRS, no heights)."""
    from django.utils.translation import gettext as _
    from rasterio.warp import transform_bounds

    from gis.errors import InputError
    from gis.gdal_files import open_raster

    path = Path(path)
    with open_raster(path) as dem:
        if dem.crs is None:
            raise InputError(_("The DEM %(file)s has no coordinate reference system.") % {"file": path.name},
                             code="no_crs")
        if dem.count < 1 or dem.width < 2 or dem.height < 2:
            raise InputError(_("The DEM %(file)s holds no grid of heights.") % {"file": path.name},
                             code="no_heights")
        west, south, east, north = transform_bounds(dem.crs, "EPSG:4326", *dem.bounds, densify_pts=21)
        cell = abs(dem.transform.a) * (111_320.0 * math.cos(math.radians((south + north) / 2))
                                       if dem.crs.is_geographic else 1.0)
        return DemFacts(str(path.resolve()), dem.driver, dem.crs.to_string(), dem.width, dem.height, round(cell, 3),
                        (west, south, east, north))


def current_dem() -> Path | None:
    """The DEM visibility is computed on: the newest registered one whose file is still there, else the setting's."""
    from cemeteries.campaign_models import ElevationModel

    registered = ElevationModel.objects.order_by("-registered_at", "-id").first()
    if registered is not None and Path(registered.path).is_file():
        return Path(registered.path)
    configured = getattr(settings, "CEMETERIES_DEM_PATH", "")
    if configured and Path(configured).is_file():
        return Path(configured)
    return None


def counts_along(dem_path: Path, lines_xy: list[np.ndarray], targets_xy: np.ndarray, params: SightParams,
                 progress=None) -> tuple[np.ndarray, int]:
    """How many observers along `lines_xy` (EPSG:4549 polylines) see each target (EPSG:4549 points): an int array
    in the targets' order (0 for a target off the DEM), and the number of observers."""
    targets_xy = np.asarray(targets_xy, dtype=float).reshape(-1, 2)
    points = np.concatenate([corridor_points(line, params.spacing_m) for line in lines_xy if len(line) >= 2])
    if len(targets_xy) == 0 or len(points) == 0:
        return np.zeros(len(targets_xy), dtype=int), len(points)
    terrain = corridor_terrain(dem_path, points, params.radius_m)
    counts = np.zeros(terrain.heights.shape, dtype=np.uint16)
    step = 50
    for start in range(0, len(points), step):
        counts += corridor_visibility(terrain, points[start:start + step], target_height=params.target_m,
                                      radius=params.radius_m, observer_height=params.eye_m)
        if progress:
            progress("observers", min(start + step, len(points)), len(points))
    cols, rows = ~terrain.transform @ (targets_xy[:, 0], targets_xy[:, 1])
    rows, cols = np.floor(rows).astype(int), np.floor(cols).astype(int)
    inside = (rows >= 0) & (rows < counts.shape[0]) & (cols >= 0) & (cols < counts.shape[1])
    found = np.zeros(len(targets_xy), dtype=int)
    found[inside] = counts[rows[inside], cols[inside]]
    return found, len(points)
