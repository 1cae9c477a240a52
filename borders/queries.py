"""Read-only questions about boundary lines that pages, the API and outputs share."""

from __future__ import annotations

from django.db.models import Q

from boundaries.line_models import BoundaryLine
from boundaries.models import AdminArea, Level
from gis.crs import METRIC_SRID, STORAGE_SRID, transform_geometry

ALONG_M = 50  # a village this close to the line lies along it (平安边界: the villages each side looks after)


def villages_along(line: BoundaryLine, within_m: float = ALONG_M):
    """The villages and communities of either side that reach within ``within_m`` of the line, by side then code."""
    zone = transform_geometry(transform_geometry(line.geom, dst=METRIC_SRID).buffer(within_m), dst=STORAGE_SRID)
    sides = Q(code12__startswith=line.side_a.prefix) | Q(code12__startswith=line.side_b.prefix)
    # Named with their township: the parent comes in the same query, and no outline leaves the database.
    return (AdminArea.objects.at_level(Level.VILLAGE).filter(sides, geom__intersects=zone).order_by("code12")
            .select_related("parent").only("name", "code12", "parent__name"))
