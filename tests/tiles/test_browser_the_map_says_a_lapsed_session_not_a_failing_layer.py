"""The office map, open while the officer's session lapses: the layers that need a signed-in user stop existing for
the browser (their tiles and descriptions answer 404, as to any visitor), and a record's page sends to the sign-in.
MapLibre takes a missing tile for an empty one: the map went blank without a word, or, for a record clicked, said
"outside your region". It now asks whether the session holds (/accounts/session/, 401 when not) after a move, when
its tab is shown again and before saying a record is out of reach, and says to sign in again, with a link that comes
back to the map."""

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from boundaries.models import AdminArea
from canteens.models import Canteen, CanteenKind, CanteenStatus
from tests.base import lucheng_officer, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LUCHENG = (120.655, 28.02)


def idle(page):
    page.evaluate("new Promise(r => { if (dimingMap.loaded() && dimingMap.areTilesLoaded()) r(); "
                  "else dimingMap.once('idle', r); })")


def test_a_lapsed_session_is_said_with_a_way_back(offline_page, wenzhou_counties):
    point = Point(*LUCHENG, srid=4490)
    Canteen.objects.create(name="西岙社区老年食堂", geom=point, kind=CanteenKind.MEAL_POINT, seats=20,
                           area=AdminArea.objects.finest_containing(point), status=CanteenStatus.OPEN)
    page = offline_page
    sign_in(page, lucheng_officer())
    page.goto(page.base_url + "/map/")
    page.wait_for_function("window.dimingMap && dimingMap.isStyleLoaded()")
    idle(page)
    assert page.locator("#map-notice").is_hidden()
    assert page.request.get(page.base_url + "/accounts/session/").json()["signed_in"] is True

    page.context.clear_cookies()  # the session ends while the map is open
    asked = page.request.get(page.base_url + "/accounts/session/", headers={"Accept": "application/json"},
                             max_redirects=0)
    assert (asked.status, asked.json()["error"]["code"]) == (401, "not_authenticated")
    page.evaluate(f"dimingMap.jumpTo({{center: [{LUCHENG[0]}, {LUCHENG[1]}], zoom: 15}})")  # new tiles are asked for
    expect(page.locator("#map-notice")).to_be_visible()
    notice = page.inner_text("#map-notice")
    assert "登录已过期" in notice and "暂时无法显示" not in notice
    assert page.get_attribute("#sign-in-again", "href") == "/accounts/login/?next=%2Fmap%2F"
    page.screenshot(path="/tmp/map-lapsed.png")

    page.locator("#sign-in-again").click()
    page.wait_for_url("**/accounts/login/?next=%2Fmap%2F")
    assert [p for p in page.problems if "401" not in p] == [] and page.blocked == []  # the browser logs the 401
