import json

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from boundaries.models import AdminArea, Level
from core import params as typed
from gis.errors import InputError


@require_GET
def areas_geojson(request):
    """Admin area outlines as GeoJSON (CRS84). Public: the outlines are the basemap of every map in the product."""
    level = request.GET.get("level", Level.COUNTY)
    if level not in Level.values:
        error = InputError(_("Unknown level: %(level)s") % {"level": level[:40]}, where={"parameter": "level"})
        return JsonResponse({"error": error.as_dict()}, status=400)
    areas = AdminArea.objects.at_level(level).exclude(geom=None)
    try:
        parent = typed.area_code(request.GET, "parent")
    except InputError as error:
        return JsonResponse({"error": error.as_dict()}, status=400)
    if parent:
        areas = areas.filter(parent__code=parent)
    rows = areas.annotate(json=AsGeoJSON("geom", precision=6)).values_list("code", "name", "level", "json")
    features = [
        {"type": "Feature", "id": code, "properties": {"code": code, "name": name, "level": lvl},
         "geometry": json.loads(geometry)}
        for code, name, lvl, geometry in rows
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = "public, max-age=300"
    return response
