"""Random points for the coordinate tests."""

import numpy as np
import shapely

from gis.china import mainland


def mainland_points(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Uniform random points inside the mainland polygon (by the exact polygon test, not the raster)."""
    rng = np.random.default_rng(seed)
    min_lon, min_lat, max_lon, max_lat = mainland().bounds
    lon, lat = np.empty(0), np.empty(0)
    while lon.size < count:
        x, y = rng.uniform(min_lon, max_lon, 2 * count), rng.uniform(min_lat, max_lat, 2 * count)
        inside = shapely.contains_xy(mainland(), x, y)
        lon, lat = np.concatenate([lon, x[inside]]), np.concatenate([lat, y[inside]])
    return lon[:count], lat[:count]
