"""Features of a layer for the OGC API: filtering, paging and GeoJSON in the requested CRS.

Geometries are stored in CGCS2000 (EPSG:4490). CRS84 output gives them as stored, in longitude/latitude order:
at map scale CGCS2000 and WGS84 coincide (see DOMAIN.md), as PROJ's own 4490 -> 4326 transformation does.
EPSG:4490 and EPSG:4326 are latitude/longitude in their EPSG definitions, so those outputs flip the axes, as OGC
API - Features Part 2 requires; EPSG:3857 is transformed.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.contrib.gis.geos import Polygon
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, F, TextField, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.params import BadParameter
from gis.db.functions import FlipCoordinates
from gis.errors import InputError, NotFound
from tiles.sql import LayerView, region_q

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
CGCS2000 = EPSG + "4490"
SUPPORTED_CRS = [CRS84, CGCS2000, EPSG + "4326", EPSG + "3857"]
LAT_LON = {CGCS2000, EPSG + "4326"}
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000


@dataclass(frozen=True)
class Query:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None  # lon/lat (CRS84 axis order)
    crs: str = CRS84
    filters: tuple[tuple[str, str], ...] = ()


def choices_hint(choices) -> str:
    return _("Available: %(choices)s") % {"choices": pgettext("choices", ", ").join(choices)}


def parse_crs(value: str | None) -> str:
    if not value:
        return CRS84
    value = value.strip().strip("[]")
    if value in {"EPSG:4490", "urn:ogc:def:crs:EPSG::4490"}:
        value = CGCS2000
    if value not in SUPPORTED_CRS:
        raise InputError(_("Unsupported coordinate reference system: %(crs)s.") % {"crs": value[:100]},
                         code="unsupported_crs", where={"crs": value[:100]}, hint=choices_hint(SUPPORTED_CRS))
    return value


def parse_bbox(value: str, bbox_crs: str | None) -> tuple[float, float, float, float]:
    try:
        numbers = [float(part) for part in value.split(",")]
    except ValueError:
        numbers = [math.nan]
    if not all(math.isfinite(n) for n in numbers):
        raise InputError(_("bbox is not numbers: %(bbox)s.") % {"bbox": value[:100]}, code="invalid_bbox", where={"bbox": value[:100]}) from None
    if len(numbers) != 4:
        raise InputError(_("bbox takes 4 numbers: min longitude,min latitude,max longitude,max latitude."), code="invalid_bbox",
                         where={"bbox": value[:100]})
    crs = parse_crs(bbox_crs)
    if crs == EPSG + "3857":
        raise InputError(_("bbox-crs takes only a longitude-latitude system."), code="unsupported_crs", where={"bbox-crs": crs})
    if crs in LAT_LON:
        numbers = [numbers[1], numbers[0], numbers[3], numbers[2]]
    minx, miny, maxx, maxy = numbers
    if minx > maxx or miny > maxy or not (-180 <= minx <= 180 and -90 <= miny <= 90):
        raise InputError(_("bbox is not a valid extent: %(bbox)s.") % {"bbox": value[:100]}, code="invalid_bbox", where={"bbox": value[:100]})
    return minx, miny, maxx, maxy


def filter_value(view: LayerView, name: str, raw: str):
    """A property filter's value as its column takes it (``?seats=abc`` is the caller's error, not the database's)."""
    field = view.layer.queryset().query.resolve_ref(name).output_field
    try:
        value = field.to_python(raw)
        field.run_validators(value)
    except ValidationError:
        raise BadParameter(_("The value of %(name)s is not a valid %(type)s.")
                           % {"name": name, "type": field.description % field.__dict__},
                           where={"parameter": name, "value": raw[:50]}) from None
    return value


def rows(view: LayerView, query: Query | None = None):
    """The queryset of ``view``'s features, filtered, with each property (private ones only where allowed)."""
    layer = view.layer
    qs = layer.queryset()
    if view.row_prefixes is not None and layer.region_path is not None:
        qs = qs.filter(region_q(layer, view.row_prefixes))
    if query and query.bbox:
        box = Polygon.from_bbox(query.bbox)
        box.srid = 4490
        qs = qs.filter(**{f"{layer.geometry_field}__intersects": box})
    for name, value in query.filters if query else ():
        qs = qs.filter(**{name: value})
    return qs


def _geometry(view: LayerView, crs: str):
    geometry = F(view.layer.geometry_field)
    if crs == EPSG + "3857":
        return AsGeoJSON(Transform(geometry, 3857), precision=2)
    if crs in LAT_LON:
        return AsGeoJSON(FlipCoordinates(geometry), precision=7)
    return AsGeoJSON(geometry, precision=7)


def _property_expressions(view: LayerView) -> dict:
    layer = view.layer
    private = set(layer.private_properties) if view.personal else set()
    expressions = {}
    for name in view.properties:
        if name in private and view.private_prefixes is not None and layer.region_path is not None:
            expressions[f"p_{name}"] = Case(When(region_q(layer, view.private_prefixes), then=F(name)),
                                            default=None)
        else:
            expressions[f"p_{name}"] = F(name)
    return expressions


def features(view: LayerView, query: Query) -> tuple[list[dict], int]:
    """One page of GeoJSON features and the number of features matched."""
    qs = rows(view, query)
    matched = qs.count()
    id_field = view.layer.id_field
    page = (qs.order_by(id_field)
            .values(f_id=Cast(F(id_field if id_field != "pk" else "pk"), output_field=TextField()),
                    f_geometry=_geometry(view, query.crs), **_property_expressions(view))
            [query.offset:query.offset + query.limit])
    return [_feature(view, row) for row in page], matched


def feature(view: LayerView, fid: str, crs: str) -> dict:
    qs = rows(view)
    try:
        row = (qs.filter(**{view.layer.id_field: fid})
               .values(f_id=Cast(F(view.layer.id_field), output_field=TextField()),
                       f_geometry=_geometry(view, crs), **_property_expressions(view))
               .first())
    except (ValueError, ValidationError):
        row = None
    if row is None:
        raise NotFound(_("The layer %(layer)s has no feature %(id)s.") % {"layer": view.layer.name, "id": fid[:64]}, code="unknown_feature",
                       where={"collection": view.layer.name, "featureId": fid[:64]})
    return _feature(view, row)


def _feature(view: LayerView, row: dict) -> dict:
    geometry = row.pop("f_geometry")
    fid = row.pop("f_id")
    properties = {key[2:]: _jsonable(value) for key, value in row.items()}
    return {"type": "Feature", "id": fid, "geometry": json.loads(geometry) if geometry else None,
            "properties": properties}


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def extent(view: LayerView) -> list[float]:
    """The layer table's extent from the planner's statistics (cheap on a million rows), else the service area."""
    model = view.layer.get_model()
    column = model._meta.get_field(view.layer.geometry_field).column
    with connection.cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute("SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) "
                               "FROM ST_EstimatedExtent(%s, %s) AS b", [model._meta.db_table, column])
                box = cursor.fetchone()
        except DatabaseError:
            box = None
    if not box or box[0] is None:
        return list(settings.DIMING_SERVICE_AREA)
    return [round(v, 6) for v in box]
