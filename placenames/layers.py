"""Map and export layers of standard place names: roads (lines) and every other place in use."""

from django.db.models import F
from django.utils.translation import gettext as _

from gis.layers import Layer, register
from placenames.models import ROAD_KINDS, PlaceKind, PlaceStatus


def _roads(qs):
    return qs.filter(status=PlaceStatus.IN_USE, kind__code__in=ROAD_KINDS)


def _other_places(qs):
    return qs.filter(status=PlaceStatus.IN_USE).exclude(kind__code__in=ROAD_KINDS)


def _codes():
    return {"kind_code": F("kind__code"), "area_code": F("area__code")}


def _road_kinds():
    return [(k.code, k.name) for k in PlaceKind.objects.filter(code__in=ROAD_KINDS)]


def _other_kinds():
    return [(k.code, k.name) for k in PlaceKind.objects.exclude(code__in=ROAD_KINDS)]


PROPERTIES = ("uuid", "name", "pinyin", "kind_code", "area_code")
# Below zoom 14 a name carries only what the style draws (the pinyin label starts at 15): see tiles.sql.
OVERVIEW = {"tiles": {"overview_properties": ("name", "kind_code"), "properties_from_zoom": 14}}
# The kinds an officer may pick on the export page (exports.views), and the only published status.
ROAD_EXPORTS = {"exports": {"kind_choices": _road_kinds, "status_choices": ()}}
OTHER_EXPORTS = {"exports": {"kind_choices": _other_kinds, "status_choices": ()}}

register(Layer(
    name="roads", title=_("Roads"), model="placenames.Place", geometry_type="LineString", id_field="uuid",
    properties=PROPERTIES, region_path="area", minzoom=10, maxzoom=22, published=_roads, annotate=_codes,
    label_field="name", description=_("Standard road names in use (roads, streets, lanes, avenues)"), extra={**OVERVIEW, **ROAD_EXPORTS, "record_url": "placenames:place"},
))
register(Layer(
    # Every name in use that is not a road (the roads are the 道路 layer): titled so, not 地名, which read as all.
    name="places", title=_("Other place names (bridges, residential areas, buildings, villages ...)"), model="placenames.Place", geometry_type="Geometry",
    id_field="uuid", properties=PROPERTIES, region_path="area", minzoom=12, maxzoom=22, published=_other_places,
    annotate=_codes, label_field="name", description=_("Names in use of bridges, residential areas, buildings, villages and natural features (not roads)"),
    extra={**OVERVIEW, **OTHER_EXPORTS, "record_url": "placenames:place"},
))
