"""Demo roads: a named, gently curved road network around each county seat (synthetic)."""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from boundaries.demo import COUNTIES, DemoContext, register, road_network
from boundaries.models import AdminArea
from placenames.models import Application, Place, PlaceKind, PlaceName, PlaceStatus
from placenames.pinyin import initials_key, pinyin_key, romanize, split_name

KIND_BY_GENERIC = {"路": "road", "街": "street", "巷": "lane", "大道": "avenue"}
DEMO_APPROVED_ON = dt.date(2010, 1, 1)
DEMO_APPLICANT = "演示申请（合成数据）"


@register(20, "placenames.roads")
def build_roads(ctx: DemoContext):
    from shapely import wkb

    kinds = {k.code: k for k in PlaceKind.objects.all()}
    per_county = max(8, round(25 * ctx.scale))
    Application.objects.filter(applicant=DEMO_APPLICANT).delete()
    Place.objects.filter(location_description__in=("演示数据", DEMO_APPLICANT)).delete()
    places, names = [], []
    for code, _name, seat, _townships in COUNTIES:
        county = AdminArea.objects.get(code=code)
        polygon = wkb.loads(bytes(county.geom.wkb))
        for full_name, line in road_network(polygon, seat, per_county, ctx.rng(f"roads:{code}")):
            specific, generic = split_name(full_name)
            # 人民东街 is a street and 东山南大道 an avenue: the generic term may carry a direction before it.
            kind = kinds[next((k for g, k in KIND_BY_GENERIC.items() if generic.endswith(g) and g != "路"), "road")]
            place = Place(kind=kind, geom=GEOSGeometry(memoryview(line.wkb), srid=4490), area=county,
                          status=PlaceStatus.IN_USE, name=full_name, pinyin=romanize(full_name),
                          pinyin_key=pinyin_key(full_name), initials=initials_key(full_name),
                          location_description="演示数据")
            places.append(place)
            names.append(PlaceName(place=place, specific=specific, generic=generic, full_name=full_name,
                                   pinyin=place.pinyin, valid_from=DEMO_APPROVED_ON,
                                   origin="合成演示数据", approval_reference="DEMO"))
        for full_name, kind_code, geom in _other_places(seat):
            specific, generic = split_name(full_name)
            place = Place(kind=kinds[kind_code], geom=geom, area=county, status=PlaceStatus.IN_USE, name=full_name,
                          pinyin=romanize(full_name), pinyin_key=pinyin_key(full_name),
                          initials=initials_key(full_name), location_description="演示数据")
            places.append(place)
            names.append(PlaceName(place=place, specific=specific, generic=generic, full_name=full_name,
                                   pinyin=place.pinyin, valid_from=DEMO_APPROVED_ON,
                                   origin="合成演示数据", approval_reference="DEMO"))
    Place.objects.bulk_create(places, batch_size=2000)
    PlaceName.objects.bulk_create(names, batch_size=2000)
    refine_areas([p.uuid for p in places])
    others = sum(1 for p in places if p.kind.code not in KIND_BY_GENERIC.values())
    ctx.data["roads"] = len(places) - others
    ctx.data["other_places"] = others
    ctx.log(f"道路 {len(places) - others} 条（每区县 {per_county} 条），桥梁、居民区和建筑物 {others} 处")


# Names that are not roads, by each county seat (the 其他地名 layer): residential areas and a building as small
# squares, bridges as points; offsets in degrees from the seat.
OTHER_PLACES = [("锦绣花园", "residential", (0.004, 0.003)), ("翠竹苑", "residential", (-0.003, 0.0085)),
                ("望江新村", "residential", (0.006, -0.004)), ("民政大厦", "building", (-0.002, -0.003)),
                ("安澜桥", "bridge", (0.001, 0.006)), ("通济桥", "bridge", (-0.007, -0.001))]


def _other_places(seat):
    from django.contrib.gis.geos import Point, Polygon

    lon, lat = seat
    for name, kind, (dx, dy) in OTHER_PLACES:
        x, y = lon + dx, lat + dy
        if kind == "bridge":
            yield name, kind, Point(x, y, srid=4490)
        else:
            half = 0.0006
            yield name, kind, Polygon(((x - half, y - half), (x + half, y - half), (x + half, y + half),
                                       (x - half, y + half), (x - half, y - half)), srid=4490)


def refine_areas(place_ids):
    """Sets each place's area to the finest admin area that covers its whole geometry."""
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE placenames_place p SET area_id = best.id
            FROM (SELECT DISTINCT ON (p2.uuid) p2.uuid, a.id FROM placenames_place p2
                  JOIN boundaries_adminarea a ON a.geom && p2.geom AND ST_Covers(a.geom, p2.geom)
                  WHERE p2.uuid = ANY(%s) ORDER BY p2.uuid, a.code12 DESC) best
            WHERE p.uuid = best.uuid AND p.area_id <> best.id""", [list(place_ids)])


# Each demo application walks the workflow the way it is used: the officer drafts and submits, the reviewer
# passes the review (审核), the officer records the expert opinion and opens 公示, the reviewer approves after it;
# each step on its own day (days before today), so every date follows the workflow's own order.
DEMO_WALKS = [
    ("观澜路", -0.012, [(60, "create"), (58, "submit"), (56, "pass_check"), (50, "record_review"),
                        (45, "open_consultation"), (38, "close_consultation"), (21, "approve")]),
    ("望海路", -0.006, [(20, "create"), (19, "submit"), (18, "pass_check"), (12, "record_review"),
                        (3, "open_consultation")]),
    ("介放路", 0.004, [(3, "create"), (2, "submit")]),
]
DEMO_DATA = {"expert_opinion": "专家组同意（演示）。", "approving_authority": "鹿城区人民政府",
             "approval_reference": "演示〔2026〕1号", "consultation_days": 7}
DEMO_HOUR = dt.time(10, 0)


@register(25, "placenames.applications")
def build_applications(ctx: DemoContext):
    """Three Lucheng applications to try the workflow: 观澜路 approved three weeks ago and overdue for filing,
    望海路 in public consultation, and 介放路 (a homophone of 解放路) waiting for the reviewer's check."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    officer = User.objects.filter(username="lucheng_officer").first()
    reviewer = User.objects.filter(username="lucheng_reviewer").first()
    if officer is None or reviewer is None:
        ctx.log("地名申请：未找到演示账号，跳过")
        return
    Application.objects.filter(applicant=DEMO_APPLICANT).delete()
    Place.objects.filter(location_description=DEMO_APPLICANT).delete()
    county = AdminArea.objects.get(code="330302")
    seat = next(c[2] for c in COUNTIES if c[0] == "330302")
    if not Place.objects.in_use().in_area(county).named("解放路").exists():
        _demo_road("解放路", _line(seat, 0.012), county)
    for name, offset, steps in DEMO_WALKS:
        _walk(name, _line(seat, offset), steps, officer, reviewer)
    ctx.log("地名申请 3 件（观澜路逾期未备案、望海路公示中、介放路待审核）")


def _walk(name: str, geom, steps, officer, reviewer) -> Application:
    """Drafts ``name`` and takes ``steps`` ((days ago, action)), each on its day and with its actor."""
    from django.utils import timezone

    from placenames import services

    today = services.today()
    app = None
    for days_ago, action in steps:
        day = today - dt.timedelta(days=days_ago)
        with services.on_day(day):
            if action == "create":
                app = services.create_application(officer, kind="road", geom=geom.geojson, proposed_name=name,
                                                  reason="新建道路需要命名（演示）",
                                                  location_description=DEMO_APPLICANT, applicant=DEMO_APPLICANT)
                Application.objects.filter(pk=app.pk).update(
                    created_at=timezone.make_aware(dt.datetime.combine(day, DEMO_HOUR)))
                continue
            app.refresh_from_db()
            if action == "pass_check":
                for finding in app.findings.filter(severity="warning", justification=""):
                    services.justify(officer, app.pk, finding.pk, version=app.version, text="演示：理由说明")
                    app.refresh_from_db()
            actor = reviewer if action in ("pass_check", "approve") else officer
            app = services.apply(actor, app.pk, action, version=app.version, reason="演示", data=DEMO_DATA)
            at = timezone.make_aware(dt.datetime.combine(day, DEMO_HOUR))
            app.events.filter(action=action).update(at=at)
            Application.objects.filter(pk=app.pk).update(updated_at=at)
    return app


def _line(seat, dy: float):
    from django.contrib.gis.geos import LineString

    lon, lat = seat
    return LineString((lon - 0.006, lat + dy), (lon + 0.006, lat + dy + 0.0008), srid=4490)


def _demo_road(name: str, geom, county: AdminArea) -> Place:
    specific, generic = split_name(name)
    place = Place.objects.create(kind=PlaceKind.objects.get(code="road"), geom=geom, area=county, name=name,
                                 pinyin=romanize(name), pinyin_key=pinyin_key(name), initials=initials_key(name),
                                 location_description="演示数据")
    PlaceName.objects.create(place=place, specific=specific, generic=generic, full_name=name, pinyin=place.pinyin,
                             valid_from=DEMO_APPROVED_ON, origin="合成演示数据", approval_reference="DEMO")
    refine_areas([place.uuid])
    return place


# The census register (bulk load, signs, the rural-names campaign) and the villages and residential areas that
# doorplates are numbered in register their own builders.
from placenames import demo_bases, registry_demo  # noqa: E402, F401
