"""Demo roads: a named, gently curved road network around each county seat (synthetic)."""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from boundaries.demo import COUNTIES, DemoContext, register, road_network
from boundaries.models import AdminArea
from placenames.models import Place, PlaceKind, PlaceName, PlaceStatus
from placenames.pinyin import initials_key, pinyin_key, romanize, split_name

KIND_BY_GENERIC = {"路": "road", "街": "street", "巷": "lane", "大道": "avenue"}
DEMO_APPROVED_ON = dt.date(2010, 1, 1)


@register(20, "placenames.roads")
def build_roads(ctx: DemoContext):
    from shapely import wkb

    kinds = {k.code: k for k in PlaceKind.objects.all()}
    per_county = max(8, round(25 * ctx.scale))
    Place.objects.filter(location_description="演示数据").delete()
    places, names = [], []
    for code, _name, seat, _townships in COUNTIES:
        county = AdminArea.objects.get(code=code)
        polygon = wkb.loads(bytes(county.geom.wkb))
        for full_name, line in road_network(polygon, seat, per_county, ctx.rng(f"roads:{code}")):
            specific, generic = split_name(full_name)
            kind = kinds[KIND_BY_GENERIC.get(generic, "road")]
            place = Place(kind=kind, geom=GEOSGeometry(memoryview(line.wkb), srid=4490), area=county,
                          status=PlaceStatus.IN_USE, name=full_name, pinyin=romanize(full_name),
                          pinyin_key=pinyin_key(full_name), initials=initials_key(full_name),
                          location_description="演示数据")
            places.append(place)
            names.append(PlaceName(place=place, specific=specific, generic=generic, full_name=full_name,
                                   pinyin=place.pinyin, valid_from=DEMO_APPROVED_ON,
                                   origin="合成演示数据", approval_reference="DEMO"))
    Place.objects.bulk_create(places, batch_size=2000)
    PlaceName.objects.bulk_create(names, batch_size=2000)
    refine_areas([p.uuid for p in places])
    ctx.data["roads"] = len(places)
    ctx.log(f"道路 {len(places)} 条（每区县 {per_county} 条）")


def refine_areas(place_ids):
    """Sets each place's area to the finest admin area that covers its whole geometry."""
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE placenames_place p SET area_id = best.id
            FROM (SELECT DISTINCT ON (p2.uuid) p2.uuid, a.id FROM placenames_place p2
                  JOIN boundaries_adminarea a ON a.geom && p2.geom AND ST_Covers(a.geom, p2.geom)
                  WHERE p2.uuid = ANY(%s) ORDER BY p2.uuid, a.code12 DESC) best
            WHERE p.uuid = best.uuid AND p.area_id <> best.id""", [list(place_ids)])
