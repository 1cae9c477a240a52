"""The coordinate systems the product speaks, the one way to name them, and the one way to move between them.

Storage is CGCS2000 (EPSG:4490); at map scale it coincides with WGS84 (EPSG:4326), so the two are treated as
the same coordinates. Tiles use Web Mercator (EPSG:3857); metric work around Wenzhou uses CGCS2000 3-degree
Gauss-Kruger CM 120E (EPSG:4549, false easting 500 km, no zone prefix). GCJ-02 and BD-09 are not datums but
obfuscations of WGS84 (gis.coords) and have no SRID.

Axis order is always (x, y) = (lon, lat) or (easting, northing), whatever a system's official axis order
is: EPSG:4326 officially puts latitude first and EPSG:4549 northing first, and both are routinely written
the other way round in files. gis.intake catches swapped axes by where they land.
"""

from __future__ import annotations

import enum
import numbers
import re
from functools import cache

import numpy as np
import pyproj
import shapely
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gis import coords
from gis.errors import CoordinateSystemError, shown

STORAGE_SRID = 4490
WGS84_SRID = 4326
TILE_SRID = 3857
METRIC_SRID = 4549


class CRS(enum.Enum):
    WGS84 = "EPSG:4326"
    CGCS2000 = "EPSG:4490"
    WEB_MERCATOR = "EPSG:3857"
    CGCS2000_GK_CM120E = "EPSG:4549"
    GCJ02 = "gcj02"
    BD09 = "bd09"

    @property
    def srid(self) -> int | None:
        return int(self.value[5:]) if self.value.startswith("EPSG:") else None

    @property
    def is_pseudo(self) -> bool:
        """An offset system of a Chinese platform: (lon, lat) degrees, but no datum and no SRID."""
        return self.srid is None

    @property
    def is_geographic(self) -> bool:
        return self not in (CRS.WEB_MERCATOR, CRS.CGCS2000_GK_CM120E)

    @property
    def label(self):
        return _LABELS[self]


_LABELS = {
    CRS.WGS84: _("WGS84 (EPSG:4326)"),
    CRS.CGCS2000: _("CGCS2000 geodetic (EPSG:4490)"),
    CRS.WEB_MERCATOR: _("Web Mercator (EPSG:3857)"),
    CRS.CGCS2000_GK_CM120E: _("CGCS2000 Gauss-Krüger 3-degree zone, central meridian 120°E (EPSG:4549)"),
    CRS.GCJ02: _("GCJ-02 (Amap, Tencent)"),
    CRS.BD09: _("BD-09 (Baidu)"),
}

_BY_SRID = {4326: CRS.WGS84, 4490: CRS.CGCS2000, 3857: CRS.WEB_MERCATOR, 900913: CRS.WEB_MERCATOR,
            102100: CRS.WEB_MERCATOR, 102113: CRS.WEB_MERCATOR, 4549: CRS.CGCS2000_GK_CM120E}

# Names after lower-casing and dropping spaces, hyphens and underscores.
_BY_NAME = {
    "wgs84": CRS.WGS84, "wgs1984": CRS.WGS84, "gps": CRS.WGS84, "crs84": CRS.WGS84, "ogc:crs84": CRS.WGS84,
    "urn:ogc:def:crs:ogc:1.3:crs84": CRS.WGS84, "urn:ogc:def:crs:ogc::crs84": CRS.WGS84,
    "cgcs2000": CRS.CGCS2000, "国家2000": CRS.CGCS2000, "2000国家大地坐标系": CRS.CGCS2000,
    "webmercator": CRS.WEB_MERCATOR, "pseudomercator": CRS.WEB_MERCATOR,
    "gcj02": CRS.GCJ02, "gcj": CRS.GCJ02, "amap": CRS.GCJ02, "autonavi": CRS.GCJ02, "gaode": CRS.GCJ02,
    "高德": CRS.GCJ02, "tencent": CRS.GCJ02, "火星坐标": CRS.GCJ02, "火星坐标系": CRS.GCJ02,
    "bd09": CRS.BD09, "bd09ll": CRS.BD09, "baidu": CRS.BD09, "百度": CRS.BD09, "百度坐标": CRS.BD09,
}
_UNSUPPORTED = {"bd09mc", "bd09mercator", "baidumercator", "百度墨卡托"}

_SRID_FORMS = (
    re.compile(r"^(\d+)$"),
    re.compile(r"^epsg:{1,2}(\d+)$"),
    re.compile(r"^urn:ogc:def:crs:epsg:[\d.]*:(\d+)$"),
    re.compile(r"^https?://www\.opengis\.net/def/crs/epsg/[\d.]+/(\d+)$"),
)
_CRS84_URL = re.compile(r"^https?://www\.opengis\.net/def/crs/ogc/1\.3/crs84$")

SUPPORTED = _("Supported coordinate systems: EPSG:4490, EPSG:4326, EPSG:3857, EPSG:4549, gcj02, bd09")


def parse_crs(value) -> CRS:
    """The CRS that `value` names: a CRS, an SRID, an EPSG code, URN or URL, or a name such as "gcj02"."""
    if isinstance(value, CRS):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CoordinateSystemError(_("No coordinate system declared: say which system the coordinates are in"), code="missing_crs",
                                    hint=SUPPORTED)
    found = _from_srid(value) if isinstance(value, numbers.Integral) and not isinstance(value, bool) \
        else _from_text(value) if isinstance(value, str) else None
    if found is None:
        raise CoordinateSystemError(format_lazy(_("Unknown coordinate system: {value}"), value=shown(value)),
                                    code="unknown_crs", where={"value": shown(value)}, hint=SUPPORTED)
    return found


def _from_srid(srid: int) -> CRS | None:
    return _BY_SRID.get(int(srid))


def _from_text(text: str) -> CRS | None:
    key = re.sub(r"[\s_\-]", "", text).lower()
    if key in _UNSUPPORTED:
        raise CoordinateSystemError(_("Baidu Mercator coordinates (BD09MC) are not supported: use longitude and latitude (bd09ll)"),
                                    code="unsupported_crs", where={"value": text}, hint=SUPPORTED)
    if key in _BY_NAME:
        return _BY_NAME[key]
    if _CRS84_URL.match(key):
        return CRS.WGS84
    for form in _SRID_FORMS:
        match = form.match(key)
        if match:
            return _from_srid(int(match.group(1)))
    return None


# The (lon, lat) frames the offsets move between; WGS84 and CGCS2000 are one frame.
_FRAME_CONVERTERS = {
    ("wgs", CRS.GCJ02): coords.wgs84_to_gcj02,
    ("wgs", CRS.BD09): coords.wgs84_to_bd09,
    (CRS.GCJ02, "wgs"): coords.gcj02_to_wgs84,
    (CRS.GCJ02, CRS.BD09): coords.gcj02_to_bd09,
    (CRS.BD09, "wgs"): coords.bd09_to_wgs84,
    (CRS.BD09, CRS.GCJ02): coords.bd09_to_gcj02,
}


def _frame(crs: CRS):
    return crs if crs.is_pseudo else "wgs"


@cache
def _projection(srid: int, inverse: bool) -> pyproj.Transformer:
    """Between a projected SRID and the geographic system it is defined on (3857: WGS84, 4549: CGCS2000)."""
    geographic = WGS84_SRID if srid == TILE_SRID else STORAGE_SRID
    source, target = (srid, geographic) if inverse else (geographic, srid)
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def transform_xy(x, y, src, dst):
    """Coordinates from `src` to `dst` (anything parse_crs takes); floats in, floats out; arrays keep shape."""
    src, dst = parse_crs(src), parse_crs(dst)
    scalar = np.ndim(x) == 0 and np.ndim(y) == 0
    x, y = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
    x, y = x.copy(), y.copy()
    if src is not dst:
        if not src.is_geographic:
            x, y = _projection(src.srid, True).transform(x, y)
        convert = _FRAME_CONVERTERS.get((_frame(src), _frame(dst)))
        if convert is not None:
            x, y = convert(x, y)
        if not dst.is_geographic:
            x, y = _projection(dst.srid, False).transform(x, y)
    if scalar:
        return float(x), float(y)
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def is_geos_geometry(geom) -> bool:
    from django.contrib.gis.geos import GEOSGeometry

    return isinstance(geom, GEOSGeometry)


def transform_geometry(geom, src=None, dst=CRS.CGCS2000):
    """A new geometry with every coordinate moved from `src` to `dst` in one vectorised call.

    Takes a shapely geometry or a django GEOSGeometry (any type, multi-part, with holes, with Z, which is
    kept unchanged) and returns the same kind; the caller's geometry is never touched. A GEOSGeometry's
    own SRID is the default `src`, and the result carries `dst`'s SRID (None for GCJ-02 and BD-09).
    """
    geos = is_geos_geometry(geom)
    if src is None and geos and geom.srid:
        src = geom.srid
    src, dst = parse_crs(src), parse_crs(dst)
    shape = shapely.from_wkb(bytes(geom.wkb)) if geos else geom

    def move(xyz: np.ndarray) -> np.ndarray:
        out = xyz.copy()
        out[:, 0], out[:, 1] = transform_xy(xyz[:, 0], xyz[:, 1], src, dst)
        return out

    moved = shapely.transform(shape, move, include_z=None) if src is not dst else shape
    if geos:
        from django.contrib.gis.geos import GEOSGeometry

        return GEOSGeometry(memoryview(shapely.to_wkb(moved)), srid=dst.srid)
    return shapely.set_srid(moved, dst.srid or 0)


def to_storage(geom, src=None):
    """The geometry in storage coordinates (EPSG:4490)."""
    return transform_geometry(geom, src, CRS.CGCS2000)


def to_storage_xy(x, y, src):
    return transform_xy(x, y, src, CRS.CGCS2000)


_GEOD = pyproj.Geod(ellps="GRS80")  # the CGCS2000 ellipsoid differs from GRS80 by 0.1 mm in the semi-minor axis


def distance_m(a, b) -> float:
    """Metres between two points in storage coordinates (lon, lat), on the ellipsoid."""
    return float(_GEOD.inv(a.x, a.y, b.x, b.y)[2])
