"""The map of an application: its proposed geometry and the existing names near it that sound or look alike."""

from __future__ import annotations

import json

from django.contrib.gis.db.models.functions import AsGeoJSON, Distance
from django.db.models import Q

from gis.errors import InputError
from placenames.models import Application, Place, PlaceStatus
from placenames.pinyin import pinyin_key

NEARBY_LIMIT = 30


def similar_places(app: Application, limit: int = NEARBY_LIMIT):
    """In-use or proposed places of the same county with the same name, the same toneless pinyin, the same
    specific term or a similar name, nearest first (geodesic distance)."""
    name = app.proposed_name
    if not name:
        return Place.objects.none()
    try:
        key = pinyin_key(name)
    except InputError:
        key = ""
    match = Q(name=name) | Q(name__trigram_similar=name)
    if key:
        match |= Q(pinyin_key=key)
    if len(app.specific) >= 2:
        match |= Q(name__startswith=app.specific)
    rows = (Place.objects.filter(area__code12__startswith=app.county_code,
                                 status__in=(PlaceStatus.IN_USE, PlaceStatus.PROPOSED))
            .filter(match).select_related("kind"))
    if app.place_id:
        rows = rows.exclude(uuid=app.place_id)
    return rows.annotate(distance=Distance("geom", app.geom)).order_by("distance")[:limit]


def application_geojson(app: Application) -> dict:
    key = ""
    try:
        key = pinyin_key(app.proposed_name) if app.proposed_name else ""
    except InputError:
        pass
    features = [{
        "type": "Feature", "id": f"application-{app.pk}",
        "properties": {"role": "proposed", "name": app.display_name, "state": app.state},
        "geometry": json.loads(app.geom.json),
    }]
    for place in similar_places(app).annotate(json=AsGeoJSON("geom", precision=6)):
        relation = ("same_name" if place.name == app.proposed_name
                    else "homophone" if key and place.pinyin_key == key else "similar")
        features.append({
            "type": "Feature", "id": str(place.uuid),
            "properties": {"role": relation, "name": place.name, "kind": place.kind.name, "kind_code": place.kind.code,
                           "uuid": str(place.uuid),
                           "distance_m": round(place.distance.m) if place.distance is not None else None},
            "geometry": json.loads(place.json),
        })
    return {"type": "FeatureCollection", "features": features}
