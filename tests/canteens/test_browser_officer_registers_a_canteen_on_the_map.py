"""In a browser, with every outside request blocked: an officer registers a canteen by typing its address, picking
the doorplate the registry suggests (which places the canteen at the plate), dragging nothing, saving; then edits
it, moving the point by a click on the map, and opens it. What the pages saved is what the database holds."""

import json

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from canteens.models import Canteen, CanteenStatus
from tests.base import login, lucheng_officer
from tests.canteens.builders import at, known_canteens, known_geography, lonlat
from tests.doorplates.builders import make_plate, make_road

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plate(db):
    known_geography()
    known_canteens()
    lucheng_officer()
    road = make_road("望江东路", coords=[lonlat(-800, 60), lonlat(800, 60)], kind="road")
    return make_plate(road, 88, point=at(110, 90))


def metres(a: Point, b: Point) -> float:
    return a.transform(4549, clone=True).distance(b.transform(4549, clone=True))


def test_an_officer_registers_edits_and_opens_a_canteen_on_the_map(offline_page, plate):
    page = offline_page
    login(page, "lucheng_officer")
    page.goto(page.base_url + "/canteens/list/")
    page.click("#register-canteen")
    page.wait_for_selector("#canteen-map[data-ready='1']")

    page.fill("input[name=name]", "望江社区老年食堂")
    page.fill("input[name=seats]", "36")
    page.locator("input[name=address]").press_sequentially("望江东路88", delay=40)
    suggestion = page.locator("#address-suggestions li").first
    expect(suggestion).to_have_text(plate.address)
    suggestion.click()
    expect(page.locator("#doorplate-state")).to_have_class("doorplate-state muted linked")
    assert page.input_value("input[name=doorplate]") == str(plate.uuid)
    placed = json.loads(page.input_value("textarea[name=geom]"))  # at the plate: it had no location yet
    assert metres(Point(*placed["coordinates"], srid=4490), plate.geom) < 0.5
    page.click("#canteen-form button[type=submit]")
    page.wait_for_url("**/canteens/*/")

    canteen = Canteen.objects.get(name="望江社区老年食堂")
    assert (canteen.doorplate_id, canteen.address, canteen.seats) == (plate.uuid, plate.address, 36)
    assert metres(canteen.geom, plate.geom) < 0.5
    expect(page.locator("#doorplate-linked")).to_be_visible()

    # Edit: the entrance is 60 m further east; the officer clicks there on the map.
    page.click("#edit-canteen")
    page.wait_for_selector("#canteen-map[data-ready='1']")
    target = lonlat(170, 90)
    page.evaluate("(c) => dimingCanteenMap.jumpTo({center: c, zoom: 17})", list(target))
    page.evaluate("new Promise(r => dimingCanteenMap.once('idle', r))")
    box = page.locator("#canteen-map").bounding_box()
    x, y = page.evaluate("(c) => { const p = dimingCanteenMap.project(c); return [p.x, p.y]; }", list(target))
    page.locator("#canteen-map button[data-tool=point]").click()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_timeout(300)
    page.click("#canteen-form button[type=submit]")
    page.wait_for_url("**/canteens/*/")

    canteen.refresh_from_db()
    assert metres(canteen.geom, Point(*target, srid=4490)) < 2
    assert canteen.doorplate_id == plate.uuid  # 60 m from its plate: still at its door

    page.select_option("#status-form select[name=status]", "open")
    page.fill("#status-form input[name=reason]", "已验收")
    page.click("#status-form button[type=submit]")
    page.wait_for_url("**/canteens/*/")
    expect(page.locator(".messages")).to_be_visible()
    assert Canteen.objects.get(pk=canteen.pk).status == CanteenStatus.OPEN
    assert page.blocked == [] and page.problems == []
