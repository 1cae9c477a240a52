"""WGS84 <-> GCJ-02 (Amap, Tencent) <-> BD-09 (Baidu), vectorised, in (lon, lat) order everywhere.

Every function takes Python floats (and returns a tuple of floats) or numpy arrays of any shape (and returns
float64 arrays of that shape). Points outside the mainland offset area (gis.china) come back unchanged, as
the platforms apply no offset there; so do NaN and infinite values.

The forward formulas are the public ones (DOMAIN.md). GCJ-02 is evaluated so that a million points take
well under a second: its twelve sines are all sines of integer multiples of two base angles, so they come
from two unit phasors raised to those powers by complex multiplication; this agrees with the textbook
evaluation to about 1e-16 degrees (tests/gis/test_coords_agree_with_prcoords.py). Large inputs are cut into
cache-sized chunks, run on every core (numpy releases the GIL).

The inverses are exact: the fixed-point iteration w <- g - offset(w), run only on elements that have not
converged, stops once a step moves a point by less than STEP_TOLERANCE. The offsets change by under 3 % of
any change in position, so the error left is below 3 % of the last step: round trips close to about 1e-11
degrees (1 mm is 1e-8 degrees). The BD-09 offset inside the iteration is written without atan2 (see
_bd09_offset_fast); it differs from the textbook form by about 1e-13 degrees.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache, partial

import numpy as np
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gis.china import mainland_mask
from gis.errors import CoordinateSystemError

# Krasovsky 1940 ellipsoid, as used by GCJ-02.
KRASOVSKY_A = 6378245.0
KRASOVSKY_EE = 0.00669342162296594323
BD_X_PI = np.pi * 3000.0 / 180.0
BD_DLON, BD_DLAT = 0.0065, 0.006

STEP_TOLERANCE = 1e-9
MAX_ITERATIONS = 20
CHUNK = 1 << 16

_LAT_SCALE = 180.0 / (KRASOVSKY_A * (1.0 - KRASOVSKY_EE) * np.pi)
_LON_SCALE = 180.0 / (KRASOVSKY_A * np.pi)
_PHASOR_35N = np.exp(1j * np.radians(35.0))

Offset = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _unit_phasor(angle: np.ndarray) -> np.ndarray:
    """exp(i * angle) for |angle| < pi / 2, with one sine and a square root instead of sin and cos."""
    phasor = np.empty(angle.shape, dtype=np.complex128)
    phasor.imag = np.sin(angle)
    phasor.real = np.sqrt((1.0 - phasor.imag) * (1.0 + phasor.imag))
    return phasor


def _gcj02_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(d_lon, d_lat) in degrees from WGS84 to GCJ-02, for points inside the mainland area only.

    With b = pi x / 120 and c = pi y / 180 (|b| < 0.9 and |c| < 0.4 there), the sines the formula needs
    are sin(k b) for k = 4, 10, 40, 120, 240, 720 and sin(k c) for k = 6, 15, 60, 180. The coefficients
    (20 sin a + 20 sin b) * 2 / 3 and the like are folded into single constants.
    """
    x, y = lon - 105.0, lat - 35.0
    b1 = _unit_phasor(x * (np.pi / 120.0))
    b2 = b1 * b1
    b4 = b2 * b2
    b10 = b4 * b4 * b2
    b20 = b10 * b10
    b40 = b20 * b20
    b120 = b40 * b40 * b40
    b240 = b120 * b120
    b720 = b240 * b240 * b240
    c1 = _unit_phasor(y * (np.pi / 180.0))
    c3 = c1 * c1 * c1
    c6 = c3 * c3
    c15 = c6 * c6 * c3
    c60 = c15 * c15
    c60 *= c60
    c180 = c60 * c60 * c60
    root = np.sqrt(np.abs(x))
    shared = 0.1 * x * y + (40.0 / 3.0) * (b720.imag + b240.imag)
    t_lat = (shared + (-100.0 + 2.0 * x + (3.0 + 0.2 * y) * y + 0.2 * root)
             + (40.0 / 3.0) * c180.imag + (80.0 / 3.0) * c60.imag
             + (320.0 / 3.0) * c15.imag + (640.0 / 3.0) * c6.imag)
    t_lon = (shared + (300.0 + (1.0 + 0.1 * x) * x + 2.0 * y + 0.1 * root)
             + (40.0 / 3.0) * b120.imag + (80.0 / 3.0) * b40.imag
             + 100.0 * b10.imag + 200.0 * b4.imag)
    phi = c1 * _PHASOR_35N
    sin_phi = phi.imag
    m = 1.0 - KRASOVSKY_EE * sin_phi * sin_phi
    sqrt_m = np.sqrt(m)
    return t_lon * _LON_SCALE * sqrt_m / phi.real, t_lat * _LAT_SCALE * (m * sqrt_m)


def _bd09_from_gcj02(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * BD_X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * BD_X_PI)
    return z * np.cos(theta) + BD_DLON, z * np.sin(theta) + BD_DLAT


def _sin_pi(t: np.ndarray) -> np.ndarray:
    """sin(pi t), reducing t to [-1, 1] first: numpy's sine is twice as fast on small angles."""
    return np.sin(np.pi * (t - 2.0 * np.round(0.5 * t)))


def _bd09_offset_fast(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(d_lon, d_lat) from GCJ-02 to BD-09 without atan2, cos and sin of theta, for the inverse iteration.

    theta = atan2(lat, lon) + delta with delta = 3e-6 cos(lon x_pi) < 3e-6, so z cos(theta) and z sin(theta)
    are z / r (lon cos(delta) - lat sin(delta)) and z / r (lat cos(delta) + lon sin(delta)), with
    cos(delta) = 1 - delta^2 / 2 and sin(delta) = delta - delta^3 / 6 exact in double precision. This
    agrees with _bd09_from_gcj02 to about 1e-13 degrees.
    """
    r = np.sqrt(lon * lon + lat * lat)
    z_over_r = 1.0 + 0.00002 * _sin_pi(lat * (3000.0 / 180.0)) / r
    delta = 0.000003 * _sin_pi(lon * (3000.0 / 180.0) + 0.5)
    half_delta2 = 0.5 * delta * delta
    cos_d, sin_d = 1.0 - half_delta2, delta * (1.0 - half_delta2 / 3.0)
    return (z_over_r * (lon * cos_d - lat * sin_d) - lon + BD_DLON,
            z_over_r * (lat * cos_d + lon * sin_d) - lat + BD_DLAT)


def _bd09_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    bd_lon, bd_lat = _bd09_from_gcj02(lon, lat)
    return bd_lon - lon, bd_lat - lat


def _wgs84_to_bd09_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    d_lon, d_lat = _gcj02_offset(lon, lat)
    bd_lon, bd_lat = _bd09_from_gcj02(lon + d_lon, lat + d_lat)
    return bd_lon - lon, bd_lat - lat


def _wgs84_to_bd09_offset_fast(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    d_lon, d_lat = _gcj02_offset(lon, lat)
    gcj_lon, gcj_lat = lon + d_lon, lat + d_lat
    e_lon, e_lat = _bd09_offset_fast(gcj_lon, gcj_lat)
    return d_lon + e_lon, d_lat + e_lat


def in_china(lon, lat):
    """Whether the platforms offset this point: inside the approximate mainland area of gis.china."""
    x, y, shape = _flat(lon, lat)
    inside = np.empty(x.shape, dtype=bool)

    def run(part: slice) -> None:
        inside[part] = mainland_mask().contains(x[part], y[part])

    _each_chunk(run, x.size)
    return bool(inside[0]) if shape is None else inside.reshape(shape)


def _flat(lon, lat) -> tuple[np.ndarray, np.ndarray, tuple[int, ...] | None]:
    """Contiguous 1-d float64 copies of the inputs, and their shape (None for two scalars)."""
    x, y = np.broadcast_arrays(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    shape = None if x.ndim == 0 else x.shape
    return np.array(x, copy=True).ravel(), np.array(y, copy=True).ravel(), shape


def _result(x: np.ndarray, y: np.ndarray, shape):
    if shape is None:
        return float(x[0]), float(y[0])
    return x.reshape(shape), y.reshape(shape)


@cache
def _executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="gis-coords")


os.register_at_fork(after_in_child=_executor.cache_clear)  # a forked worker cannot use its parent's threads


@cache
def _prepare() -> None:
    """Build the mask before any worker thread needs it, and free one 16 MB block.

    glibc serves blocks of 128 KB or more with a fresh mmap whose pages then fault in, and trims its heap
    when twice that is free, which makes a chunk's temporaries three times slower; freeing a large mmap'ed
    block raises both thresholds (as any process that handles large arrays soon does by itself).
    """
    mainland_mask()
    np.empty(1 << 21, dtype=np.float64)


def _each_chunk(run: Callable[[slice], None], size: int) -> None:
    """Run over cache-sized slices, on every core when there is more than one slice (numpy drops the GIL)."""
    _prepare()
    workers = os.cpu_count() or 1
    count = -(-size // CHUNK)
    count = -(-count // workers) * workers if count > 1 else count  # equal shares for every core
    bounds = np.linspace(0, size, count + 1).astype(int) if size else []
    parts = [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    if len(parts) <= 1:
        for part in parts:
            run(part)
    else:
        for _done in _executor().map(run, parts):
            pass


def _forward(offset: Offset, lon, lat):
    x, y, shape = _flat(lon, lat)

    def run(part: slice) -> None:
        px, py = x[part], y[part]
        inside = mainland_mask().contains(px, py)
        if inside.all():
            d_lon, d_lat = offset(px, py)
            px += d_lon
            py += d_lat
        elif inside.any():
            d_lon, d_lat = offset(px[inside], py[inside])
            px[inside] += d_lon
            py[inside] += d_lat

    _each_chunk(run, x.size)
    return _result(x, y, shape)


def _inverse(offset: Offset, lon, lat):
    """Solve w + offset(w) = g; keep a solution only where it lies in the mainland area, else return g.

    Points in grid cells that the mask marks as out of reach cannot have a preimage inside (the offsets are
    smaller than a cell), so they are not iterated.
    """
    x, y, shape = _flat(lon, lat)

    def run(part: slice) -> None:
        px, py = x[part], y[part]
        mask = mainland_mask()
        index = np.flatnonzero(mask.may_reach(px, py))
        if index.size:
            w_lon, w_lat = solve_fixed_point(offset, px[index], py[index])
            keep = mask.contains_or_touches(w_lon, w_lat, STEP_TOLERANCE)
            px[index[keep]] = w_lon[keep]
            py[index[keep]] = w_lat[keep]

    _each_chunk(run, x.size)
    return _result(x, y, shape)


# The public transforms: each applies an offset (_forward) or solves for the point it moved (_inverse).
wgs84_to_gcj02 = partial(_forward, _gcj02_offset)
gcj02_to_bd09 = partial(_forward, _bd09_offset)
wgs84_to_bd09 = partial(_forward, _wgs84_to_bd09_offset)  # offset when the WGS84 point is in the mainland area
gcj02_to_wgs84 = partial(_inverse, _gcj02_offset)
bd09_to_gcj02 = partial(_inverse, _bd09_offset_fast)
bd09_to_wgs84 = partial(_inverse, _wgs84_to_bd09_offset_fast)


def _moving(step_lon: np.ndarray, step_lat: np.ndarray) -> np.ndarray:
    """Steps not yet within the tolerance; NaN counts as moving, so it cannot pass for converged."""
    return ~((np.abs(step_lon) <= STEP_TOLERANCE) & (np.abs(step_lat) <= STEP_TOLERANCE))


def solve_fixed_point(offset: Offset, g_lon: np.ndarray, g_lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """w with w + offset(w) = g, iterating only on the elements still moving by more than the tolerance."""
    d_lon, d_lat = offset(g_lon, g_lat)
    w_lon, w_lat = g_lon - d_lon, g_lat - d_lat
    active = np.flatnonzero(_moving(d_lon, d_lat))
    for _step in range(MAX_ITERATIONS):
        if active.size == 0:
            break
        old_lon, old_lat = w_lon[active], w_lat[active]
        d_lon, d_lat = offset(old_lon, old_lat)
        new_lon, new_lat = g_lon[active] - d_lon, g_lat[active] - d_lat
        w_lon[active], w_lat[active] = new_lon, new_lat
        active = active[_moving(new_lon - old_lon, new_lat - old_lat)]
    if active.size == 0:
        return w_lon, w_lat
    first = int(active[0])
    raise CoordinateSystemError(
        format_lazy(_("The inverse transformation did not converge: {count} points still short of the precision after {steps} iterations"),
                    count=active.size, steps=MAX_ITERATIONS),
        code="inverse_not_converged",
        where={"coordinate": [float(g_lon[first]), float(g_lat[first])]},
    )
