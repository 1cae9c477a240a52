"""The office map: a feature of another region shows its name and no link (its page would refuse the user), one of
the user's region links to its page; a layer whose tiles fail leaves the others drawn, with a short notice."""

import pytest
from django.contrib.gis.geos import Point

from boundaries.models import AdminArea
from canteens.models import Canteen, CanteenKind, CanteenStatus
from tests.base import login, lucheng_officer
from tests.doorplates.builders import make_road

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LUCHENG, RUIAN = (120.655, 28.02), (120.60, 27.80)


def canteen_at(name, lonlat):
    point = Point(*lonlat, srid=4490)
    return Canteen.objects.create(name=name, geom=point, kind=CanteenKind.MEAL_POINT, seats=20,
                                  area=AdminArea.objects.finest_containing(point), status=CanteenStatus.OPEN)


def look_at(page, lonlat, zoom=15):
    page.evaluate(f"dimingMap.jumpTo({{center: [{lonlat[0]}, {lonlat[1]}], zoom: {zoom}}})")
    page.evaluate("new Promise(r => { if (dimingMap.loaded() && dimingMap.areTilesLoaded()) r(); "
                  "else dimingMap.once('idle', r); })")


def click_at(page, lonlat):
    x, y = page.evaluate(f"(() => {{ const p = dimingMap.project([{lonlat[0]}, {lonlat[1]}]); return [p.x, p.y]; }})()")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    return page.wait_for_selector(".tiles-popup")


def test_a_failing_layer_leaves_the_others_and_popups_link_only_to_open_records(offline_page, wenzhou_counties):
    ours = canteen_at("西岙社区老年食堂", LUCHENG)
    canteen_at("塘下老年食堂", RUIAN)
    make_road("望江东路", [(LUCHENG[0] - 0.004, LUCHENG[1] + 0.0008), (LUCHENG[0] + 0.004, LUCHENG[1] + 0.0008)],
              kind="road")
    lucheng_officer()
    page = offline_page
    login(page, "lucheng_officer")
    # the roads' tiles fail on the server: the canteens still draw, and a notice names the failing layer
    page.route("**/tiles/*roads*/**", lambda route: route.fulfill(status=500, body="boom"))
    page.goto(page.base_url + "/map/")
    page.wait_for_selector("#map-notice:not([hidden])")
    notice = page.inner_text("#map-notice")
    assert "道路" in notice and "暂时无法显示" in notice and "老年食堂" not in notice
    for box in page.locator("#layer-list input[data-layer]").all():  # only the canteens, to keep the test quick
        if box.get_attribute("data-layer") != "canteens":
            box.uncheck()

    # both canteens in one view: one of another region shows its name and no link (its page would refuse the user)
    look_at(page, ((LUCHENG[0] + RUIAN[0]) / 2, (LUCHENG[1] + RUIAN[1]) / 2), zoom=10.5)
    popup = click_at(page, RUIAN)
    page.wait_for_selector(".tiles-popup .outside-region")
    assert "塘下老年食堂" in popup.inner_text() and "不在您的辖区内" in popup.inner_text()
    assert page.locator(".tiles-popup a").count() == 0
    page.evaluate("document.querySelectorAll('.maplibregl-popup').forEach(p => p.remove())")

    # one of the user's region: drawn from its own source while the roads fail, and linked to its page
    assert page.evaluate("dimingMap.queryRenderedFeatures().filter(f => f.sourceLayer === 'canteens').length") > 0
    click_at(page, LUCHENG)
    assert page.get_attribute(".tiles-popup a.record-link", "href") == f"/canteens/{ours.uuid}/"
    assert page.blocked == []
