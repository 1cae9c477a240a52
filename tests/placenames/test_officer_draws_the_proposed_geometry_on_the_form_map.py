"""In a browser: an officer draws the proposed road on the new-application form's map, saves the draft, and later
draws it again on the edit page; the saved geometry is where they clicked."""

import json

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from placenames.models import Application
from tests.base import LUCHENG_POINT, follow, login, lucheng_officer
from tests.placenames.builders import ensure_seed_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_map(page):
    page.wait_for_selector("#draw-map[data-ready='1']")


def click_line(page, fractions):
    """Clicks the points of a line on the map, then the last one again to finish; returns their lon/lat."""
    box = page.locator("#draw-map").bounding_box()
    clicks = [(box["x"] + box["width"] * f, box["y"] + box["height"] * g) for f, g in fractions]
    lonlats = [page.evaluate("(p) => dimingDrawMap.unproject(p).toArray()", [x - box["x"], y - box["y"]])
               for x, y in clicks]
    for x, y in clicks:
        page.mouse.click(x, y)
        page.wait_for_timeout(150)
    page.mouse.click(*clicks[-1])
    return lonlats


def metres(a, b):
    return Point(*a, srid=4490).transform(4549, clone=True).distance(Point(*b, srid=4490).transform(4549, clone=True))


def assert_saved_line(app, lonlats):
    assert app.geom.geom_type == "LineString" and app.geom.srid == 4490
    assert len(app.geom.coords) == len(lonlats)
    assert all(metres(got, want) < 1 for got, want in zip(app.geom.coords, lonlats, strict=True))


def test_an_officer_draws_the_road_saves_it_and_redraws_it(offline_page, wenzhou_counties):
    page = offline_page
    ensure_seed_data()
    lucheng_officer()
    login(page, "lucheng_officer")
    page.goto(page.base_url + "/placenames/applications/new/")
    open_map(page)
    page.select_option("select[name=kind]", "residential")
    assert page.locator("#draw-map button[data-tool=polygon]").is_visible()
    page.select_option("select[name=kind]", "road")
    assert page.locator("#draw-map button[data-tool=linestring]").is_visible()
    page.fill("input[name=proposed_name]", "介放路")
    page.fill("textarea[name=location_description]", "东起江滨路，西至人民路")
    page.fill("textarea[name=reason]", "新建道路需要命名")
    # The officer pans and zooms to the new road in 鹿城区.
    page.evaluate("(c) => dimingDrawMap.jumpTo({center: c, zoom: 15})", list(LUCHENG_POINT))
    page.wait_for_timeout(300)

    drawn = click_line(page, [(0.3, 0.55), (0.5, 0.45), (0.7, 0.5)])
    page.wait_for_function("JSON.parse(document.querySelector('textarea[name=geom]').value || '{}')"
                           ".coordinates?.length === 3")
    value = json.loads(page.input_value("textarea[name=geom]"))
    assert value["type"] == "LineString"
    assert all(len(str(v).split(".")[1]) <= 7 for c in value["coordinates"] for v in c)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("h1")).to_contain_text("介放路")
    app = Application.objects.get(proposed_name="介放路")
    assert_saved_line(app, drawn)

    page.get_by_role("link", name="修改草稿").click()
    open_map(page)
    assert page.evaluate("dimingDrawEditor.features().map(f => f.geometry.type)") == ["LineString"]
    redrawn = click_line(page, [(0.35, 0.7), (0.65, 0.7)])
    page.wait_for_function("JSON.parse(document.querySelector('textarea[name=geom]').value || '{}')"
                           ".coordinates?.length === 2")
    assert page.evaluate("dimingDrawEditor.features().length") == 1  # drawing again replaced the old line
    follow(page, page.get_by_role("button", name="保存草稿"))
    app.refresh_from_db()
    assert_saved_line(app, redrawn)
    assert page.blocked == [] and page.problems == []
