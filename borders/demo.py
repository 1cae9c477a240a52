"""Synthetic neighbours, boundary lines, markers and joint inspections for the demo (all invented, like the areas).

The city gains three synthetic neighbours cut from a frame around its outline: 台州市 (north-east), 丽水市 (west) and,
across the provincial line, 宁德市 with a synthetic part of 福建省 (south-west); the sea is left out. They share the
city outline's own vertices, so their edges are exactly the city's. 浙江省 becomes the union of its three cities.
Lines: 浙闽线 (provincial), 温台线 and 温丽线 (city), every county line inside the city and the township lines of
鹿城区. Markers along them; a finished, filed 2023 inspection of 温台线, a county-line inspection in progress, damaged,
lost and displaced markers, one dispute.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from shapely.geometry import LineString, box
from shapely.ops import split, unary_union

from boundaries.demo import DemoContext, city_outline, register

FRAME = (119.32, 26.75, 121.55, 28.85)  # inside DIMING_SERVICE_AREA
# Rays from vertices of the city outline to the frame: they cut the frame into the neighbours (and the sea).
CUTS = [((120.62, 28.62), (120.62, 28.85)),  # 丽水 | 台州
        ((121.02, 27.96), (121.55, 27.96)),  # 台州 | sea
        ((120.38, 27.05), (120.38, 26.75)),  # sea | 宁德
        ((119.65, 27.45), (119.32, 27.45))]  # 宁德 | 丽水
NEIGHBOURS = [  # code, name, parent code, a point inside it
    ("331000", "台州市", "330000", (121.40, 28.60)),
    ("331100", "丽水市", "330000", (119.50, 28.20)),
    ("350900", "宁德市", "350000", (119.60, 26.90)),
]
OFFICERS = [  # username, label, area: one boundary officer per side
    ("zhejiang_boundary", "浙江省民政厅区划地名处", "330000"),
    ("fujian_boundary", "福建省民政厅区划地名处", "350000"),
    ("wenzhou_boundary", "温州市民政局区划地名科", "330300"),
    ("taizhou_boundary", "台州市民政局区划地名科", "331000"),
    ("lishui_boundary", "丽水市民政局区划地名科", "331100"),
    ("ouhai_officer", "瓯海区地名办", "330304"),
]
DEMO_PASSWORD = "diming-demo-2026"
REFERENCE_NAMES = ["独立树", "电杆", "桥头", "山顶三角点", "水塔", "路口里程碑", "寺庙门楼", "变电站围墙角"]


def _neighbour_geoms() -> dict[str, MultiPolygon]:
    outline = city_outline()
    ring = box(*FRAME).difference(outline)
    pieces = split(ring, shapely.MultiLineString([LineString(c) for c in CUTS])).geoms
    out = {}
    for code, _name, _parent, inside in NEIGHBOURS:
        piece = next(p for p in pieces if p.contains(shapely.Point(inside)))
        out[code] = MultiPolygon(GEOSGeometry(memoryview(piece.wkb), srid=4490), srid=4490)
    return out


def build_neighbours(log) -> None:
    from boundaries.models import AdminArea

    geoms = _neighbour_geoms()
    fujian, _ = AdminArea.objects.update_or_create(code="350000", defaults={
        "name": "福建省", "level": "province", "geom": geoms["350900"], "source": "demo"})
    zhejiang = AdminArea.objects.get(code="330000")
    for code, name, parent, _inside in NEIGHBOURS:
        AdminArea.objects.update_or_create(code=code, defaults={
            "name": name, "level": "city", "parent": fujian if parent == "350000" else zhejiang,
            "geom": geoms[code], "source": "demo"})
    union = unary_union([shapely.from_wkb(bytes(g.wkb)) for g in (geoms["331000"], geoms["331100"])]
                        + [city_outline()])
    zhejiang.geom = MultiPolygon(GEOSGeometry(memoryview(union.wkb), srid=4490), srid=4490)
    zhejiang.source = "demo"
    zhejiang.save()
    log("相邻区域（合成）：台州市、丽水市、福建省宁德市")


def _officers() -> dict:
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from boundaries.models import AdminArea

    assignment = apps.get_model("accounts", "AreaAssignment")
    officer = Group.objects.get_or_create(name="officer")[0]
    users = {}
    for username, label, code in OFFICERS:
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"last_name": label})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(officer)
        assignment.objects.get_or_create(user=user, area=AdminArea.objects.get(code=code))
        users[code] = user
    lucheng = get_user_model().objects.filter(username="lucheng_officer").first()
    if lucheng is not None:
        users["330302"] = lucheng
    return users


def _sites(line, spacing_m: float, rng: random.Random) -> list[dict]:
    """Marker sites every ``spacing_m`` along the line's parts, on the stored line itself; every seventh site a
    same-number pair set 3 m apart along the line."""
    from gis.crs import METRIC_SRID, transform_geometry

    sites = []
    for part, metric in zip(line.geom, transform_geometry(line.geom, dst=METRIC_SRID), strict=True):
        shape = shapely.from_wkb(bytes(part.wkb))  # straight in lon/lat, as stored
        length_m = shapely.from_wkb(bytes(metric.wkb)).length
        count = max(1, int(length_m // spacing_m))
        for k in range(count):
            at = (k + 0.5) / count
            fractions = [at] if (len(sites) + 1) % 7 else [at - 1.5 / length_m, at + 1.5 / length_m]
            points = [Point(*shape.interpolate(f, normalized=True).coords[0], srid=4490) for f in fractions]
            sites.append({
                "points": points, "elevations": [Decimal(f"{rng.uniform(3, 900):.2f}")] * len(points),
                "material": rng.choice(["花岗岩", "钢筋混凝土"]), "form": rng.choice(["柱状", "碑状"]),
                "set_on": dt.date(2003, 11, 1),
                "references": [{"name": name, "bearing_deg": Decimal(f"{rng.uniform(0, 360):.1f}"),
                                "distance_m": Decimal(f"{rng.uniform(8, 180):.1f}"), "point_described": "中心"}
                               for name in rng.sample(REFERENCE_NAMES, 3)]})
    return sites


def _along(line, point, metres: float) -> Point:
    """The point ``metres`` further along the line than ``point`` (a displaced marker moved along the line)."""
    shape = shapely.from_wkb(bytes(line.geom.wkb))
    here = shapely.Point(point.x, point.y)
    part = min(shape.geoms, key=lambda g: g.distance(here))
    moved = part.interpolate(part.project(here) + metres / 100_000)
    return Point(moved.x, moved.y, srid=4490)


LINES = [  # side codes, name, line code, spacing of markers (m), agreement
    (("330000", "350000"), "浙闽线", "3335", 2500, ("浙闽边〔2001〕1号", dt.date(2001, 12, 20))),
    (("330300", "331000"), "温台线", "0310", 2500, ("浙民〔2002〕31号", dt.date(2002, 9, 10))),
    (("330300", "331100"), "温丽线", "0311", 3000, ("浙民〔2003〕7号", dt.date(2003, 4, 18))),
]


def build_lines(ctx: DemoContext, users: dict) -> dict:
    from borders import lines
    from boundaries import sql
    from boundaries.line_models import LineSource
    from boundaries.models import AdminArea

    rng = ctx.rng("borders")
    made = {}
    for (a, b), name, code, spacing, (number, date) in LINES:
        actor = users[a]
        line = lines.derive_line(actor, AdminArea.objects.get(code=a), AdminArea.objects.get(code=b), name=name,
                                 line_code=code, agreement_number=number, agreement_date=date, source=LineSource.DEMO,
                                 department_a=actor.last_name, department_b=users[b].last_name,
                                 course_description=f"{name}（合成演示界线）自西向东（自北向南）沿山脊、溪流延伸。")
        lines.register_markers(actor, line, _sites(line, spacing, rng))
        lines.renumber(actor, line)
        made[name] = line
    city = users["330300"]
    pairs = sql.neighbour_pairs("county") + [p for p in sql.neighbour_pairs("township")
                                             if AdminArea.objects.get(pk=p[0]).code.startswith("330302")]
    for a_id, b_id in pairs:
        a, b = AdminArea.objects.get(pk=a_id), AdminArea.objects.get(pk=b_id)
        if a.parent_id != b.parent_id:
            continue
        line = lines.derive_line(city, a, b, name=f"{a.name}—{b.name}线", source=LineSource.DEMO,
                                 agreement_number=f"温民〔2004〕{len(made) + 1}号", agreement_date=dt.date(2004, 6, 1))
        lines.register_markers(city, line, _sites(line, 4000 if a.level == "county" else 2500, rng))
        lines.renumber(city, line)
        made[line.name] = line
    ctx.log(f"行政区域界线（合成）{len(made)} 条，界桩 {sum(ln.markers.count() for ln in made.values())} 个")
    return made


def _inspect_wentai(line, users, rng) -> None:
    """The finished 2023 inspection of 温台线, signed by both sides and filed; a few markers left damaged, lost or
    displaced for the responsible side to deal with."""
    from borders import inspections

    wenzhou, taizhou = users["330300"], users["331000"]
    campaign = inspections.open_campaign(wenzhou, line, year=2023, plan="按五年一次联检要求，逐桩检查、复测，核查沿线地物变化。",
                                         starts_on=dt.date(2023, 4, 10), ends_on=dt.date(2023, 5, 30), members=[
                                             {"side": "a", "name": "陈建国", "role": "组长"},
                                             {"side": "a", "name": "周晓明", "role": "测量员"},
                                             {"side": "b", "name": "林海波", "role": "组长"},
                                             {"side": "b", "name": "王丽", "role": "测量员"}])
    markers = list(line.markers.order_by("sequence", "type_code"))
    special = {3: ("damaged", "none", "桩身断裂，待台州方修复（温州方到场）"), 7: ("lost", "none", "界桩丢失，需重新埋设"),
               11: ("displaced", "none", "疑被施工机械碰撞移位"), 15: ("displaced", "resurvey", "移位后双方复测确认")}
    for i, marker in enumerate(markers, start=1):
        state, action, note = special.get(i, ("intact", "repaint" if i % 5 == 0 else "none", ""))
        data = {"state": state, "action": action, "note": note}
        if state in ("intact", "displaced"):
            metres = 6.5 if state == "displaced" else rng.uniform(0.0, 0.6)
            data.update({"measured": _along(line, marker.geom, metres), "method": "gnss",
                         "accuracy_m": Decimal("0.020")})
        record = inspections.save_record(wenzhou, campaign, data, marker=marker)
        inspections.sign_record(wenzhou, record, "a")
        inspections.sign_record(taizhou, record, "b")
    inspections.add_finding(wenzhou, campaign, kind="construction", description="甬台温高速复线跨越界线，施工未损界桩。",
                            from_marker=markers[8], to_marker=markers[9], action="双方备案")
    inspections.add_finding(taizhou, campaign, kind="terrain", description="山洪冲刷溪岸，界线走向仍清楚。",
                            from_marker=markers[12], to_marker=markers[13])
    summary = f"温台线全线界桩 {len(markers)} 个，完好为主；损坏 1 个、丢失 1 个、移位 2 个（1 个已复测），界线走向清楚。"
    report = inspections.save_report(wenzhou, campaign, summary=summary,
                                     conclusions="损坏界桩由台州方负责修复，丢失界桩由双方共同补设并联测。")
    inspections.sign_report(wenzhou, report, "a")
    inspections.sign_report(taizhou, report, "b")
    inspections.file_campaign(wenzhou, campaign, filed_on=dt.date(2023, 12, 20), reference="浙民备〔2023〕15号（演示）",
                              authority="浙江省民政厅")


def _inspect_county_line(line, users, year: int) -> None:
    """A county-line inspection in progress: some records signed by one side only, a lost marker and a new one."""
    from borders import inspections

    lucheng, ouhai = users["330302"], users["330304"]
    campaign = inspections.open_campaign(lucheng, line, year=year, plan="鹿城、瓯海两区联合检查，重点核查城市建设区地段。",
                                         members=[{"side": "a", "name": "张伟", "role": "组长"},
                                                  {"side": "b", "name": "李娜", "role": "组长"}])
    markers = list(line.markers.order_by("sequence", "type_code"))
    for i, marker in enumerate(markers[:4], start=1):
        state = "lost" if i == 2 else "intact"
        record = inspections.save_record(lucheng, campaign, {"state": state}, marker=marker)
        inspections.sign_record(lucheng, record, "a")
        if i == 1:
            inspections.sign_record(ouhai, record, "b")
    last = markers[-1].geom
    inspections.save_record(lucheng, campaign, {"state": "new", "new_sequence": markers[-1].sequence + 1,
                                                "new_type_code": "Q", "measured": last, "method": "gnss",
                                                "accuracy_m": Decimal("0.030"), "note": "拟在新建道路路口增设界桩"})
    inspections.add_finding(ouhai, campaign, kind="unclear", description="旧村改造后界线附近地物已变，需补设界桩。")


@register(50, "boundaries.borders")
def build_borders(ctx: DemoContext):
    from boundaries.line_models import Dispute, DisputeState

    build_neighbours(ctx.log)
    users = _officers()
    made = build_lines(ctx, users)
    _inspect_wentai(made["温台线"], users, ctx.rng("wentai"))
    county_line = next(ln for ln in made.values() if {ln.side_a.code, ln.side_b.code} == {"330302", "330304"})
    _inspect_county_line(county_line, users, dt.date.today().year)
    wentai = made["温台线"]
    Dispute.objects.create(
        line=wentai, title="界线附近山林权属争议（演示）", geom=wentai.markers.order_by("sequence")[5].geom,
        what="两侧村民对界桩附近约 20 亩山林的权属有不同主张。", reported_on=dt.date(2024, 3, 12),
        mediation="2024-03 两镇调解；2024-05 两市民政部门联合调处，依据协议书附图现场指认界线。",
        outcome="", state=DisputeState.MEDIATING)
    ctx.log("联检：温台线 2023 年度已完成并备案；鹿城—瓯海界线联检进行中；平安边界纠纷 1 起")
