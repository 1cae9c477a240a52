"""Demo villages, natural villages (自然村) and residential areas (小区): the places plates without a road are numbered
in (synthetic; doorplates.demo numbers their plates). Villages and natural villages lie in the countryside of each
county, residential areas near its seat; each is a small outline. About two of each per county and unit of scale.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry

from boundaries.demo import COUNTIES, VILLAGE_STEMS, DemoContext, register
from boundaries.models import AdminArea
from gis.crs import METRIC_SRID, STORAGE_SRID, transform_xy
from placenames.bases import NATURAL_VILLAGE_GENERIC
from placenames.demo import DEMO_APPROVED_ON, refine_areas
from placenames.models import Place, PlaceKind, PlaceName, PlaceStatus
from placenames.pinyin import initials_key, pinyin_key, village_romanization

DEMO_BASES = "演示数据（村、小区）"  # their location description
NATURAL_STEMS = ["上岙", "下岙", "里垟", "外岙", "后山", "前山", "岭脚", "坑口", "溪边", "山头", "垟心", "岙底",
                 "田头", "路下", "塘头", "岩下"]
RESIDENTIAL_STEMS = ["翠微", "锦绣", "江滨", "水心", "春晖", "安澜", "府前", "银泰", "凤凰", "隆山", "育英", "龙腾",
                     "瓯江", "黎明", "新城", "会昌"]
RESIDENTIAL_GENERICS = ["小区", "花园", "家园", "苑", "新村", "公寓"]
PER_SCALE = 2.0  # of each kind per county


@register(21, "placenames.bases")
def build_bases(ctx: DemoContext):
    kinds = {k.code: k for k in PlaceKind.objects.filter(code__in=("village", "residential"))}
    Place.objects.filter(location_description=DEMO_BASES).delete()
    per_county = max(1, round(PER_SCALE * ctx.scale))
    places, names = [], []
    for code, _name, seat, _townships in COUNTIES:
        county = AdminArea.objects.get(code=code)
        polygon = shapely.from_wkb(bytes(county.geom.wkb))
        rng = ctx.rng(f"bases:{code}")
        taken: set[str] = set()
        for kind, generic, radius_m, ring_km in (("village", "村", 250, (2.0, 12.0)),
                                                  ("natural", NATURAL_VILLAGE_GENERIC, 150, (2.0, 12.0)),
                                                  ("residential", None, 120, (0.4, 3.0))):
            for i in range(per_county):
                centre = _spot(polygon, seat, ring_km, rng)
                if centre is None:
                    continue
                full, specific, term = _base_name(kind, generic, i, rng, taken)
                outline = _outline(centre, radius_m, square=kind == "residential")
                place = Place(kind=kinds["residential" if kind == "residential" else "village"], geom=outline,
                              area=county, status=PlaceStatus.IN_USE, name=full,
                              pinyin=village_romanization(full, natural_village=kind == "natural"),
                              pinyin_key=pinyin_key(full), initials=initials_key(full),
                              location_description=DEMO_BASES)
                places.append(place)
                names.append(PlaceName(place=place, specific=specific, generic=term, full_name=full,
                                       pinyin=place.pinyin, valid_from=DEMO_APPROVED_ON, origin="合成演示数据",
                                       approval_reference="DEMO"))
    Place.objects.bulk_create(places, batch_size=2000)
    PlaceName.objects.bulk_create(names, batch_size=2000)
    refine_areas([p.uuid for p in places])
    ctx.data["bases"] = len(places)
    ctx.log(f"村、自然村、小区 {len(places)} 个（每区县各 {per_county} 个）")


def _spot(polygon, seat, ring_km, rng):
    """A point of the county between ``ring_km`` kilometres from its seat (None after many misses)."""
    x0, y0 = transform_xy(seat[0], seat[1], STORAGE_SRID, METRIC_SRID)
    for _attempt in range(60):
        angle, r = rng.uniform(0, 2 * math.pi), rng.uniform(*ring_km) * 1000
        x, y = float(x0) + r * math.cos(angle), float(y0) + r * math.sin(angle)
        lon, lat = transform_xy(x, y, METRIC_SRID, STORAGE_SRID)
        if polygon.contains(shapely.Point(float(lon), float(lat))):
            return x, y
    return None


def _base_name(kind: str, generic: str | None, i: int, rng, taken: set[str]) -> tuple[str, str, str]:
    """(full name, specific, generic), unique within the county. A natural village is called by its specific term
    (下岙), its generic being 自然村."""
    stems = {"village": VILLAGE_STEMS, "natural": NATURAL_STEMS, "residential": RESIDENTIAL_STEMS}[kind]
    for round_no in range(100):
        stem = stems[(i + rng.randrange(len(stems))) % len(stems)]
        stem = stem if round_no < 3 else f"{stem}{'一二三四五六七八九'[round_no % 9]}"
        term = generic if generic else rng.choice(RESIDENTIAL_GENERICS)
        full = stem if kind == "natural" else stem + term
        if full not in taken:
            taken.add(full)
            return full, stem, term
    raise RuntimeError("no free demo name")


def _outline(centre, radius_m: float, square: bool) -> GEOSGeometry:
    x, y = centre
    shape = shapely.box(x - radius_m, y - radius_m * 0.7, x + radius_m, y + radius_m * 0.7) if square else \
        shapely.Point(x, y).buffer(radius_m, quad_segs=6)
    xy = shapely.get_coordinates(shape)
    lon, lat = transform_xy(xy[:, 0], xy[:, 1], METRIC_SRID, STORAGE_SRID)
    moved = shapely.set_coordinates(shape, np.column_stack([lon, lat]))
    return GEOSGeometry(memoryview(shapely.to_wkb(moved)), srid=STORAGE_SRID)
