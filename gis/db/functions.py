"""PostGIS functions Django lacks, as small ``Func`` subclasses (like django.contrib.gis.db.models.functions).

Use Django's own where it has one (``AsWKT``, ``AsGeoJSON``, ``Transform``, ``Distance``, ``PointOnSurface``).
"""

from __future__ import annotations

from django.contrib.gis.db.models import GeometryField
from django.db.models import FloatField, Func

from gis.crs import STORAGE_SRID


class LabelPoint(Func):
    """A point to pin a feature on a point-only platform: the point itself, a line's midpoint along its length
    (for a multi-line, the point of the line nearest its centroid), a polygon's point on surface."""

    output_field = GeometryField(srid=STORAGE_SRID)
    template = (
        "(CASE GeometryType(%(expressions)s)"
        " WHEN 'POINT' THEN %(expressions)s"
        " WHEN 'LINESTRING' THEN ST_LineInterpolatePoint(%(expressions)s, 0.5)"
        " WHEN 'MULTILINESTRING' THEN ST_ClosestPoint(%(expressions)s, ST_Centroid(%(expressions)s))"
        " ELSE ST_PointOnSurface(%(expressions)s) END)"
    )


class PointX(Func):
    """ST_X: a point's first coordinate (longitude in EPSG:4490 as stored)."""

    function = "ST_X"
    output_field = FloatField()


class PointY(Func):
    """ST_Y: a point's second coordinate (latitude in EPSG:4490 as stored)."""

    function = "ST_Y"
    output_field = FloatField()


class FlipCoordinates(Func):
    """ST_FlipCoordinates: (x, y) -> (y, x), for CRSs whose first axis is latitude."""

    function = "ST_FlipCoordinates"
    output_field = GeometryField()


class KnnDistance(Func):
    """``a <-> b``: the index-assisted distance ordering of PostGIS (bounding boxes, exact for points)."""

    arg_joiner = " <-> "
    template = "%(expressions)s"
    output_field = FloatField()
