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


@register(25, "placenames.applications")
def build_applications(ctx: DemoContext):
    """Three Lucheng applications to try the workflow: 介放路 (a homophone of 解放路) waiting at the rule check,
    望海路 in public consultation, and 观澜路 approved three weeks ago and overdue for filing."""
    from django.contrib.auth import get_user_model

    from placenames import services

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
    walks = [("介放路", 0.004, ["submit"]),
             ("望海路", -0.006, ["submit", "pass_check", "record_review", "open_consultation"]),
             ("观澜路", -0.012, ["submit", "pass_check", "record_review", "open_consultation",
                                 "close_consultation", "approve"])]
    data = {"expert_opinion": "专家组同意（演示）。", "approving_authority": "鹿城区人民政府",
            "approval_reference": "演示〔2026〕1号"}
    for name, offset, actions in walks:
        app = services.create_application(officer, kind="road", geom=_line(seat, offset).geojson,
                                          proposed_name=name, reason="新建道路需要命名（演示）",
                                          location_description=DEMO_APPLICANT, applicant=DEMO_APPLICANT)
        for action in actions:
            if action == "close_consultation":
                Application.objects.filter(pk=app.pk).update(
                    consultation_ends_on=services.today() - dt.timedelta(days=1))
            app.refresh_from_db()
            if action == "pass_check":
                for finding in app.findings.filter(severity="warning", justification=""):
                    services.justify(officer, app.pk, finding.pk, version=app.version, text="演示：理由说明")
                    app.refresh_from_db()
            services.apply(reviewer if action == "approve" else officer, app.pk, action, version=app.version,
                           reason="演示", data=data)
    late = services.today() - dt.timedelta(days=21)
    Application.objects.filter(proposed_name="观澜路", applicant=DEMO_APPLICANT).update(
        approved_on=late, filing_due_on=late + dt.timedelta(days=15), announcement_due_on=late + dt.timedelta(days=15))
    ctx.log("地名申请 3 件（介放路待规则检查、望海路公示中、观澜路逾期未备案）")


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
