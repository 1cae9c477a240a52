"""Demo canteens (synthetic): about 1,010 × scale / 42 canteens near village service points, some delivering.

Wenzhou reports 1,010 elderly canteens; scale 42 is about a full Wenzhou, so the count grows with the scale
(at least 25). Canteens go to villages drawn by elderly population, a few hundred metres from the service point.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.contrib.gis.geos import Point

from boundaries.demo import DEMO_SOURCE, DemoContext, register
from boundaries.models import AdminArea
from canteens import sql
from canteens.models import Canteen, CanteenKind, CanteenStatus
from canteens.services import DOORPLATE_MAX_M
from gis.crs import METRIC_SRID, STORAGE_SRID, transform_xy

FULL_CITY_CANTEENS = 1010
FULL_CITY_SCALE = 42
MIN_CANTEENS = 25
HOURS = ["周一至周日 11:00-12:30", "周一至周六 11:00-12:30，17:00-18:00", "周一至周五 10:45-12:30",
         "每日 11:00-13:00，16:30-18:00"]
OPERATORS = ["{village}居家养老服务照料中心", "{village}老年协会", "温州{stem}餐饮管理有限公司", "{township}社会工作服务中心"]


def canteen_count(scale: float) -> int:
    return max(MIN_CANTEENS, round(FULL_CITY_CANTEENS * scale / FULL_CITY_SCALE))


@register(40, "canteens.canteens")
def build_canteens(ctx: DemoContext):
    count = canteen_count(ctx.scale)
    made = create_demo_canteens(count, ctx.rng("canteens"))
    open_count = sum(1 for c in made if c.status == CanteenStatus.OPEN)
    delivering = sum(1 for c in made if c.delivers)
    linked = Canteen.objects.filter(source=DEMO_SOURCE, doorplate__isnull=False).count()
    ctx.log(f"老年食堂 {len(made)} 个（运营中 {open_count}，送餐 {delivering}，关联门牌 {linked}）")


def _villages():
    return list(AdminArea.objects.at_level("village").exclude(service_point=None)
                .select_related("parent__parent").order_by("code12"))


def _pick(villages, count: int, rng: random.Random):
    """``count`` villages drawn by elderly population, each at most once while any is left."""
    weights = [max(1, v.elderly_population or 1) for v in villages]
    chosen: list[AdminArea] = []
    while len(chosen) < count:
        # Efraimidis-Spirakis keys: a weighted sample without replacement in one sort.
        keys = sorted(range(len(villages)), key=lambda i: -(rng.random() ** (1.0 / weights[i])))
        chosen.extend(villages[i] for i in keys[: count - len(chosen)])
    return chosen


def _near(point: Point, urban: bool, rng: random.Random) -> Point:
    x, y = transform_xy(point.x, point.y, STORAGE_SRID, METRIC_SRID)
    distance = rng.uniform(20, 400 if urban else 700)
    bearing = rng.uniform(0, 2 * math.pi)
    lon, lat = transform_xy(x + distance * math.cos(bearing), y + distance * math.sin(bearing),
                            METRIC_SRID, STORAGE_SRID)
    return Point(lon, lat, srid=STORAGE_SRID)


def _kind(rng: random.Random) -> tuple[str, bool, int | None]:
    roll = rng.random()
    if roll < 0.06:
        return CanteenKind.CENTRAL_KITCHEN, True, rng.choice([3000, 4000, 5000])
    kind = CanteenKind.MEAL_POINT if roll < 0.32 else CanteenKind.CANTEEN
    delivers = rng.random() < 0.15
    return kind, delivers, rng.choice([1500, 2000, 2500, 3000]) if delivers else None


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.84:
        return CanteenStatus.OPEN
    if roll < 0.90:
        return CanteenStatus.PLANNED
    return CanteenStatus.SUSPENDED if roll < 0.95 else CanteenStatus.CLOSED


def _canteen(village: AdminArea, seen: dict[str, int], rng: random.Random) -> Canteen:
    township = village.parent
    county = township.parent if township else None
    kind, delivers, radius = _kind(rng)
    status = _status(rng)
    suffix = {CanteenKind.CANTEEN: "老年食堂", CanteenKind.MEAL_POINT: "助餐点",
              CanteenKind.CENTRAL_KITCHEN: "中央厨房"}[kind]
    base = f"{village.name}{suffix}"
    seen[base] = seen.get(base, 0) + 1
    name = base if seen[base] == 1 else f"{base}（{seen[base]}）"
    stem = village.name.removesuffix("社区").removesuffix("村")
    seats = None if kind == CanteenKind.CENTRAL_KITCHEN else rng.randint(8, 40) if kind == CanteenKind.MEAL_POINT \
        else rng.randint(20, 120)
    opened = None if status == CanteenStatus.PLANNED else dt.date(rng.randint(2012, 2024), rng.randint(1, 12), 1)
    return Canteen(
        name=name, kind=kind, geom=_near(village.service_point, village.is_urban, rng), area=village,
        address=f"{county.name if county else ''}{township.name if township else ''}{village.name}{rng.randint(1, 199)}号",
        operator=rng.choice(OPERATORS).format(village=village.name, township=township.name if township else "",
                                              stem=stem),
        operator_phone=f"0577-8{rng.randint(0, 9_999_999):07d}",
        seats=seats, meals_per_sitting=(seats or rng.randint(150, 600)) + rng.randint(0, 30),
        opening_hours=rng.choice(HOURS), delivers=delivers, delivery_radius_m=radius, status=status,
        opened_on=opened, star_rating=rng.randint(1, 5) if opened and rng.random() < 0.7 else None,
        source=DEMO_SOURCE,
    )


def create_demo_canteens(count: int, rng: random.Random) -> list[Canteen]:
    """Replaces the demo canteens with ``count`` new ones; the villages must exist (demo areas)."""
    Canteen.objects.filter(source=DEMO_SOURCE).delete()
    villages = _villages()
    if not villages:
        return []
    seen: dict[str, int] = {}
    made = [_canteen(v, seen, rng) for v in _pick(villages, count, rng)]
    Canteen.objects.bulk_create(made, batch_size=1000)
    sql.refine_canteen_areas(DEMO_SOURCE)
    # Where a demo doorplate is at hand the canteen takes its standard address, as an officer would link it.
    sql.link_nearest_plates(DEMO_SOURCE, DOORPLATE_MAX_M)
    sql.analyze_canteens()
    return made
