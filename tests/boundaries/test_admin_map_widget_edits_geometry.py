"""In the admin, an administrator moves, redraws and clears geometries on the map widget (MapLibre on our own
tiles, terra-draw to edit); the saved geometry is where they put it, in EPSG:4490, and the edit is audited."""

import json

import pytest
from django.contrib.gis.geos import Point

from audit.models import Action, Change
from canteens.models import Canteen
from tests.base import administrator, follow, login
from tests.canteens.builders import known_canteens, known_geography
from tests.placenames.builders import ensure_seed_data, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDGET = "dimingMapWidgets['id_geom']"


def open_change_page(page, path):
    administrator()
    login(page, "admin")
    page.goto(page.base_url + path)
    page.wait_for_selector("#id_geom_map[data-ready='1']")
    page.wait_for_function(f"{WIDGET}.map.areTilesLoaded()")


def screen_point(page, lonlat):
    """Page coordinates of a lon/lat on the widget's map."""
    box = page.locator("#id_geom_map").bounding_box()
    x, y = page.evaluate(f"(c) => {{ const p = {WIDGET}.map.project(c); return [p.x, p.y]; }}", list(lonlat))
    return box["x"] + x, box["y"] + y


def lonlat_at(page, x, y):
    box = page.locator("#id_geom_map").bounding_box()
    return page.evaluate(f"(p) => {WIDGET}.map.unproject(p).toArray()", [x - box["x"], y - box["y"]])


def field_value(page):
    text = page.input_value("#id_geom")
    return json.loads(text) if text else None


def wait_for_field_change(page, before):
    page.wait_for_function("(before) => document.getElementById('id_geom').value !== before", arg=before)


def save(page):
    follow(page, "input[name=_save]")
    assert page.locator(".errornote, .errorlist").count() == 0, page.inner_text("#content")


def metres(a, b):
    """Metres between two lon/lat positions (EPSG:4490), measured in the local Gauss-Kruger zone."""
    a, b = Point(*a, srid=4490), Point(*b, srid=4490)
    return a.transform(4549, clone=True).distance(b.transform(4549, clone=True))


def test_dragging_a_canteen_on_the_map_moves_it_and_the_move_is_audited(offline_page):
    page = offline_page
    known_geography()
    canteen = known_canteens()["C2"]
    open_change_page(page, f"/admin/canteens/canteen/{canteen.pk}/change/")
    assert page.locator("#id_geom_map canvas.maplibregl-canvas").count() == 1
    assert page.evaluate(f"{WIDGET}.editor.features().length") == 1
    before = page.input_value("#id_geom")

    start = screen_point(page, (canteen.geom.x, canteen.geom.y))
    end = (start[0] + 120, start[1] + 40)
    page.mouse.move(*start)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(start[0] + 12 * step, start[1] + 4 * step)
    page.mouse.up()
    wait_for_field_change(page, before)
    target = lonlat_at(page, *end)
    assert field_value(page)["type"] == "Point"
    save(page)

    moved = Canteen.objects.get(pk=canteen.pk)
    assert moved.geom.srid == 4490
    assert metres(moved.geom.coords, target) < 1
    assert metres(moved.geom.coords, canteen.geom.coords) > 50  # 126 px at zoom 17 is about 67 m
    change = Change.objects.for_object(moved).get()
    assert change.action == Action.UPDATE and change.actor.username == "admin"
    assert change.reason == "在数据管理后台操作"  # in words, on the record's history (it said "admin")
    assert change.before["geom"] != change.after["geom"]
    assert page.blocked == [] and page.problems == []


def test_drawing_a_new_road_line_replaces_the_old_one(offline_page, wenzhou_counties):
    page = offline_page
    ensure_seed_data()
    road = place("解放路")
    open_change_page(page, f"/admin/placenames/place/{road.pk}/change/")
    assert page.evaluate(f"{WIDGET}.editor.features()[0].geometry.type") == "LineString"

    page.click("#id_geom_div_map button[data-tool=linestring]")
    box = page.locator("#id_geom_map").bounding_box()
    clicks = [(box["x"] + box["width"] * f, box["y"] + box["height"] * g) for f, g in
              [(0.25, 0.7), (0.5, 0.6), (0.75, 0.65)]]
    expected = [lonlat_at(page, *c) for c in clicks]
    for x, y in clicks:
        page.mouse.click(x, y)
        page.wait_for_timeout(150)
    page.mouse.click(*clicks[-1])  # the last point again finishes the line
    page.wait_for_function("JSON.parse(document.getElementById('id_geom').value || '{}').coordinates?.length === 3")
    save(page)

    road.refresh_from_db()
    assert road.geom.geom_type == "LineString" and road.geom.srid == 4490
    assert len(road.geom.coords) == 3
    assert all(metres(got, want) < 1 for got, want in zip(road.geom.coords, expected, strict=True))
    assert Change.objects.for_object(road).get().action == Action.UPDATE
    assert page.blocked == [] and page.problems == []


def test_clearing_an_optional_boundary_saves_no_geometry(offline_page, wenzhou_counties):
    from boundaries.models import AdminArea

    page = offline_page
    area = AdminArea.objects.get(code="330381")
    parts = len(area.geom)
    open_change_page(page, f"/admin/boundaries/adminarea/{area.pk}/change/")
    assert page.evaluate(f"{WIDGET}.editor.features().length") == parts
    assert page.locator("#id_geom_div_map button[data-tool=polygon]").count() == 1

    page.click("#id_geom_div_map button[data-tool=clear]")
    page.wait_for_function("document.getElementById('id_geom').value === ''")
    save(page)

    assert AdminArea.objects.get(pk=area.pk).geom is None
    assert page.blocked == [] and page.problems == []


def test_dragging_a_vertex_of_a_road_moves_only_that_vertex(offline_page, wenzhou_counties):
    page = offline_page
    ensure_seed_data()
    road = place("解放路")
    west, east = road.geom.coords
    open_change_page(page, f"/admin/placenames/place/{road.pk}/change/")
    before = page.input_value("#id_geom")

    start = screen_point(page, west)
    page.mouse.move(*start)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(start[0] + 3 * step, start[1] + 6 * step)
    page.mouse.up()
    wait_for_field_change(page, before)
    target = lonlat_at(page, start[0] + 30, start[1] + 60)
    save(page)

    road.refresh_from_db()
    assert len(road.geom.coords) == 2
    assert metres(road.geom.coords[0], target) < 1
    assert metres(road.geom.coords[1], east) < 0.1
    assert page.blocked == [] and page.problems == []
