"""Demo graves (synthetic, source='demo'): an expressway and a national road through the west of the demo city
(文成县, 泰顺县; the real terrain of western Wenzhou lies under them), protected zones, graves in every state
(about 15,000 × scale / 42, so scale 42 holds the 15,000 of 2023), a four-month campaign along the expressway half
done, two public cemeteries and a few citizens' reports to triage.

Every name here ends in （演示）: none of it is real. Visibility from the road is computed on the configured DEM
when there is one (manage.py load_dem, DIMING_DEM_PATH), else on a synthetic terrain of hills written under var/:
the demo reads no file from outside the project.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from boundaries.demo import DEMO_SOURCE, DemoContext, register
from boundaries.models import AdminArea
from cemeteries.campaign_models import Campaign, ElevationModel, GraveReport, ReportKind, ReportSource
from cemeteries.models import (
    CemeteryPrice,
    Corridor,
    CorridorKind,
    Exposure,
    Grave,
    GraveForm,
    GraveState,
    GraveStep,
    PublicCemetery,
    RemediationMethod,
    Zone,
    ZoneKind,
)

FULL_CITY_GRAVES = 15_000
FULL_CITY_SCALE = 42
MIN_GRAVES = 200
S = GraveState
# (lon, lat) vertices, drawn by hand over the west of the demo city
EXPRESSWAY = [(119.70, 27.47), (119.80, 27.52), (119.88, 27.58), (119.93, 27.66), (119.99, 27.72), (120.06, 27.77),
              (120.15, 27.80), (120.26, 27.84)]
NATIONAL_ROAD = [(119.84, 27.36), (119.86, 27.45), (119.90, 27.53), (119.92, 27.62), (119.97, 27.70),
                 (120.00, 27.80), (120.03, 27.90)]
# states of graves off the campaign, by weight
STATE_WEIGHTS = [(S.IDENTIFIED, 30), (S.CHECKED, 15), (S.NOTIFIED, 10), (S.IN_REMEDIATION, 8), (S.REMEDIATED, 10),
                 (S.ACCEPTED, 22), (S.REBOUNDED, 5)]
PATH = {S.IDENTIFIED: [], S.CHECKED: [S.CHECKED], S.NOTIFIED: [S.CHECKED, S.NOTIFIED],
        S.IN_REMEDIATION: [S.CHECKED, S.NOTIFIED, S.IN_REMEDIATION],
        S.REMEDIATED: [S.CHECKED, S.NOTIFIED, S.IN_REMEDIATION, S.REMEDIATED],
        S.ACCEPTED: [S.CHECKED, S.NOTIFIED, S.IN_REMEDIATION, S.REMEDIATED, S.ACCEPTED],
        S.REBOUNDED: [S.CHECKED, S.NOTIFIED, S.IN_REMEDIATION, S.REMEDIATED, S.ACCEPTED, S.REBOUNDED]}
OWNERS = "陈林黄周吴郑王李张刘"


def grave_count(scale: float) -> int:
    return max(MIN_GRAVES, round(FULL_CITY_GRAVES * min(scale, FULL_CITY_SCALE) / FULL_CITY_SCALE))


def _to_metric():
    from pyproj import Transformer

    return (Transformer.from_crs(4490, 4549, always_xy=True), Transformer.from_crs(4549, 4490, always_xy=True))


def _line(vertices) -> MultiLineString:
    return MultiLineString(LineString(vertices, srid=4490), srid=4490)


def _near_line(xy_line, offset_max: float, rng: random.Random, fwd, back) -> Point:
    """A point beside a random place of a polyline given in EPSG:4549, up to ``offset_max`` metres off it."""
    lengths = [math.dist(a, b) for a, b in zip(xy_line, xy_line[1:], strict=False)]
    at = rng.random() * sum(lengths)
    for (a, b), length in zip(zip(xy_line, xy_line[1:], strict=False), lengths, strict=False):
        if at <= length:
            t = at / length
            x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
            nx, ny = -(b[1] - a[1]) / length, (b[0] - a[0]) / length
            off = rng.choice((-1, 1)) * rng.uniform(15, offset_max)
            return Point(*back.transform(x + nx * off, y + ny * off), srid=4490)
        at -= length
    return Point(*back.transform(*xy_line[-1]), srid=4490)


def _box(lon, lat, half_lon, half_lat) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((lon - half_lon, lat - half_lat, lon + half_lon, lat + half_lat)),
                        srid=4490)


@register(60, "cemeteries.graves")
def build_graves(ctx: DemoContext):
    build_demo_graves(ctx, grave_count(ctx.scale))


def build_demo_graves(ctx: DemoContext, count: int, *, visibility: bool = True) -> Campaign:
    """``count`` demo graves and all that goes with them (the benchmark calls it with its own count)."""
    rng = ctx.rng("cemeteries")
    today = timezone.localdate()
    corridors = _corridors()
    _zones()
    cemeteries = _public_cemeteries()
    _graves(count, corridors, rng, today, cemeteries)
    _place_graves()
    _retag()
    campaign = _campaign(corridors["expressway"], today)
    crewed = _assign_crews(campaign)
    _reports(corridors, rng)
    seen = _visibility(corridors, ctx) if visibility else "未计算"
    ctx.log(f"散埋乱葬坟墓 {Grave.objects.filter(source=DEMO_SOURCE).count()} 座（合成）；整治行动“{campaign.name}”"
            f" {campaign.graves.count()} 座（外业组已指派 {crewed} 座）；公墓 {len(cemeteries)} 个；可视度：{seen}")
    return campaign


def _corridors() -> dict[str, Corridor]:
    return {
        "expressway": Corridor.objects.create(name="文泰高速西延线（演示）", kind=CorridorKind.EXPRESSWAY,
                                              road_class="S26", geom=_line(EXPRESSWAY), source=DEMO_SOURCE),
        "national": Corridor.objects.create(name="G322 国道（演示）", kind=CorridorKind.NATIONAL, road_class="G322",
                                            geom=_line(NATIONAL_ROAD), source=DEMO_SOURCE),
    }


def _zones() -> None:
    for name, kind, lon, lat, w, h in [
        ("珊溪水库水源保护区（演示）", ZoneKind.WATER_SOURCE, 119.95, 27.68, 0.025, 0.015),
        ("百丈漈风景名胜区（演示）", ZoneKind.SCENIC, 120.02, 27.76, 0.02, 0.012),
        ("罗阳基本农田（演示）", ZoneKind.FARMLAND, 119.82, 27.53, 0.03, 0.012),
        ("南田生态公益林（演示）", ZoneKind.FOREST, 120.10, 27.80, 0.03, 0.02),
        ("刘基故里文物保护区（演示）", ZoneKind.HERITAGE, 120.17, 27.82, 0.008, 0.006),
    ]:
        Zone.objects.create(name=name, kind=kind, geom=_box(lon, lat, w, h), source=DEMO_SOURCE)


def _public_cemeteries() -> list[PublicCemetery]:
    made = []
    for name, lon, lat, capacity, free, eco in [("文成县仙居公墓（演示）", 120.08, 27.79, 12_000, 3_400, 860),
                                                ("泰顺县罗阳公墓（演示）", 119.86, 27.55, 8_000, 2_100, 410)]:
        point = Point(lon, lat, srid=4490)
        area = AdminArea.objects.containing(point).last()
        cemetery = PublicCemetery.objects.create(name=name, geom=point, area=area, capacity=capacity,
                                                 free_plots=free, eco_burials=eco, operator=name[:3] + "民政局（演示）",
                                                 source=DEMO_SOURCE)
        CemeteryPrice.objects.create(cemetery=cemetery, item="单穴（演示）", price_yuan=18_000,
                                     approved_on=dt.date(2025, 3, 1), approval_ref="温价〔2025〕演示号")
        CemeteryPrice.objects.create(cemetery=cemetery, item="生态葬（演示）", price_yuan=0,
                                     approved_on=dt.date(2025, 3, 1), approval_ref="温价〔2025〕演示号")
        made.append(cemetery)
    return made


def _graves(count: int, corridors, rng: random.Random, today, cemeteries):
    fwd, back = _to_metric()
    lines = {k: [fwd.transform(x, y) for x, y in c.geom[0].coords] for k, c in corridors.items()}
    fallback = AdminArea.objects.get(code="330328") if AdminArea.objects.filter(code="330328").exists() \
        else AdminArea.objects.at_level("county").order_by("code12").first()
    states, weights = zip(*STATE_WEIGHTS, strict=True)
    rows, fates = [], []
    for i in range(count):
        where = rng.random()
        if where < 0.6:
            geom, on_expressway = _near_line(lines["expressway"], 195, rng, fwd, back), True
        elif where < 0.8:
            geom, on_expressway = _near_line(lines["national"], 95, rng, fwd, back), False
        else:
            geom, on_expressway = _near_line(lines[rng.choice(["expressway", "national"])], 1500, rng, fwd, back), False
        protected = rng.random() < 0.01
        state = S.CHECKED if protected else rng.choices(states, weights)[0]
        method = rng.choice(RemediationMethod.values) if state in (S.REMEDIATED, S.ACCEPTED) else ""
        rows.append(Grave(
            geom=geom, area=fallback, form=rng.choice(GraveForm.values), tomb_count=rng.choice((1, 1, 1, 2, 3)),
            grade=rng.choices(Exposure.values, (2, 5, 3))[0], protected=protected,
            protected_note="县级文物保护单位（演示）" if protected else "",
            owner_name=rng.choice(OWNERS) + "某（演示）", owner_phone=f"1390000{i % 10000:04d}", state=state,
            method=method, cemetery=rng.choice(cemeteries) if method == RemediationMethod.RELOCATED else None,
            identified_on=today - dt.timedelta(days=rng.randint(130, 400)),
            notice_deadline=today + dt.timedelta(days=rng.randint(-30, 30)) if state == S.NOTIFIED else None,
            recheck_due_on=today + dt.timedelta(days=rng.randint(-20, 90)) if state == S.ACCEPTED else None,
            rebounds=1 if state == S.REBOUNDED else 0, source=DEMO_SOURCE))
        fates.append(_campaign_fate(rows[-1], rng, today) if on_expressway and not protected else None)
    made = Grave.objects.bulk_create(rows, batch_size=2000)
    steps = []
    for grave, fate in zip(made, fates, strict=True):
        if fate is not None:
            _path_steps(grave, *fate, rng, steps)
        elif grave.state != S.IDENTIFIED:
            _path_steps(grave, PATH[grave.state], today - dt.timedelta(days=rng.randint(150, 300)), None, rng, steps)
    _save_steps(steps)
    return made


def _path_steps(grave, path, day, last, rng, steps) -> None:
    """Steps along ``path`` a few days apart from ``day``; the last one on ``last`` when given (never after it)."""
    state = S.IDENTIFIED
    for n, to_state in enumerate(path, start=1):
        day = day + dt.timedelta(days=rng.randint(2, 12))
        if last is not None and (day > last or n == len(path)):
            day = last
        steps.append((grave.pk, state, to_state, day, grave.method if to_state == S.REMEDIATED else ""))
        state = to_state


def _save_steps(steps) -> None:
    made = GraveStep.objects.bulk_create([GraveStep(grave_id=pk, from_state=a, to_state=b, method=m)
                                          for pk, a, b, _d, m in steps], batch_size=5000)
    tz = timezone.get_current_timezone()
    by_day: dict[dt.date, list[int]] = {}
    for step, (_pk, _a, _b, day, _m) in zip(made, steps, strict=True):
        by_day.setdefault(day, []).append(step.pk)
    for day, ids in by_day.items():
        GraveStep.objects.filter(pk__in=ids).update(at=dt.datetime.combine(day, dt.time(10), tzinfo=tz))


def _place_graves() -> None:
    """Each demo grave's finest area (the containing area with the longest code) and township, set-based."""
    finest = AdminArea.objects.filter(geom__contains=OuterRef("geom")).order_by("-code12").values("pk")[:1]
    township = AdminArea.objects.filter(level="township", geom__contains=OuterRef("geom")).values("pk")[:1]
    demo = Grave.objects.filter(source=DEMO_SOURCE)
    demo.update(township=Subquery(township))
    demo.filter(pk__in=Grave.objects.filter(source=DEMO_SOURCE, township__isnull=False).values("pk")).update(
        area=Subquery(finest))


def _retag() -> None:
    try:
        from cemeteries.tagging import retag_all
    except ImportError:  # the register's tagging is not there yet
        return
    retag_all()


def _campaign(corridor: Corridor, today: dt.date) -> Campaign:
    from cemeteries.campaigns import graves_in_band

    starts_on = campaign_start(today)
    city = AdminArea.objects.filter(level="city").order_by("code12").first()
    campaign = Campaign.objects.create(name="文泰高速西延线沿线青山白化整治（演示）", corridor=corridor, band_m=200,
                                       area=city, starts_on=starts_on, deadline=starts_on + dt.timedelta(days=122),
                                       target=0, source=DEMO_SOURCE)
    ids = list(graves_in_band(corridor, 200).filter(source=DEMO_SOURCE).values_list("pk", flat=True))
    campaign.graves.add(*ids)
    Campaign.objects.filter(pk=campaign.pk).update(target=len(ids))
    campaign.refresh_from_db()
    return campaign


def _assign_crews(campaign: Campaign) -> int:
    """Each county's field crew is assigned the campaign's graves in its county, as an officer does on the grave's
    page: a crew is sent out only to the graves it crews, so without this the demo's tablets would have none."""
    from django.contrib.auth import get_user_model

    from accounts.models import AreaAssignment
    from accounts.roles import Role

    through, count = Grave.crew.through, 0
    crews = get_user_model().objects.filter(groups__name=Role.FIELD_CREW).distinct()
    for crew in crews:
        prefixes = [a.area.prefix for a in AreaAssignment.objects.filter(user=crew).select_related("area")]
        for prefix in prefixes:
            ids = list(campaign.graves.filter(area__code12__startswith=prefix).values_list("pk", flat=True))
            through.objects.bulk_create([through(grave_id=pk, user_id=crew.pk) for pk in ids], ignore_conflicts=True)
            count += len(ids)
    return count


def campaign_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=61)  # a four-month campaign (122 days), half way through


def _campaign_fate(grave: Grave, rng: random.Random, today: dt.date):
    """A grave in the expressway's band: half of them remediated since the campaign began (faster at first, slower
    lately), most of those accepted, a few rebounded, the rest on their way. Sets the grave's fields; returns the
    (path, first day, last day) of its steps."""
    start, share = campaign_start(today), rng.random()
    grave.notice_deadline = grave.recheck_due_on = grave.remediated_on = grave.accepted_on = None
    grave.cemetery, grave.rebounds, grave.method = None, 0, ""
    if share < 0.50:
        done_day = start + dt.timedelta(days=min(60, int(61 * (share / 0.5) ** 1.3)))
        accepted = rng.random() < 0.6 and done_day < today - dt.timedelta(days=5)
        grave.state = S.ACCEPTED if accepted else S.REMEDIATED
        grave.method = rng.choice([m for m in RemediationMethod.values if m != RemediationMethod.RELOCATED])
        grave.remediated_on = grave.accepted_on = done_day
        if accepted:
            grave.recheck_due_on = done_day + dt.timedelta(days=90)
        else:
            grave.accepted_on = None
        return PATH[grave.state], done_day - dt.timedelta(days=30), done_day
    if share < 0.53:
        grave.state, grave.rebounds, grave.method = S.REBOUNDED, 1, RemediationMethod.SOIL_COVER
        return PATH[S.REBOUNDED], start - dt.timedelta(days=40), today - dt.timedelta(days=rng.randint(1, 20))
    grave.state = rng.choice([S.IDENTIFIED, S.CHECKED, S.CHECKED, S.NOTIFIED, S.NOTIFIED, S.IN_REMEDIATION])
    if grave.state in (S.NOTIFIED, S.IN_REMEDIATION):
        grave.notice_deadline = today + dt.timedelta(days=rng.randint(-25, 40))
    return PATH[grave.state], start - dt.timedelta(days=20), today


def _reports(corridors, rng: random.Random) -> None:
    fwd, back = _to_metric()
    line = [fwd.transform(x, y) for x, y in corridors["expressway"].geom[0].coords]
    texts = ["高速边山坡上新砌了一座水泥坟（演示）", "去年平掉的坟又垒起来了（演示）", "村口林地里有新坟（演示）",
             "国道旁边有人在修椅子坟（演示）"]
    for i, text in enumerate(texts):
        point = _near_line(line, 180, rng, fwd, back)
        area = AdminArea.objects.containing(point).last()
        GraveReport.objects.create(source=ReportSource.CITIZEN if i % 2 == 0 else ReportSource.CREW,
                                   kind=ReportKind.REBOUND if "又" in text else ReportKind.NEW, geom=point, area=area,
                                   description=text, contact="139****0000（演示）" if i % 2 == 0 else "")


def _visibility(corridors, ctx: DemoContext) -> str:
    from cemeteries.sights import compute_corridor
    from cemeteries.terrain import current_dem

    if current_dem() is None:
        _register_demo_dem(corridors)
    done = [compute_corridor(c) for c in corridors.values()]
    return "，".join(f"{d.get('corridor_name', '')} 可见 {d.get('seen', 0)}/{d.get('graves', 0)}" for d in done)


def _register_demo_dem(corridors) -> None:
    """A synthetic terrain of hills over the corridors (EPSG:4549, 90 m cells) written under var/."""
    from cemeteries.terrain import describe_dem

    path = _synthetic_dem(corridors)
    facts = describe_dem(path)
    bounds = Polygon.from_bbox(facts.bounds)
    bounds.srid = 4490
    ElevationModel.objects.create(path=facts.path, driver=facts.driver, crs=facts.crs, width=facts.width,
                                  height=facts.height, cell_m=facts.cell_m, bounds=bounds)


def _synthetic_dem(corridors) -> Path:
    import numpy as np
    import rasterio
    from affine import Affine

    fwd, _back = _to_metric()
    xs, ys = zip(*(fwd.transform(x, y) for c in corridors.values() for x, y in c.geom[0].coords), strict=True)
    cell, margin = 90.0, 3000.0
    west, north = min(xs) - margin, max(ys) + margin
    cols, rows = int((max(xs) - min(xs) + 2 * margin) / cell), int((max(ys) - min(ys) + 2 * margin) / cell)
    yy, xx = np.mgrid[0:rows, 0:cols] / 25.0
    heights = 350 + 250 * np.sin(xx) * np.cos(yy * 0.7) + 90 * np.sin(xx * 3.1 + yy * 2.3)
    path = Path(settings.VAR_DIR) / "demo" / "dem_synthetic_4549.tif"
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", driver="GTiff", width=cols, height=rows, count=1, dtype="float32", crs="EPSG:4549",
                       transform=Affine(cell, 0, west, 0, -cell, north), compress="deflate") as dst:
        dst.write(heights.astype("float32"), 1)
    return path
