"""A passer-by scans a plate: the public page maps the entrance and its road on our own public tiles, with the
road's Chinese name drawn, and asks nothing of the internet."""

import pytest

from tests.doorplates.builders import make_plate, make_road

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rendered(page, layers, prop=None):
    pick = f"f.properties.{prop}" if prop else "f.geometry.type"
    return page.evaluate(f"dimingPublicMap.queryRenderedFeatures({{layers: {layers!r}}}).map(f => {pick})")


def test_the_public_page_draws_the_entrance_on_its_road(offline_page, wenzhou_counties):
    page = offline_page
    road = make_road("解放街", [(120.650, 28.015), (120.652, 28.015)])
    plate = make_plate(road, 41, 180, 15)
    tiles = []
    page.on("request", lambda r: tiles.append(r.url) if r.url.endswith(".mvt") else None)

    page.goto(page.base_url + f"/d/{plate.token}")
    page.wait_for_selector("#public-map[data-ready='1']")
    page.evaluate("new Promise(r => { const m = dimingPublicMap; "
                  "if (m.loaded() && m.areTilesLoaded()) r(); else m.once('idle', r); })")

    assert page.locator("#public-map canvas.maplibregl-canvas").count() == 1
    assert rendered(page, ["plate-entrance"]) == ["Point"]
    x, y = page.evaluate("(c) => { const p = dimingPublicMap.project(c); return [p.x, p.y]; }",
                         [plate.geom.x, plate.geom.y])
    box = page.locator("#public-map").bounding_box()
    assert abs(x - box["width"] / 2) < 2 and abs(y - box["height"] / 2) < 2  # the map is centred on the entrance
    entrance = page.evaluate("([x, y]) => dimingPublicMap.queryRenderedFeatures([[x - 3, y - 3], [x + 3, y + 3]],"
                             " {layers: ['plate-entrance']}).length", [x, y])
    assert entrance == 1
    assert "LineString" in rendered(page, ["plate-road"])
    assert "解放街" in rendered(page, ["roads-label"], "name")  # the base map's own labels, drawn with local fonts
    assert tiles, "the base map is drawn from our own vector tiles"
    assert page.blocked == [] and page.problems == []
