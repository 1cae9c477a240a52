"""Demo of the census register: 文成县 bulk-loaded from a synthetic census file (villages, natural villages, bridges,
mountains, streams, residential areas, buildings, a few roads) with some records the checking rules flag; place-name
signs in every state; a 乡村著名 campaign partly on the platforms. All names are invented."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

from django.contrib.gis.geos import Point

from boundaries.demo import COUNTIES, DemoContext, register
from boundaries.models import AdminArea
from placenames import campaigns
from placenames.bulk import import_places
from placenames.models import (
    Campaign,
    Place,
    PlatformState,
    PlatformSubmission,
    Sign,
    SignEvent,
    SignReport,
    SignState,
)

DEMO_SOURCE = "演示普查数据（合成）"
DEMO_CAMPAIGN = "2026年乡村著名行动（演示）"
COUNTY = "330328"  # 文成县
HEADER = ["名称", "类别代码", "区县", "经度", "纬度", "几何", "汉语拼音", "含义", "来历", "别名/曾用名", "历史沿革",
          "地理实体描述", "资料来源", "登记人"]
SPECIFICS = ["黄坦", "西坑", "南田", "百丈", "峃口", "周壤", "铜铃", "玉壶", "龙川", "朱雅", "石垟", "樟台", "金星", "珊溪",
             "巨屿", "二源", "公阳", "平和", "桂山", "仰山", "双桂", "富岙", "叶胜", "呈山", "东背", "下垟", "岭后", "坑口"]
NATURAL_VILLAGES = ["下岙", "上垟", "后坑", "外山", "里湾", "前垄", "岭头", "东寮", "水口", "桥头", "竹坪", "高岭"]
CATEGORIES = [("村", "2161"), ("", "222"), ("桥", "2361"), ("山", "134"), ("溪", "121"), ("花园", "221"),
              ("大厦", "26")]


@register(18, "placenames.census_clear")
def clear_census_demo(ctx: DemoContext):
    """Before the demo roads are rebuilt: the demo's signs hold their places (PROTECT)."""
    Sign.objects.filter(place__location_description="演示数据").delete()
    Sign.objects.filter(place__census__source=DEMO_SOURCE).delete()
    Campaign.objects.filter(name=DEMO_CAMPAIGN).delete()
    Place.objects.filter(census__source=DEMO_SOURCE).delete()


@register(35, "placenames.census")
def build_census_demo(ctx: DemoContext):
    county = AdminArea.objects.get(code=COUNTY)
    rows = _census_rows(ctx, county)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "文成县地名普查（演示）.csv"
        with open(path, "w", encoding="gbk", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=HEADER)
            writer.writeheader()
            writer.writerows(rows)
        report = import_places(path, commit="valid", file_name=path.name)
    flagged = Place.objects.filter(census__source=DEMO_SOURCE, flags__state="open").distinct().count()
    ctx.log(f"地名普查（文成县）：导入 {report.created} 条，拒绝 {len(report.rejected_rows)} 行，待校核 {flagged} 条")
    _signs(ctx)
    _campaign(ctx)


def _inside(county: AdminArea, rng, seat, spread: float) -> tuple[float, float]:
    for _ in range(200):
        lon, lat = seat[0] + rng.uniform(-spread, spread), seat[1] + rng.uniform(-spread, spread)
        if county.geom.contains(Point(lon, lat, srid=4490)):
            return lon, lat
    return seat


def _census_rows(ctx: DemoContext, county: AdminArea) -> list[dict]:
    rng = ctx.rng("census")
    seat = next(c[2] for c in COUNTIES if c[0] == COUNTY)
    per_kind = max(4, round(12 * ctx.scale))
    rows, used = [], set()
    for generic, code in CATEGORIES:
        pool = NATURAL_VILLAGES if code == "222" else SPECIFICS
        for specific in rng.sample(pool, min(per_kind, len(pool))):
            name = specific + generic
            if name in used:
                continue
            used.add(name)
            lon, lat = _inside(county, rng, seat, 0.08)
            rows.append(_row(name, code, lon, lat))
    for name in ("文峰路", "建设路"):
        lon, lat = _inside(county, rng, seat, 0.01)
        rows.append(_row(name, "2351", lon, lat, wkt=f"LINESTRING({lon:.6f} {lat:.6f}, {lon + 0.006:.6f} {lat:.6f})"))
    # What the checking rules find: a homophone, a wrong pinyin, a name far from its county, a category that does
    # not fit, and two rows the load refuses (an unknown category, a road given as a point).
    lon, lat = _inside(county, rng, seat, 0.05)
    rows += [_row("文丰路", "2351", lon, lat, wkt=f"LINESTRING({lon:.6f} {lat:.6f}, {lon + 0.005:.6f} {lat:.6f})"),
             _row("玉壶镇政府大楼", "26", *_inside(county, rng, seat, 0.05), pinyin="Yuhu Zhengfu Da Lou"),
             _row("飞云湖", "122", 119.85, 27.50),
             _row("龙川大厦", "2161", *_inside(county, rng, seat, 0.05)),
             _row("坑底", "9999", *_inside(county, rng, seat, 0.05)),
             _row("新华路", "2351", *_inside(county, rng, seat, 0.05))]
    return rows


def _row(name, code, lon, lat, *, wkt="", pinyin=""):
    return {"名称": name, "类别代码": code, "区县": "文成县", "经度": f"{lon:.6f}", "纬度": f"{lat:.6f}", "几何": wkt,
            "汉语拼音": pinyin, "含义": "以当地地形得名（演示）", "来历": "相传明代已有此名（演示）",
            "别名/曾用名": "", "历史沿革": "1981年地名普查时录入，2015年第二次全国地名普查复核（演示）",
            "地理实体描述": "合成的演示记录", "资料来源": DEMO_SOURCE, "登记人": "演示登记员"}


SIGN_PLAN = [  # state, maintenance actions after registration, an open public report
    (SignState.PLANNED, [], False),
    (SignState.INSTALLED, ["install"], False),
    (SignState.INSTALLED, ["install", "inspect"], False),
    (SignState.DAMAGED, ["install"], True),
    (SignState.UNDER_REPAIR, ["install", "report_damage", "start_repair"], False),
    (SignState.INSTALLED, ["install", "report_damage", "repair"], False),
    (SignState.REMOVED, ["install", "remove"], False),
]


def _signs(ctx: DemoContext):
    lucheng = list(Place.objects.filter(location_description="演示数据", area__code12__startswith="330302")
                   .order_by("name")[:4])
    villages = list(Place.objects.filter(census__source=DEMO_SOURCE, kind__code="village").order_by("name")[:6])
    places = lucheng + villages
    if not places:
        return
    made = 0
    for i, place in enumerate(places):
        state, actions, reported = SIGN_PLAN[i % len(SIGN_PLAN)]
        point = place.geom.point_on_surface
        installed = dt.date(2024, 3, 1) + dt.timedelta(days=37 * i) if actions else None
        sign = Sign.objects.create(place=place, type="road" if place.kind.code in ("road", "street") else "village",
                                   shown_name=place.name, shown_pinyin=place.pinyin, geom=point, area=place.area,
                                   installed_on=installed, state=state, version=1 + len(actions))
        history = ["register", *actions] + (["reported"] if reported else [])
        previous = SignState.PLANNED
        for action in history:
            to = {"install": SignState.INSTALLED, "inspect": SignState.INSTALLED, "report_damage": SignState.DAMAGED,
                  "reported": SignState.DAMAGED, "start_repair": SignState.UNDER_REPAIR, "repair": SignState.INSTALLED,
                  "remove": SignState.REMOVED}.get(action, previous)
            SignEvent.objects.create(sign=sign, action=action, from_state=previous, to_state=to, note="演示")
            previous = to
        if reported:
            SignReport.objects.create(sign=sign, text="标志牌被台风吹歪，拼音脱落（演示）")
        made += 1
    ctx.log(f"地名标志 {made} 块（计划、已设置、损坏待修、维修中、已拆除各有）")


def _campaign(ctx: DemoContext):
    names = list(Place.objects.filter(census__source=DEMO_SOURCE, kind__code="village").order_by("name"))
    if not names:
        return
    campaign = Campaign.objects.create(name=DEMO_CAMPAIGN, year=2026, target=len(names) + 10,
                                       county_targets={COUNTY: len(names) + 10})
    campaigns.add_names(campaign, names, "import")
    rng = ctx.rng("campaign")
    reasons = ["名称与现场标牌不一致", "坐标偏离实际位置", "与已有兴趣点重复"]
    for sub in PlatformSubmission.objects.filter(entry__campaign=campaign).order_by("entry_id", "platform"):
        roll = rng.random()
        state = (PlatformState.ACCEPTED if roll < 0.55 else PlatformState.REFUSED if roll < 0.7
                 else PlatformState.RESENT if roll < 0.78 else PlatformState.EXPORTED if roll < 0.9
                 else PlatformState.TO_SEND)
        reason = rng.choice(reasons) if state in (PlatformState.REFUSED, PlatformState.RESENT) else ""
        PlatformSubmission.objects.filter(pk=sub.pk).update(state=state, reason=reason)
    accepted = PlatformSubmission.objects.filter(entry__campaign=campaign, state=PlatformState.ACCEPTED).count()
    ctx.log(f"乡村著名行动：{len(names)} 个乡村地名，已上图 {accepted} 个平台记录")

