"""Demo doorplates (synthetic): plates along both sides of every demo road, numbered by chainage and side; plates in
the demo villages and residential areas (build_base_plates).

About 25,000 plates per unit of scale (scale 42: 1.05 million, Wenzhou's count), spread over the roads in
proportion to their length, odd on the left and even on the right, one reserve number per 4 m of frontage, a
few 之一 infill plates and building plates. Generated road by road with numpy and loaded with COPY.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from django.db import connection

from boundaries.demo import DemoContext, register
from doorplates import loading, sql
from doorplates.addresses import HouseNumber, texts_for
from doorplates.models import BASE_FIELDS, PlateStatus, PlateType
from doorplates.numbering import RoadLine, Rules
from gis.crs import METRIC_SRID, STORAGE_SRID, transform_xy
from placenames.bases import BaseKind, bases_in_use
from placenames.demo_bases import DEMO_BASES
from placenames.roads import Road, roads_in_use

DEMO_SOURCE = "demo"
PLATES_PER_SCALE = 25_000
ROADS_PER_CHUNK = 400
STATUS_SHARES = ((PlateStatus.INSTALLED, 0.90), (PlateStatus.PLANNED, 0.05), (PlateStatus.DAMAGED, 0.04),
                 (PlateStatus.RETIRED, 0.01))
INFILL_SHARE = 0.03
BUILDING_SHARE = 0.04


@dataclass
class DemoPlate:
    """One generated plate before it has an area (columns of one road, as arrays)."""

    road: Road
    numbers: np.ndarray
    subs: np.ndarray
    types: list[str]
    buildings: list[str]
    x: np.ndarray  # metric
    y: np.ndarray
    statuses: np.ndarray
    installed: np.ndarray  # days since 2010-01-01, -1 for none


def demo_roads():
    return roads_in_use().filter(location_description="演示数据").order_by("uuid")


@register(19, "doorplates.clear")
def clear_demo_plates(ctx: DemoContext):
    """Runs before the roads are rebuilt: demo plates hold their roads (PROTECT)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.COUNT_OTHER_SOURCES, [DEMO_SOURCE])
        others = cursor.fetchone()[0]
    if others or not truncate_plates():
        with connection.cursor() as cursor:
            cursor.execute(sql.DELETE_BY_SOURCE, [DEMO_SOURCE])


def truncate_plates() -> bool:
    """Empties the registry in one TRUNCATE, whatever the plates' source; False (and nothing done) when another
    table refers to plates by a key that is not ON DELETE SET NULL (those references would be lost)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.REFERENCING_KEYS)
        keys = cursor.fetchall()
        if not all(set_null for *_rest, set_null in keys):
            return False
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending deferred FK checks
        for name, table, column, _definition, _set_null in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            cursor.execute(f'UPDATE {table} SET "{column}" = NULL WHERE "{column}" IS NOT NULL')
        cursor.execute(sql.TRUNCATE)
        for name, table, _column, definition, _set_null in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    return True


@register(30, "doorplates.plates")
def build_plates(ctx: DemoContext):
    clear_demo_plates(ctx)
    roads = list(demo_roads().select_related("area"))
    if not roads:
        ctx.log("没有演示道路，跳过门牌。")
        return
    staged = loading.copy_to_staging(plate_rows(roads, ctx.scale, ctx.rng("doorplates").randrange(2**32)))
    created = loading.insert_staged(staged)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE doorplates_doorplate")
    ctx.data["doorplates"] = created
    ctx.log(f"门牌 {created} 块（{len(roads)} 条道路两侧，左单右双）")


def plate_rows(roads: list[Road], scale: float, seed: int, source: str = DEMO_SOURCE) -> Iterator[loading.PlateRow]:
    """Every demo plate as a loading row, road chunk by road chunk (memory stays flat at a million plates).

    The database is read here, before the rows are drawn: they are drawn while COPY holds the connection.
    """
    rng = np.random.default_rng(seed)
    lines = [RoadLine.of(road.geom) for road in roads]
    lengths = np.array([line.length for line in lines])
    per_road = np.maximum(2, np.round(PLATES_PER_SCALE * scale * lengths / lengths.sum())).astype(int)
    locator = loading.AreaLocator()
    prefixes = locator.prefixes()
    return _draw(roads, lines, per_road, rng, locator, prefixes, source)


def _draw(roads, lines, per_road, rng, locator, prefixes, source) -> Iterator[loading.PlateRow]:
    line_no = 0
    for start in range(0, len(roads), ROADS_PER_CHUNK):
        chunk = [_road_plates(roads[i], lines[i], int(per_road[i]), rng)
                 for i in range(start, min(start + ROADS_PER_CHUNK, len(roads)))]
        for row in _rows(chunk, locator, prefixes, source):
            line_no += 1
            row.line = line_no
            yield row


def _road_plates(road: Road, line: RoadLine, count: int, rng: np.random.Generator) -> DemoPlate:
    rules = Rules()
    parts = [_side(line, rules, side, count // 2 + (count % 2 if side == "left" else 0), rng)
             for side in ("left", "right")]
    numbers = np.concatenate([p[0] for p in parts])
    subs = np.concatenate([p[1] for p in parts])
    x = np.concatenate([p[2] for p in parts])
    y = np.concatenate([p[3] for p in parts])
    n = len(numbers)
    types = [PlateType.DOOR] * n
    buildings = [""] * n
    for i in np.flatnonzero((rng.random(n) < BUILDING_SHARE) & (subs == 0)):
        types[i], buildings[i] = PlateType.BUILDING, str(rng.integers(1, 4))
    shares = np.array([s for _status, s in STATUS_SHARES])
    statuses = rng.choice(len(STATUS_SHARES), size=n, p=shares / shares.sum())
    installed = np.where(statuses == 1, -1, rng.integers(0, 5400, size=n))
    return DemoPlate(road, numbers, subs, types, buildings, x, y, statuses, installed)


def _side(line: RoadLine, rules: Rules, side: str, count: int, rng: np.random.Generator):
    """Chainage-ordered entrances on one side: reserve numbers rising by at least 2, a few 之一 infills."""
    if count <= 0:
        empty = np.array([], dtype=float)
        return empty.astype(int), empty.astype(int), empty, empty
    spacing = line.length / count
    chainage = np.clip((np.arange(count) + 0.5 + rng.uniform(-0.3, 0.3, count)) * spacing, 0.5, line.length - 0.5)
    parity = rules.parity(side)
    reserve = 2 * np.floor(chainage / rules.spacing_m).astype(int) + (1 if parity else 2)
    steps = 2 * np.arange(count)
    numbers = steps + np.maximum.accumulate(reserve - steps)  # each at least its reserve and 2 above the last
    infill = rng.random(count) < INFILL_SHARE
    infill[0] = False
    subs = np.where(infill, 1, 0)
    numbers = np.where(infill, np.roll(numbers, 1), numbers)  # 之一 takes the previous plate's number
    offset = rng.uniform(6, 25, count) * (1 if side == "left" else -1)
    x, y = _offset_points(line, chainage, offset)
    return numbers, subs, x, y


def _offset_points(line: RoadLine, chainage: np.ndarray, offset: np.ndarray):
    seg = np.clip(np.searchsorted(line.cumulative, chainage, side="right") - 1, 0, len(line.coords) - 2)
    start, end = line.coords[seg], line.coords[seg + 1]
    direction = (end - start) / np.hypot(*(end - start).T)[:, None]
    base = start + direction * (chainage - line.cumulative[seg])[:, None]
    normal = np.column_stack([-direction[:, 1], direction[:, 0]])
    points = base + normal * offset[:, None]
    return points[:, 0], points[:, 1]


def _rows(chunk: list[DemoPlate], locator: loading.AreaLocator, prefixes: list[str], source: str):
    x = np.concatenate([p.x for p in chunk])
    y = np.concatenate([p.y for p in chunk])
    lon, lat = transform_xy(x, y, METRIC_SRID, STORAGE_SRID)
    area_index = locator.locate(lon, lat)
    statuses = [s for s, _share in STATUS_SHARES]
    i = 0
    for plate in chunk:
        road = plate.road
        for k in range(len(plate.numbers)):
            where = int(area_index[i])
            if where < 0:  # an entrance off the coast or over the city line: no plate
                i += 1
                continue
            prefix = prefixes[where]
            area_id = int(locator.ids[where])
            number = HouseNumber(int(plate.numbers[k]), int(plate.subs[k]), "zhi")
            text = texts_for(prefix, road.name, road.pinyin_key, road.initials, number, plate.buildings[k])
            days = int(plate.installed[k])
            yield loading.PlateRow(
                line=0, road_id=str(road.uuid), number=number.number, sub_number=number.sub, sub_style=number.style,
                annex=False, building=plate.buildings[k], unit="", room="", plate_type=plate.types[k],
                status=statuses[plate.statuses[k]],
                installed_on=(dt.date(2010, 1, 1) + dt.timedelta(days=days)).isoformat() if days >= 0 else None,
                lon=float(lon[i]), lat=float(lat[i]), area_id=area_id, road_name=road.name,
                number_label=text.number_label, address=text.address, search_text=text.search_text, source=source)
            i += 1


# --- plates without a road: villages and residential areas ------------------------------------------------------

VILLAGE_PLATES_PER_SCALE = 512  # scale 42: about the bureau's 21,500 rural plates
RESIDENTIAL_FLOORS, RESIDENTIAL_DOORS = 6, 2  # rooms 101-602 in every unit


@register(31, "doorplates.bases")
def build_base_plates(ctx: DemoContext):
    """Village plates numbered 1, 2, 3 ... across each village and natural village (a few 之一 infills), and in each
    residential area building plates, unit plates and room plates (3幢2单元501室) without a house number."""
    villages = list(bases_in_use(BaseKind.VILLAGE).filter(location_description=DEMO_BASES).order_by("uuid"))
    areas = list(bases_in_use(BaseKind.RESIDENTIAL).filter(location_description=DEMO_BASES).order_by("uuid"))
    if not villages and not areas:
        ctx.log("没有演示村和小区，跳过其门牌。")
        return
    rng = np.random.default_rng(ctx.rng("doorplates:bases").randrange(2**32))
    locator = loading.AreaLocator()
    _LOCATOR[:] = [locator]
    per_village = max(6, round(VILLAGE_PLATES_PER_SCALE * ctx.scale / max(len(villages), 1)))
    rows = _numbered_rows(
        [*(_village_plates(v, per_village, rng) for v in villages), *(_residential_plates(a, rng) for a in areas)],
        locator, locator.prefixes())
    created = loading.insert_staged(loading.copy_to_staging(rows))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE doorplates_doorplate")
    ctx.data["base_plates"] = created
    ctx.log(f"村和小区门牌 {created} 块（{len(villages)} 个村、自然村，{len(areas)} 个小区）")


_LOCATOR: list = [None]  # the build's area locator: no plate is drawn outside every area (a number would be missed)


@dataclass
class BasePlates:
    """The generated plates of one village or residential area (before they have an area)."""

    kind: str
    base: object
    numbers: list  # HouseNumber or None
    parts: list  # (building, unit, room, plate type)
    lon: np.ndarray
    lat: np.ndarray


def _points_in(base, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``count`` random points inside the base's outline, sorted west to east (the order they are numbered in)."""
    import shapely

    shape = shapely.from_wkb(bytes(base.geom.wkb))
    minx, miny, maxx, maxy = shape.bounds
    xs, ys = [], []
    while len(xs) < count:
        x, y = rng.uniform(minx, maxx, count * 2), rng.uniform(miny, maxy, count * 2)
        inside = shapely.contains_xy(shape, x, y) & (_LOCATOR[0].locate(x, y) >= 0)  # in an admin area (not at sea)
        xs.extend(x[inside])
        ys.extend(y[inside])
    order = np.argsort(np.array(xs[:count]))
    return np.array(xs[:count])[order], np.array(ys[:count])[order]


def _village_plates(village, count: int, rng: np.random.Generator) -> BasePlates:
    lon, lat = _points_in(village, count, rng)
    numbers, n = [], 0
    for i in range(count):
        if i and rng.random() < INFILL_SHARE:
            numbers.append(HouseNumber(n, 1, "zhi"))  # 12号之一 beside 12号
        else:
            n += 1
            numbers.append(HouseNumber(n))
    return BasePlates(BaseKind.VILLAGE, village, numbers, [("", "", "", PlateType.DOOR)] * count, lon, lat)


def _residential_plates(area, rng: np.random.Generator) -> BasePlates:
    buildings, units = int(rng.integers(2, 6)), int(rng.integers(1, 4))
    parts = []
    for b in range(1, buildings + 1):
        parts.append((str(b), "", "", PlateType.BUILDING))
        for u in range(1, units + 1):
            parts.append((str(b), str(u), "", PlateType.UNIT))
            parts += [(str(b), str(u), f"{floor}{door:02d}", PlateType.ROOM)
                      for floor in range(1, RESIDENTIAL_FLOORS + 1) for door in range(1, RESIDENTIAL_DOORS + 1)]
    entrances = _points_in(area, buildings * units, rng)
    index = [(int(p[0]) - 1) * units + (int(p[1] or 1) - 1) for p in parts]  # a unit's plates at its entrance
    return BasePlates(BaseKind.RESIDENTIAL, area, [None] * len(parts), parts, entrances[0][index],
                      entrances[1][index])


def _numbered_rows(groups: list[BasePlates], locator: loading.AreaLocator, prefixes: list[str]):
    # No retired plates here: a retired number would leave a gap in its village's numbers or its building's units.
    kept = [(s, share) for s, share in STATUS_SHARES if s != PlateStatus.RETIRED]
    statuses = [s for s, _share in kept]
    shares = np.array([share for _status, share in kept])
    line = 0
    for group in groups:
        where = locator.locate(group.lon, group.lat)
        drawn = np.random.default_rng(line).choice(len(statuses), size=len(group.numbers), p=shares / shares.sum())
        base = group.base
        for k, number in enumerate(group.numbers):
            if where[k] < 0:
                continue
            building, unit, room, plate_type = group.parts[k]
            text = texts_for(prefixes[where[k]], base.name, base.pinyin_key, base.initials, number, building, unit,
                             room)
            line += 1
            status = statuses[drawn[k]]
            yield loading.PlateRow(
                line=line, road_id=None, **{f"{BASE_FIELDS[group.kind]}_id": str(base.uuid)},
                number=number.number if number else None, sub_number=number.sub if number else 0,
                sub_style=number.style if number else "dash", annex=False, building=building, unit=unit, room=room,
                plate_type=plate_type, status=status,
                installed_on=None if status == PlateStatus.PLANNED else "2021-06-01",
                lon=float(group.lon[k]), lat=float(group.lat[k]), area_id=int(locator.ids[where[k]]),
                road_name=base.name, number_label=text.number_label, address=text.address,
                search_text=text.search_text, source=DEMO_SOURCE)
