"""An officer sees a road's plates on the map, clicks where a new entrance is and reads its number."""

import re

import pytest

from doorplates.models import Doorplate, PlateStatus
from tests.base import follow, login, lucheng_officer
from tests.doorplates.builders import make_plate, make_road

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def road(wenzhou_counties):
    road = make_road("解放街", [(120.650, 28.015), (120.652, 28.015)])  # about 200 m, so it fills the map
    make_plate(road, 1, 20, 15)
    make_plate(road, 41, 180, 15)
    make_plate(road, 8, 100, 15, status=PlateStatus.DAMAGED)  # even on the left: flagged; not in public tiles
    return road


def wait_for_idle(page):
    page.evaluate("new Promise(r => { if (dimingRoadMap.loaded() && dimingRoadMap.areTilesLoaded()) r(); "
                  "else dimingRoadMap.once('idle', r); })")


def rendered_plates(page, layer="road-plates"):
    return page.evaluate(f"[...new Set(dimingRoadMap.queryRenderedFeatures({{layers: ['{layer}']}})"
                         ".map(f => f.properties.number))].sort()")


def test_the_map_shows_the_plates_and_a_click_suggests_a_number(offline_page, road):
    page = offline_page
    tiles = []
    page.on("request", lambda r: tiles.append(r.url) if r.url.endswith(".mvt") else None)
    lucheng_officer()
    login(page, "lucheng_officer")
    page.goto(page.base_url + f"/doorplates/roads/{road.pk}/")
    page.wait_for_selector("#road-map[data-ready='1']")
    wait_for_idle(page)

    assert page.locator("#road-map canvas.maplibregl-canvas").count() == 1
    assert rendered_plates(page) == sorted(p.number_label for p in Doorplate.objects.current().filter(road=road))
    assert len(rendered_plates(page)) == 3
    assert rendered_plates(page, "road-plate-labels") == rendered_plates(page)
    assert page.evaluate("dimingRoadMap.queryRenderedFeatures({layers: ['road-line']}).length") > 0
    assert tiles, "the base map is drawn from our own vector tiles"
    assert "8号在道路左侧" in page.inner_text("#findings")
    box = page.locator("#road-map").bounding_box()
    # The map is fitted to the road, which runs west to east across its middle: a click just above it, left of
    # centre, is on the left side between 1号 and 41号.
    page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5 - 25)
    page.wait_for_function("document.getElementById('suggestion').dataset.number")
    number = page.get_attribute("#suggestion", "data-number")
    assert number.endswith("号") and int(number[:-1]) % 2 == 1 and 1 < int(number[:-1]) < 41
    assert re.fullmatch(rf"{number}（左侧，里程 [0-9.]+ 米）", page.inner_text("#suggestion"))  # the catalogue's words

    # The network gone, a click says so where the number was (before, the last number stood, as if for this point).
    page.route("**/suggest**", lambda route: route.abort())
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5 + 25)
    page.wait_for_function("!document.getElementById('suggestion').dataset.number")
    assert "无法连接服务器" in page.inner_text("#suggestion")
    assert page.blocked == []


def test_the_address_search_box_suggests_plates_as_the_officer_types(page, road):
    lucheng_officer()
    login(page, "lucheng_officer")
    page.goto(page.base_url + "/doorplates/")
    page.fill("#address-q", "解放街4")
    page.wait_for_selector("#address-results[data-count='1']")
    assert page.inner_text("#address-results").endswith("解放街41号")
    follow(page, "#address-results a")
    assert "/doorplates/plates/" in page.url


def test_a_scanned_plate_shows_its_public_page_with_a_map(page, road):
    plate = road.doorplates.get(number=41)
    page.goto(page.base_url + f"/d/{plate.token}")
    page.wait_for_selector("#public-map[data-ready='1']")
    assert page.inner_text("#standard-address") == plate.address
    assert "Jiefang Jie" in page.content()
