"""The single door through which untrusted geometry enters the database (API, file import, tablet).

`intake_geometry` takes GeoJSON (a dict or text; a geometry or a Feature), WKT or EWKT, a django
GEOSGeometry, or a (lon, lat) pair, in a coordinate system the caller declares (GeoJSON defaults to WGS84
as RFC 7946 says, unless it carries a legacy "crs" member; EWKT and GEOSGeometry carry their SRID). It
returns an `IntakeResult`: a valid GEOSGeometry in EPSG:4490 and notes on what was changed on the way; or it
raises a gis.errors error that says what is wrong and where: `where` names the part, ring (0 is the exterior)
and vertex (0-based), the coordinate as given, and the caller's field.

Checks, in order: structure (types, nesting, finite numbers, closed rings, enough points, a vertex budget),
emptiness, the expected geometry type, swapped axes, valid ranges, the service area, then OGC validity
(rejected, or repaired with make_valid when the caller asks). Z and M values are dropped with a note.
"""

from __future__ import annotations

import json
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import shapely
from django.core.exceptions import ImproperlyConfigured
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gis.crs import (
    CRS,
    METRIC_SRID,
    STORAGE_SRID,
    is_geos_geometry,
    parse_crs,
    to_storage,
    to_storage_xy,
    transform_geometry,
    transform_xy,
)
from gis.errors import (
    CoordinateSystemError,
    DimingError,
    GeometryError,
    InputError,
    OutsideServiceAreaError,
    SwappedAxesError,
    shown,
)
from gis.wkt import GEOMETRY_TYPES as _TYPES
from gis.wkt import WktReader

DEFAULT_MAX_VERTICES = 100_000
_TYPE_LABELS = {
    "Point": _("point (Point)"), "LineString": _("line (LineString)"), "Polygon": _("polygon (Polygon)"),
    "MultiPoint": _("multipoint (MultiPoint)"), "MultiLineString": _("multiline (MultiLineString)"),
    "MultiPolygon": _("multipolygon (MultiPolygon)"),
}
_TEXT_BYTES_PER_VERTEX = 100


@dataclass(frozen=True)
class IntakeResult:
    geometry: object  # django.contrib.gis.geos.GEOSGeometry, srid 4490
    notes: list  # lazy translated strings: what was changed on the way in


def intake_geometry(value, *, crs=None, expected: str | None = None, repair: bool = False,
                    service_area=None, max_vertices: int = DEFAULT_MAX_VERTICES,
                    field: str | None = None) -> IntakeResult:
    try:
        return _intake(value, crs, expected, repair, service_area, max_vertices)
    except DimingError as error:
        if field:
            error.where.setdefault("field", field)
        raise


def intake_point(lon, lat, *, crs, service_area=None, field: str | None = None) -> IntakeResult:
    return intake_geometry((lon, lat), crs=crs, expected="Point", service_area=service_area, field=field)


def intake_points(coordinates, *, crs, service_area=None) -> np.ndarray:
    """Many points at once (the rows of a file), each checked as `intake_point` checks one (finite numbers,
    swapped axes, valid ranges, the service area), vectorised: an (n, 2) array of storage (lon, lat). The first
    point that fails raises, its index in ``where["part"]``."""
    source = parse_crs(crs)
    xy = _positions(_sequence(coordinates, {}), {}, [])
    if not len(xy):
        raise GeometryError(_("The geometry is empty"), code="empty_geometry")
    _check_place(shapely.multipoints(xy), xy, source, _service_area(service_area))
    return np.column_stack(to_storage_xy(xy[:, 0], xy[:, 1], source))


def _intake(value, crs, expected, repair, service_area, max_vertices) -> IntakeResult:
    notes: list = []
    raw, source = _read(value, crs, max_vertices)
    shape = _build(raw, _Budget(max_vertices), notes)
    expected = _expected_type(expected)
    shape = _check_type(shape, expected, notes)
    _check_place(shape, shapely.get_coordinates(shape), source, _service_area(service_area))
    shape = _validate(shape, source, repair, notes)
    stored = to_storage(shape, source)
    if not shapely.is_valid(stored):  # a transform can fold a sliver that was only just valid
        stored = _validate(stored, CRS.CGCS2000, repair, notes)
    stored = _check_type(stored, expected, notes)
    from django.contrib.gis.geos import GEOSGeometry

    return IntakeResult(GEOSGeometry(memoryview(shapely.to_wkb(stored)), srid=STORAGE_SRID), notes)


# Reading: every input becomes a GeoJSON-like {"type", "coordinates"} and the CRS it is in.

def _read(value, declared, max_vertices) -> tuple[dict, CRS]:
    if isinstance(value, str):
        return _read_text(value, declared, max_vertices)
    if isinstance(value, dict):
        return _read_geojson(value, declared)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_number(v) for v in value):
        return {"type": "Point", "coordinates": [float(value[0]), float(value[1])]}, parse_crs(declared)
    if is_geos_geometry(value):
        if value.empty:  # POINT EMPTY, and POINT (nan nan), which GEOS holds as empty and cannot write as WKB
            raise GeometryError(_("The geometry is empty"), code="empty_geometry")
        embedded = parse_crs(value.srid) if value.srid else None
        raw = shapely.geometry.mapping(shapely.from_wkb(bytes(value.wkb)))
        return raw, _resolve_crs(embedded, declared, default=None)
    raise InputError(_("A geometry is GeoJSON, WKT, or a longitude and a latitude: this value is none of them."),
                     code="unsupported_input")


def _read_text(text: str, declared, max_vertices) -> tuple[dict, CRS]:
    text = text.strip()
    if not text:
        raise GeometryError(_("The geometry is empty"), code="empty_geometry")
    if len(text) > max_vertices * _TEXT_BYTES_PER_VERTEX:
        raise GeometryError(format_lazy(_("The geometry text is too large ({size} characters)"), size=len(text)),
                            code="too_many_vertices", where={"limit": max_vertices})
    if text.startswith("{"):
        try:
            return _read_geojson(json.loads(text), declared)
        except json.JSONDecodeError as error:
            raise GeometryError(format_lazy(_("The GeoJSON cannot be read at line {line}, column {column}."),
                                            line=error.lineno, column=error.colno),
                                code="unparseable", where={"line": error.lineno, "column": error.colno}) from None
        except RecursionError:  # no geometry nests deeper than a few levels; a thousand is an attack
            raise GeometryError(_("The GeoJSON is nested too deeply to be a geometry."), code="unparseable") from None
    match = re.match(r"SRID=([^;]*);(.*)$", text, re.IGNORECASE | re.DOTALL)
    if match:
        embedded = parse_crs(match.group(1).strip())
        return WktReader(match.group(2)).parse(), _resolve_crs(embedded, declared, default=None)
    return WktReader(text).parse(), parse_crs(declared)


def _read_geojson(data, declared) -> tuple[dict, CRS]:
    if not isinstance(data, dict):
        raise GeometryError(_("GeoJSON must be an object"), code="bad_structure", where={"value": shown(data)})
    embedded = _legacy_crs(data.get("crs"))
    kind = data.get("type")
    if kind == "FeatureCollection":
        raise GeometryError(_("Expected one geometry or feature, got a FeatureCollection"), code="unsupported_type",
                            where={"type": kind})
    if kind == "Feature":
        data = data.get("geometry")
        if data is None:
            raise GeometryError(_("The feature has no geometry"), code="empty_geometry")
        if not isinstance(data, dict):
            raise GeometryError(_("The feature's geometry is not an object"), code="bad_structure", where={"member": "geometry"})
        inner = _legacy_crs(data.get("crs"))
        if inner and embedded and inner is not embedded:
            raise CoordinateSystemError(_("The crs members of the feature and of its geometry disagree"), code="crs_conflict",
                                        where={"feature": embedded.value, "geometry": inner.value})
        embedded = inner or embedded
    if "coordinates" not in data:
        raise GeometryError(_("The GeoJSON geometry has no coordinates"), code="bad_structure",
                            where={"type": str(data.get("type"))})
    return {"type": data.get("type"), "coordinates": data["coordinates"]}, \
        _resolve_crs(embedded, declared, default=CRS.WGS84)


def _legacy_crs(member) -> CRS | None:
    """The 2008 GeoJSON "crs" member: {"type": "name", "properties": {"name": ...}} or {"type": "EPSG", ...}."""
    if member is None:
        return None
    properties = member.get("properties") if isinstance(member, dict) else None
    if not isinstance(properties, dict) or member.get("type") not in ("name", "EPSG"):
        raise CoordinateSystemError(_("The GeoJSON crs member is not recognised"), code="unknown_crs",
                                    where={"member": "crs", "value": json.dumps(member, ensure_ascii=False)[:200]})
    return parse_crs(properties.get("name") if member["type"] == "name" else properties.get("code"))


def _resolve_crs(embedded: CRS | None, declared, default: CRS | None) -> CRS:
    if declared is not None:
        declared = parse_crs(declared)
        if embedded is not None and embedded is not declared:
            raise CoordinateSystemError(
                format_lazy(_("The declared coordinate system {declared} differs from the data's own {embedded}"),
                            declared=declared.label, embedded=embedded.label),
                code="crs_conflict", where={"declared": declared.value, "embedded": embedded.value})
        return declared
    return embedded or default or parse_crs(None)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


# Building: validated nesting into a 2-d shapely geometry.

class _Budget:
    def __init__(self, limit: int):
        self.limit, self.used = limit, 0

    def take(self, count: int) -> None:
        self.used += count
        if self.used > self.limit:
            raise GeometryError(format_lazy(_("More vertices than the limit of {limit}"), limit=self.limit),
                                code="too_many_vertices", where={"limit": self.limit})


def _build(raw: dict, budget: _Budget, notes: list):
    kind, coordinates = raw.get("type"), raw.get("coordinates")
    if kind not in _TYPES.values():
        raise GeometryError(format_lazy(_("Unsupported geometry type {kind}"), kind=shown(kind)),
                            code="unsupported_type", where={"type": shown(kind)})
    if isinstance(coordinates, (list, tuple)) and len(coordinates) == 0:
        raise GeometryError(_("The geometry is empty"), code="empty_geometry", where={"type": kind})
    dropped: list[bool] = []
    if kind.startswith("Multi"):
        parts = [_build_single(kind[5:], part, {"part": i}, budget, dropped)
                 for i, part in enumerate(_sequence(coordinates, {}))]
        shape = getattr(shapely, kind)(parts)
    else:
        shape = _build_single(kind, coordinates, {}, budget, dropped)
    if any(dropped):
        notes.append(_("Z/M values were dropped: only plane coordinates are stored"))
    return shape


def _build_single(kind: str, coordinates, where: dict, budget: _Budget, dropped: list):
    if kind == "Point":
        budget.take(1)
        return shapely.Point(_positions([coordinates], where, dropped)[0])
    if kind == "LineString":
        line = _positions(_sequence(coordinates, where), where, dropped, budget)
        if len(line) < 2:
            raise GeometryError(_("A line needs at least 2 points"), code="too_few_points", where={**where, "count": len(line)})
        return shapely.LineString(line)
    rings = [_ring(ring, {**where, "ring": i}, budget, dropped)
             for i, ring in enumerate(_sequence(coordinates, where))]
    if not rings:
        raise GeometryError(_("The polygon has no outer ring"), code="empty_geometry", where=where)
    return shapely.Polygon(rings[0], rings[1:])


def _ring(coordinates, where: dict, budget: _Budget, dropped: list) -> np.ndarray:
    ring = _positions(_sequence(coordinates, where), where, dropped, budget)
    if len(ring) < 4:
        raise GeometryError(_("A ring needs at least 4 points (the first repeated last)"), code="too_few_points", where={**where, "count": len(ring)})
    if not np.array_equal(ring[0], ring[-1]):
        raise GeometryError(_("The ring is not closed: its first and last coordinates differ"), code="ring_not_closed",
                            where={**where, "first": ring[0].tolist(), "last": ring[-1].tolist()},
                            hint=_("Repeat the first coordinate at the end"))
    return ring


def _sequence(value, where: dict) -> list:
    if not isinstance(value, (list, tuple)):
        raise GeometryError(_("Malformed coordinates: an array is expected here"), code="bad_structure",
                            where={**where, "value": shown(value)})
    return value


def _positions(seq, where: dict, dropped: list, budget: _Budget | None = None) -> np.ndarray:
    """(n, 2) float array of positions, each 2 to 4 numbers; anything beyond x and y is dropped."""
    if budget is not None:
        budget.take(len(seq))
    array = None
    try:
        array = np.array(seq)
    except ValueError:
        pass  # ragged: diagnosed below
    if array is None or array.dtype.kind not in "iuf" or array.ndim != 2 or not 2 <= array.shape[1] <= 4:
        array = np.array([_position(p, {**where, "vertex": i}) for i, p in enumerate(seq)])
        dropped.append(any(len(p) > 2 for p in seq))
    else:
        dropped.append(array.shape[1] > 2)
    xy = np.ascontiguousarray(array[:, :2], dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(xy).all(axis=1))
    if bad.size:
        raise GeometryError(_("A coordinate is not a finite number (NaN or infinity)"), code="not_finite",
                            where={**where, "vertex": int(bad[0]), "coordinate": [str(v) for v in xy[bad[0]]]})
    return xy


def _position(value, where: dict) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or not 2 <= len(value) <= 4 or not all(map(_is_number, value)):
        raise GeometryError(_("A position must be 2 to 4 numbers"), code="bad_coordinate",
                            where={**where, "value": shown(value)})
    return float(value[0]), float(value[1])


# Checking: type, numbers, place, validity.

def _expected_type(expected: str | None) -> str | None:
    if expected is None:
        return None
    name = _TYPES.get(str(expected).upper())
    if name is None:
        raise ValueError(f"unknown geometry type {expected!r}")
    return name


def _check_type(shape, expected: str | None, notes: list):
    actual = shape.geom_type
    if expected is None or actual == expected:
        return shape
    if expected == "Multi" + actual:
        notes.append(format_lazy(_("{actual} converted to {expected}"),
                                 actual=_TYPE_LABELS[actual], expected=_TYPE_LABELS[expected]))
        return getattr(shapely, expected)([shape])
    raise GeometryError(format_lazy(_("Expected a {expected}, got a {actual}"),
                                    expected=_TYPE_LABELS[expected], actual=_TYPE_LABELS.get(actual, actual)),
                        code="wrong_geometry_type", where={"expected": expected, "type": actual})


def _rings(shape) -> list[tuple[dict, object]]:
    """(where, ring) for every ring, line or point of `shape`, in shapely.get_coordinates order."""
    multi = shape.geom_type.startswith("Multi")
    found = []
    for index, part in enumerate(shapely.get_parts(shape) if multi else [shape]):
        where = {"part": index} if multi else {}
        if part.geom_type == "Polygon":
            found += [({**where, "ring": i}, r) for i, r in enumerate([part.exterior, *part.interiors])]
        else:
            found.append((where, part))
    return found


def _locate(shape, index: int) -> dict:
    """Part, ring and vertex of the index-th coordinate in shapely.get_coordinates order."""
    for where, ring in _rings(shape):
        size = shapely.get_num_coordinates(ring)
        if index < size:
            return where if ring.geom_type == "Point" else {**where, "vertex": index}
        index -= size
    return {}


def _where(shape, xy: np.ndarray, index: int) -> dict:
    return {**_locate(shape, index), "coordinate": xy[index].tolist()}


def _service_area(area) -> tuple[float, float, float, float]:
    """The caller's box, or the settings' (DIMING_SERVICE_AREA: the one home of the default, Wenzhou)."""
    if area is None:
        from django.conf import settings

        area = settings.DIMING_SERVICE_AREA
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in area)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            f"DIMING_SERVICE_AREA must be (min_lon, min_lat, max_lon, max_lat), got {area!r}") from None
    if not (min_lon < max_lon and min_lat < max_lat):
        raise ImproperlyConfigured(f"DIMING_SERVICE_AREA is empty: {area!r}")
    return min_lon, min_lat, max_lon, max_lat


def _inside(x: np.ndarray, y: np.ndarray, area) -> np.ndarray:
    min_lon, min_lat, max_lon, max_lat = area
    return (x >= min_lon) & (x <= max_lon) & (y >= min_lat) & (y <= max_lat)


def _check_place(shape, xy: np.ndarray, source: CRS, area) -> None:
    """Swapped axes, then valid ranges, then the service area; compared in storage coordinates."""
    x, y = xy[:, 0], xy[:, 1]
    with np.errstate(invalid="ignore", over="ignore"):
        inside = _inside(*transform_xy(x, y, source, CRS.CGCS2000), area)
        if inside.all():
            return
        if _inside(*transform_xy(y, x, source, CRS.CGCS2000), area).all():
            index = int(np.flatnonzero(~inside)[0])
            order = _("(longitude, latitude)") if source.is_geographic else _("(easting, northing)")
            raise SwappedAxesError(
                _("The coordinate axes may be swapped: as given the point is outside the service area, swapped it is inside"),
                where=_where(shape, xy, index),
                hint=format_lazy(_("Coordinates go in {order} order: this point would be ({x}, {y})"),
                                 order=order, x=_fmt(y[index]), y=_fmt(x[index])))
        _check_range(shape, xy, source)
        index = int(np.flatnonzero(~inside)[0])
        raise OutsideServiceAreaError(
            format_lazy(_("The coordinate ({x}, {y}) is outside the service area (longitude {a}–{c}, latitude {b}–{d})"),
                        x=_fmt(x[index]), y=_fmt(y[index]), a=area[0], b=area[1], c=area[2], d=area[3]),
            where=_where(shape, xy, index))


def _check_range(shape, xy: np.ndarray, source: CRS) -> None:
    if source.is_geographic:
        for axis, limit, label in ((0, 180.0, _("longitude")), (1, 90.0, _("latitude"))):
            bad = np.flatnonzero(np.abs(xy[:, axis]) > limit)
            if bad.size:
                value = _fmt(xy[bad[0], axis])
                raise GeometryError(
                    format_lazy(_("{value} is not a valid {axis} (it must lie between -{limit} and {limit})"),
                                value=value, axis=label, limit=int(limit)),
                    code="out_of_range", where=_where(shape, xy, int(bad[0])))
        return
    x, y = transform_xy(xy[:, 0], xy[:, 1], source, CRS.CGCS2000)
    bad = np.flatnonzero(~(np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= 180) & (np.abs(y) <= 90)))
    if bad.size:
        raise GeometryError(format_lazy(_("The coordinate is outside the valid range of {crs}"), crs=source.label), code="out_of_range",
                            where=_where(shape, xy, int(bad[0])))


def _fmt(value: float) -> str:
    return f"{value:.10g}"


_PROBLEMS = {
    "Self-intersection": ("self_intersection", _("The polygon intersects itself")),
    "Ring Self-intersection": ("ring_self_intersection", _("A ring of the polygon intersects itself")),
    "Too few points in geometry component": ("too_few_points", _("Too few points to make a geometry")),
    "Hole lies outside shell": ("hole_outside_shell", _("An inner ring (hole) lies outside the outer ring")),
    "Holes are nested": ("nested_holes", _("Inner rings are nested in each other")),
    "Interior is disconnected": ("disconnected_interior", _("The polygon's interior is split into disconnected parts")),
    "Nested shells": ("nested_shells", _("Parts of the multipolygon are nested in each other")),
    "Duplicate Rings": ("duplicate_rings", _("A ring is repeated")),
    "Ring is not closed": ("ring_not_closed", _("A ring is not closed")),
}


def _problem(shape) -> tuple[str, object, dict]:
    """code, message and where of the first OGC validity problem GEOS reports."""
    reason = shapely.is_valid_reason(shape)
    match = re.match(r"^(?P<what>[^\[]+?)\s*\[(?P<x>\S+) (?P<y>\S+)\]", reason)
    what = match.group("what") if match else reason
    code, message = _PROBLEMS.get(what, ("invalid_geometry", format_lazy(_("Invalid geometry: {reason}"), reason=reason)))
    where = {}
    if match:
        point = np.array([float(match.group("x")), float(match.group("y"))])
        where = {**_nearest_segment(shape, point), "coordinate": point.tolist()}
    return code, message, where


def _nearest_segment(shape, point: np.ndarray) -> dict:
    """Where the segment (from `vertex` to the next) nearest to `point` lies."""
    xy = shapely.get_coordinates(shape)
    if len(xy) < 2:
        return _locate(shape, 0)
    start, end = xy[:-1], xy[1:]
    run = end - start
    length2 = np.maximum((run * run).sum(axis=1), 1e-300)
    t = np.clip(((point - start) * run).sum(axis=1) / length2, 0.0, 1.0)
    gap = start + t[:, None] * run - point
    distance = (gap * gap).sum(axis=1)
    boundaries = np.cumsum([shapely.get_num_coordinates(r) for _where, r in _rings(shape)])[:-1] - 1
    distance[boundaries] = np.inf  # from the last vertex of one ring to the first of the next
    return _locate(shape, int(np.argmin(distance)))


def _validate(shape, source: CRS, repair: bool, notes: list):
    if shapely.is_valid(shape):
        return shape
    code, message, where = _problem(shape)
    if not repair:
        raise GeometryError(message, code=code, where=where, hint=_("You may choose automatic repair (repair) and submit again"))
    polygonal = shape.geom_type in ("Polygon", "MultiPolygon")
    fixed = shapely.make_valid(shape, method="structure", keep_collapsed=False) if polygonal \
        else shapely.make_valid(shape)
    single = shape.geom_type.removeprefix("Multi")
    kept = [p for p in shapely.get_parts(fixed) if p.geom_type == single and not p.is_empty]
    if not kept:
        raise GeometryError(format_lazy(_("{problem}; it cannot be repaired automatically"), problem=message), code=code, where=where)
    multi = len(kept) > 1 or shape.geom_type.startswith("Multi")
    repaired = getattr(shapely, "Multi" + single)(kept) if multi else kept[0]
    if polygonal:
        notes.append(format_lazy(
            _("{problem}; repaired into {parts} parts, the area changed from {before} m² to {after} m²"), problem=message,
            parts=len(kept), before=_square_metres(shape, source), after=_square_metres(repaired, source)))
    else:
        notes.append(format_lazy(_("{problem}; repaired into {parts} parts"), problem=message, parts=len(kept)))
    return repaired


def _square_metres(shape, source: CRS) -> str:
    """Area in the metric CRS, as GEOS computes it (for an invalid polygon: outer ring minus holes)."""
    return f"{shapely.area(transform_geometry(shape, source, METRIC_SRID)):,.0f}"


# CSV importers: two text cells into a (lon, lat) pair.

def parse_lonlat(lon_text, lat_text, *, lon_field: str = "lon", lat_field: str = "lat",
                 row: int | None = None) -> tuple[float, float]:
    """A longitude and a latitude cell, e.g. from a CSV row, as floats; "128.3" as a latitude is refused."""
    lon = _parse_cell(lon_text, _cell_where(lon_text, lon_field, row), _("longitude"))
    lat = _parse_cell(lat_text, _cell_where(lat_text, lat_field, row), _("latitude"))
    hint = _("Longitude and latitude may be swapped") if abs(lon) <= 90 and abs(lat) <= 180 else None
    for value, limit, text, name, label in ((lon, 180, lon_text, lon_field, _("longitude")),
                                            (lat, 90, lat_text, lat_field, _("latitude"))):
        if abs(value) > limit:
            raise InputError(format_lazy(_("{value} is not a valid {axis}"), value=_clean(text), axis=label),
                             code="out_of_range", where=_cell_where(text, name, row), hint=hint)
    return lon, lat


def _clean(text) -> str:
    return unicodedata.normalize("NFKC", "" if text is None else str(text)).strip()


def _cell_where(text, name: str, row: int | None) -> dict:
    where = {"field": name, "value": "" if text is None else str(text)}
    return where if row is None else {"row": row, **where}


def _parse_cell(text, where: dict, label) -> float:
    cleaned = _clean(text)
    if not cleaned:
        raise InputError(format_lazy(_("The {axis} is empty"), axis=label), code="missing_value", where=where)
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError(format_lazy(_("{value} is not a valid {axis}"), value=cleaned, axis=label),
                         code="not_a_number", where=where)
    return value
