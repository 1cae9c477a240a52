"""A small hand-made geography whose meal-service coverage is known, and canteens placed in metres on it.

Positions are given in EPSG:4549 metres from an origin inside 鹿城区 and stored in EPSG:4490, as the product
stores them. Village squares are 1 km wide around their service points; townships and counties are boxes around
their villages.

    鹿城区 330302                                         瑞安市 330381
      五马街道 330302001 (urban, 1,000 m)                   塘下镇 330381101 (rural, 1,500 m)
        V11 东山社区  1,000 elderly at (0, 0)                 V31 南塘村 400 at (20,000, 0)
        V12 西岙社区    500 elderly at (3,000, 0)             V32 北垟村 100 at (21,200, 0)
      藤桥镇 330302101 (rural, 1,500 m)                       V33 前林村 600 at (22,400, 0)
        V21 上岙村    300 elderly at (0, 10,000)
        V22 下垟村    200 elderly at (5,000, 10,000)

Canteens (``known_canteens``):
    C1 open at (900, 0)                      reaches V11 on foot (900 m < 1,000 m urban)
    C2 open at (3,000, 1,100)                misses V12 (1,100 m > 1,000 m urban, though < 1,500 m rural)
    C3 open at (1,400, 10,000)               reaches V21 on foot (1,400 m < 1,500 m rural)
    C4 open, delivers 2,500 m, (7,000, 10,000)  reaches V22 by delivery only (2,000 m)
    C6 planned at (21,200, 0)                at V32: would reach V31, V32 and V33, but is not open
    C7 suspended, delivers 5,000 m, (21,200, 500)
    C8 closed at (22,400, 0)
    C9 open, radius 5,000 m but delivers=False, (21,200, -3,000): 3,000 m and more from every V3x

So covered: V11 (walk), V21 (walk), V22 (delivery); uncovered: V12, V31, V32, V33.
By count 3/7; by elderly population (1,000 + 300 + 200) / 3,100 = 1,500 / 3,100.
藤桥镇 is fully covered, so 鹿城区 meets the target and 瑞安市 does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from pyproj import Transformer

from boundaries.models import AdminArea
from canteens.models import Canteen, CanteenKind, CanteenStatus

ORIGIN = (560_000.0, 3_100_000.0)  # EPSG:4549, inside the demo 鹿城区 (about 120.62 E, 28.01 N)
_TO_4490 = Transformer.from_crs(4549, 4490, always_xy=True)
_TO_4549 = Transformer.from_crs(4490, 4549, always_xy=True)
_TO_3857 = Transformer.from_crs(4490, 3857, always_xy=True)

VILLAGE_HALF_WIDTH = 500.0


def lonlat(x: float, y: float) -> tuple[float, float]:
    """The EPSG:4490 lon/lat of a position given in metres from ORIGIN."""
    return _TO_4490.transform(ORIGIN[0] + x, ORIGIN[1] + y)


def at(x: float, y: float) -> Point:
    return Point(*lonlat(x, y), srid=4490)


def metres_of(point: Point) -> tuple[float, float]:
    mx, my = _TO_4549.transform(point.x, point.y)
    return mx - ORIGIN[0], my - ORIGIN[1]


def box(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    corners = [lonlat(x0, y0), lonlat(x1, y0), lonlat(x1, y1), lonlat(x0, y1), lonlat(x0, y0)]
    return MultiPolygon(Polygon(corners), srid=4490)


@dataclass(frozen=True)
class VillageSpec:
    code: str
    name: str
    township: str
    urban: bool
    elderly: int
    x: float
    y: float


TOWNSHIPS = {
    "330302001": ("五马街道", "330302"),
    "330302101": ("藤桥镇", "330302"),
    "330381101": ("塘下镇", "330381"),
}
COUNTIES = {"330302": "鹿城区", "330381": "瑞安市"}
VILLAGES = [
    VillageSpec("330302001101", "东山社区", "330302001", True, 1000, 0, 0),
    VillageSpec("330302001102", "西岙社区", "330302001", True, 500, 3000, 0),
    VillageSpec("330302101201", "上岙村", "330302101", False, 300, 0, 10000),
    VillageSpec("330302101202", "下垟村", "330302101", False, 200, 5000, 10000),
    VillageSpec("330381101201", "南塘村", "330381101", False, 400, 20000, 0),
    VillageSpec("330381101202", "北垟村", "330381101", False, 100, 21200, 0),
    VillageSpec("330381101203", "前林村", "330381101", False, 600, 22400, 0),
]
V11, V12, V21, V22, V31, V32, V33 = (v.code for v in VILLAGES)
TOTAL_ELDERLY = sum(v.elderly for v in VILLAGES)


def _extent(villages, margin: float) -> MultiPolygon:
    xs = [v.x for v in villages]
    ys = [v.y for v in villages]
    return box(min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin)


def known_geography() -> dict[str, AdminArea]:
    """The areas above, saved; returns them by code."""
    areas: dict[str, AdminArea] = {}

    def save(code, name, level, parent, geom, **extra):
        areas[code] = AdminArea.objects.create(code=code, name=name, level=level, parent=areas.get(parent),
                                               geom=geom, source="test", **extra)

    save("330000", "浙江省", "province", None, None)
    save("330300", "温州市", "city", "330000", _extent(VILLAGES, 3000))
    for code, name in COUNTIES.items():
        save(code, name, "county", "330300", _extent([v for v in VILLAGES if v.code.startswith(code)], 2000))
    for code, (name, county) in TOWNSHIPS.items():
        save(code, name, "township", county, _extent([v for v in VILLAGES if v.township == code], 1000))
    for v in VILLAGES:
        h = VILLAGE_HALF_WIDTH
        save(v.code, v.name, "village", v.township, box(v.x - h, v.y - h, v.x + h, v.y + h),
             urban_rural_code="111" if v.urban else "220", elderly_population=v.elderly,
             service_point=at(v.x, v.y))
    return areas


def canteen(name: str, x: float, y: float, *, area: str, status: str = CanteenStatus.OPEN,
            delivers: bool = False, delivery_radius_m: int | None = None,
            kind: str = CanteenKind.CANTEEN, **extra) -> Canteen:
    return Canteen.objects.create(name=name, geom=at(x, y), area=AdminArea.objects.get(code=area), status=status,
                                  delivers=delivers, delivery_radius_m=delivery_radius_m, kind=kind, **extra)


def known_canteens() -> dict[str, Canteen]:
    return {
        "C1": canteen("东山社区老年食堂", 900, 0, area=V11),
        "C2": canteen("西岙社区助餐点", 3000, 1100, area=V12, kind=CanteenKind.MEAL_POINT),
        "C3": canteen("上岙村老年食堂", 1400, 10000, area=V21),
        "C4": canteen("藤桥镇中央厨房", 7000, 10000, area="330302101", delivers=True, delivery_radius_m=2500,
                      kind=CanteenKind.CENTRAL_KITCHEN),
        "C6": canteen("北垟村老年食堂", 21200, 0, area=V32, status=CanteenStatus.PLANNED),
        "C7": canteen("塘下镇配送中心", 21200, 500, area=V32, status=CanteenStatus.SUSPENDED, delivers=True,
                      delivery_radius_m=5000, kind=CanteenKind.CENTRAL_KITCHEN),
        "C8": canteen("前林村老年食堂", 22400, 0, area=V33, status=CanteenStatus.CLOSED),
        "C9": canteen("塘下镇南助餐点", 21200, -3000, area="330381101", delivers=False, delivery_radius_m=5000,
                      kind=CanteenKind.MEAL_POINT),
    }


def admin_form(canteen: Canteen, **changes) -> dict:
    """The admin change form of ``canteen`` as posted, with ``changes``. The admin map widget posts its geometry in
    the map's projection, EPSG:3857 (or WGS84 degrees)."""
    x, y = _TO_3857.transform(canteen.geom.x, canteen.geom.y)
    form = {"name": canteen.name, "kind": canteen.kind, "geom": f'{{"type": "Point", "coordinates": [{x}, {y}]}}',
            "address": "", "operator": "", "operator_phone": "", "opening_hours": "", "status": canteen.status,
            "note": "", "source": "", "seats": "", "meals_per_sitting": "", "delivery_radius_m": "",
            "opened_on": "", "star_rating": "", "seen_version": canteen.version}
    form.update(changes)
    return form
