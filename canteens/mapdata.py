"""GeoJSON for the coverage map: canteens with their reach, and the uncovered villages highlighted.

Coordinates are EPSG:4490 longitude/latitude (CRS84 order). Reach circles are not sent as polygons: each canteen
carries its walking and delivery radii in metres and the page draws geodesic circles as
MapLibre fill layers. Open and suspended canteens also come from the canteens vector tiles.
"""

from __future__ import annotations

import json

from django.contrib.gis.db.models.functions import AsGeoJSON

from accounts.scoping import scope
from boundaries.models import AdminArea
from canteens.coverage import CoverageReport, walk_radii
from canteens.models import Canteen, CanteenKind


def canteen_features(user) -> list[dict]:
    urban_m, rural_m = walk_radii()
    rows = (scope(Canteen.objects.all(), user, "area")
            .annotate(json=AsGeoJSON("geom", precision=6))
            .values_list("uuid", "name", "kind", "status", "address", "delivers", "delivery_radius_m", "seats",
                         "opening_hours", "area__urban_rural_code", "json"))
    features = []
    for uuid, name, kind, status, address, delivers, radius, seats, hours, urban_code, geometry in rows:
        features.append({
            "type": "Feature", "id": str(uuid), "geometry": json.loads(geometry),
            "properties": {
                "name": name, "kind": kind, "kind_label": _label(kind), "status": status, "address": address, "seats": seats, "opening_hours": hours,
                "walk_m": urban_m if (urban_code or "").startswith("1") else rural_m,
                "delivery_m": (radius or 0) if delivers else 0,
            },
        })
    return features


def _label(kind: str) -> str:
    return str(CanteenKind(kind).label) if kind in CanteenKind.values else kind


def uncovered_features(report: CoverageReport, *, polygons: bool = True) -> list[dict]:
    """One feature per uncovered village: its polygon (or service point) with its elderly population."""
    villages = {v.id: v for v in report.uncovered}
    field = "geom" if polygons else "service_point"
    rows = (AdminArea.objects.filter(pk__in=villages).exclude(**{field: None})
            .annotate(json=AsGeoJSON(field, precision=5)).values_list("id", "json"))
    features = []
    for pk, geometry in rows:
        v = villages[pk]
        features.append({"type": "Feature", "id": v.code, "geometry": json.loads(geometry),
                         "properties": {"code": v.code, "name": v.name, "township": v.township,
                                        "county": v.county, "elderly": v.elderly,
                                        "nearest_m": None if v.nearest_m is None else round(v.nearest_m)}})
    return features
