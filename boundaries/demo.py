"""A deterministic, clearly synthetic Wenzhou for demos, tests and benchmarks.

The 12 county-level units carry their real GB/T 2260 codes and names, but every polygon here is invented: a
hand-drawn city outline cut into Voronoi cells around the county seats. Townships and villages subdivide their
parent the same way. Cells are cut from one noded set of lines (``_tile``), so neighbours share the very same
vertices and the areas tile their parent with no gap and no overlap.

Apps add their own demo data through ``register``; ``manage.py load_demo`` runs every builder in order.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.ops import polygonize, unary_union

DEMO_SOURCE = "demo"

# Approximate outline of Wenzhou (lon, lat), drawn by hand for the demo: not a legal boundary.
CITY_OUTLINE = [
    (120.28, 28.30), (120.45, 28.55), (120.62, 28.62), (120.80, 28.52), (120.98, 28.50), (121.18, 28.38),
    (121.22, 28.18), (121.08, 28.05), (121.02, 27.96), (121.25, 27.86), (121.05, 27.72), (120.75, 27.60),
    (120.72, 27.42), (120.62, 27.22), (120.55, 27.08), (120.38, 27.05), (120.25, 27.18), (120.05, 27.22),
    (119.85, 27.30), (119.65, 27.45), (119.62, 27.65), (119.78, 27.80), (119.95, 27.95), (120.10, 28.05),
    (120.20, 28.22), (120.28, 28.30),
]

CITY = ("330300", "温州市", "330000", "浙江省")

# code, name, seat (lon, lat) near the real seat, and a few real townships (code, name) of each.
COUNTIES = [
    ("330302", "鹿城区", (120.655, 28.015), [("330302006", "五马街道"), ("330302026", "松台街道"),
                                            ("330302025", "南汇街道"), ("330302024", "滨江街道")]),
    ("330303", "龙湾区", (120.83, 27.93), [("330303001", "永中街道"), ("330303002", "蒲州街道"),
                                          ("330303003", "海滨街道"), ("330303006", "状元街道")]),
    ("330304", "瓯海区", (120.60, 27.95), [("330304001", "景山街道"), ("330304002", "梧田街道"),
                                          ("330304003", "南白象街道"), ("330304004", "茶山街道")]),
    ("330305", "洞头区", (121.10, 27.86), [("330305001", "北岙街道"), ("330305002", "灵昆街道"),
                                          ("330305003", "东屏街道"), ("330305004", "元觉街道")]),
    ("330324", "永嘉县", (120.69, 28.30), [("330324001", "东城街道"), ("330324002", "北城街道"),
                                          ("330324003", "南城街道"), ("330324006", "三江街道")]),
    ("330326", "平阳县", (120.45, 27.66), [("330326100", "昆阳镇"), ("330326101", "鳌江镇"),
                                          ("330326102", "水头镇"), ("330326103", "萧江镇")]),
    ("330327", "苍南县", (120.40, 27.25), [("330327100", "灵溪镇"), ("330327103", "宜山镇"),
                                          ("330327104", "钱库镇"), ("330327107", "金乡镇")]),
    ("330328", "文成县", (120.05, 27.78), [("330328100", "大峃镇"), ("330328101", "百丈漈镇"),
                                          ("330328102", "南田镇"), ("330328104", "黄坦镇")]),
    ("330329", "泰顺县", (119.85, 27.50), [("330329100", "罗阳镇"), ("330329101", "司前畲族镇"),
                                          ("330329102", "百丈镇"), ("330329103", "筱村镇")]),
    ("330381", "瑞安市", (120.60, 27.80), [("330381001", "安阳街道"), ("330381002", "玉海街道"),
                                          ("330381003", "锦湖街道"), ("330381004", "东山街道")]),
    ("330382", "乐清市", (120.97, 28.15), [("330382001", "城东街道"), ("330382002", "乐成街道"),
                                          ("330382003", "城南街道"), ("330382004", "盐盆街道")]),
    ("330383", "龙港市", (120.56, 27.55), [("330383198", "龙港市直辖村级区划")]),
]

VILLAGE_STEMS = [
    "东山", "西岙", "南塘", "北垟", "前林", "后垟", "上岙", "下垟", "新桥", "石坦", "岭头", "溪口", "沙岗",
    "塘下", "竹林", "梅岙", "桥头", "河口", "山根", "田垟", "龙潭", "凤岙", "莲池", "枫林", "柳湾", "杨府",
    "陈岙", "林垟", "周宅", "黄田", "汇昌", "江北", "江南", "瓯北", "湖岭", "仙岩", "茶园", "盐田", "渔港", "外垟",
]

ROAD_STEMS = [
    "人民", "解放", "胜利", "新华", "建设", "学院", "府前", "车站", "滨江", "望江", "锦绣", "江滨", "东山",
    "西山", "南塘", "信河", "五马", "公园", "环城", "百里", "飞霞", "黎明", "新城", "龙腾", "瓯江", "吴桥",
    "惠民", "文化", "体育", "振兴", "兴业", "安澜", "松台", "仓桥", "县前", "双屿", "水心", "翠微", "会昌",
    "将军", "纱帽河", "花柳塘", "蝉街", "温瑞", "桥儿头", "广场", "春晖", "育英", "隆山", "锦江", "凤凰",
    "银泰", "江心", "朔门", "杨府山", "勤奋", "民航", "机场", "永宁", "汤家桥", "上陡门", "下吕浦", "划龙桥",
    "葡萄棚", "马鞍池", "黄龙", "鞋都", "牛山", "新田园", "净水", "大自然", "龟湖", "梧田", "茶山", "南浦",
]
ROAD_GENERICS = ["路", "路", "路", "街", "大道", "巷"]
ROAD_DIRECTIONS = ["", "", "", "东", "西", "南", "北", "中"]


def _tile(parent: Polygon | MultiPolygon, seeds: list[tuple[float, float]]) -> list[MultiPolygon]:
    """Cuts ``parent`` into one piece per seed (Voronoi), the pieces sharing exact edges."""
    points = shapely.MultiPoint(seeds)
    cells = list(shapely.voronoi_polygons(points, extend_to=parent.envelope.buffer(1.0), ordered=True).geoms)
    lines = unary_union([c.boundary for c in cells] + [parent.boundary])
    faces = [f for f in polygonize(lines) if parent.contains(f.representative_point())]
    pieces: list[list[Polygon]] = [[] for _ in seeds]
    for face in faces:
        inside = face.representative_point()
        idx = next((i for i, cell in enumerate(cells) if cell.contains(inside)), None)
        if idx is None:  # on a cell edge after noding: the nearest seed owns it, as Voronoi means
            idx = min(range(len(seeds)), key=lambda i: inside.distance(Point(seeds[i])))
        pieces[idx].append(face)
    out = []
    for faces_of_seed in pieces:
        merged = unary_union(faces_of_seed)
        out.append(merged if isinstance(merged, MultiPolygon) else MultiPolygon([merged]))
    return out


def _seeds_in(polygon, count: int, rng: random.Random) -> list[tuple[float, float]]:
    minx, miny, maxx, maxy = polygon.bounds
    seeds: list[tuple[float, float]] = []
    tries = 0
    while len(seeds) < count and tries < count * 500:
        tries += 1
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if polygon.contains(p) and all(p.distance(Point(s)) > 1e-4 for s in seeds):
            seeds.append((p.x, p.y))
    return seeds


@dataclass
class AreaSpec:
    code: str
    name: str
    level: str
    parent_code: str | None
    geom: MultiPolygon | None
    urban_rural_code: str = ""
    elderly_population: int | None = None
    service_point: Point | None = None


def city_outline() -> Polygon:
    return Polygon(CITY_OUTLINE)


def build_area_specs(scale: float = 1.0, seed: int = 330300) -> list[AreaSpec]:
    """Every demo area, parents before children. Deterministic for a given scale and seed."""
    rng = random.Random(seed)
    outline = city_outline()
    specs = [AreaSpec(CITY[2], CITY[3], "province", None, None),
             AreaSpec(CITY[0], CITY[1], "city", CITY[2], MultiPolygon([outline]))]
    county_geoms = _tile(outline, [c[2] for c in COUNTIES])
    villages_per_township = max(3, round(5 * scale))
    for (code, name, _seat, townships), geom in zip(COUNTIES, county_geoms, strict=True):
        specs.append(AreaSpec(code, name, "county", CITY[0], geom))
        t_seeds = _seeds_in(geom, len(townships), rng)
        for (t_code, t_name), t_geom in zip(townships, _tile(geom, t_seeds), strict=True):
            specs.append(AreaSpec(t_code, t_name, "township", code, t_geom))
            specs.extend(_villages(t_code, t_name, t_geom, villages_per_township, rng))
    return specs


def _villages(t_code, t_name, t_geom, count, rng) -> list[AreaSpec]:
    urban = t_name.endswith("街道") or t_name.endswith("直辖村级区划")
    v_seeds = _seeds_in(t_geom, count, rng)
    out = []
    for i, v_geom in enumerate(_tile(t_geom, v_seeds), start=1):
        stem = VILLAGE_STEMS[(i - 1) % len(VILLAGE_STEMS)]
        round_no = (i - 1) // len(VILLAGE_STEMS)
        stem = stem if round_no == 0 else f"{stem}{'一二三四五六七八九十'[min(round_no, 10) - 1]}"
        name = f"{stem}社区" if urban else f"{stem}村"
        code = f"{t_code}{(100 if urban else 200) + i:03d}"
        point = v_geom.representative_point() if not v_geom.is_empty else None
        out.append(AreaSpec(code, name, "village", t_code, v_geom, urban_rural_code="111" if urban else "220",
                            elderly_population=rng.randint(150, 2500) if urban else rng.randint(80, 900),
                            service_point=point))
    return out


def road_network(area_polygon, seat: tuple[float, float], count: int, rng: random.Random) -> list[tuple[str, LineString]]:
    """``count`` named, gently curved roads around ``seat``, clipped to ``area_polygon``; names unique per call."""
    names: set[str] = set()
    roads: list[tuple[str, LineString]] = []
    angle0 = rng.uniform(0, math.pi / 2)
    attempts = 0
    while len(roads) < count and attempts < count * 20:
        attempts += 1
        name = _road_name(rng, names)
        if name is None:
            break
        line = _curved_line(seat, angle0 + (math.pi / 2 if attempts % 2 else 0), rng, spread=0.02 + 0.002 * math.sqrt(len(roads)))
        piece = line.intersection(area_polygon)
        if piece.is_empty:
            continue
        if piece.geom_type == "MultiLineString":
            piece = max(piece.geoms, key=lambda g: g.length)
        if piece.geom_type != "LineString" or piece.length < 0.004:
            continue
        names.add(name)
        roads.append((name, piece))
    return roads


def _road_name(rng: random.Random, taken: set[str]) -> str | None:
    for _ in range(200):
        name = rng.choice(ROAD_STEMS) + rng.choice(ROAD_DIRECTIONS) + rng.choice(ROAD_GENERICS)
        if name.endswith("巷") and name[-2] in "东西南北中":
            continue
        if name not in taken:
            return name
    for n in range(1, 10_000):
        name = f"{rng.choice(ROAD_STEMS)}{n}号路"
        if name not in taken:
            return name
    return None


def _curved_line(seat, angle, rng, spread) -> LineString:
    """A 1.5 to 5 km road through a point near the seat, bending by up to a few hundred metres."""
    cx = seat[0] + rng.gauss(0, spread)
    cy = seat[1] + rng.gauss(0, spread)
    half = rng.uniform(0.0075, 0.025)
    bend = rng.uniform(-0.15, 0.15)
    dx, dy = math.cos(angle), math.sin(angle)
    coords = []
    for k in range(9):
        t = -1 + k / 4
        offset = bend * half * (1 - t * t)
        coords.append((cx + dx * t * half - dy * offset, cy + dy * t * half + dx * offset))
    return LineString(coords)


@dataclass
class DemoContext:
    scale: float
    seed: int
    log: Callable[[str], Any]
    data: dict[str, Any] = field(default_factory=dict)

    def rng(self, salt: str) -> random.Random:
        return random.Random(f"{self.seed}:{salt}")


@dataclass(order=True)
class _Builder:
    order: int
    name: str
    fn: Callable[[DemoContext], Any] = field(compare=False)


_BUILDERS: dict[str, _Builder] = {}


def register(order: int, name: str | None = None):
    """Decorator for an app's demo builder; lower orders run first (areas 10, places 20, doorplates 30...)."""

    def wrap(fn):
        key = name or f"{fn.__module__}.{fn.__name__}"
        _BUILDERS[key] = _Builder(order, key, fn)
        return fn

    return wrap


def builders() -> list[_Builder]:
    return sorted(_BUILDERS.values())


def county_seat(code: str) -> tuple[float, float]:
    for c_code, _name, seat, _t in COUNTIES:
        if c_code == code:
            return seat
    raise KeyError(code)


@register(10, "boundaries.areas")
def build_areas(ctx: DemoContext):
    from boundaries.services import save_demo_areas

    specs = build_area_specs(ctx.scale, ctx.seed)
    ctx.data["areas"] = save_demo_areas(specs)
    counts: dict[str, int] = {}
    for spec in specs:
        counts[spec.level] = counts.get(spec.level, 0) + 1
    ctx.log("行政区划：" + "，".join(f"{k} {v}" for k, v in counts.items()))

