"""Each app's pages say what that app means where a word is shared (a filter button reads 筛选, never the admin's
过滤器; a grave report's 描述 and an OGC collection's 说明, not the census' 地理实体描述; a field submission's 记录; a
remediation 整治行动), the admin heads django-axes 登录限制, a canteen's page has a local map, and a cancellation
names the name it cancels (拟注销名称, not 拟用名称). One scene, one page."""

import os

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache

from boundaries.models import AdminArea
from canteens.models import Canteen, CanteenKind, CanteenStatus
from placenames import services
from tests.base import login, lucheng_officer
from tests.placenames.builders import ensure_seed_data, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("DIMING_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_each_page_says_its_own_apps_word(offline_page, wenzhou_counties):
    ensure_seed_data()
    cache.clear()
    officer = lucheng_officer()
    here = Point(120.655, 28.02, srid=4490)
    canteen = Canteen.objects.create(name="西岙社区老年食堂", geom=here, kind=CanteenKind.MEAL_POINT, seats=30,
                                     area=AdminArea.objects.finest_containing(here), status=CanteenStatus.OPEN,
                                     delivers=True, delivery_radius_m=800)
    road = place("望江路")
    cancelling = services.create_application(officer, type="cancellation", place=road, reason="道路已拆除")
    page = offline_page
    login(page, "lucheng_officer")

    for url in ("/canteens/list/", "/cemeteries/", "/placenames/signs/", "/placenames/checking/"):
        page.goto(page.base_url + url)
        text = page.inner_text("main")
        assert "筛选" in text and "过滤器" not in text, url
    assert "界线管理" in page.inner_text("nav") and "Boundaries" not in page.inner_text("nav")

    page.goto(page.base_url + "/cemeteries/reports/")
    assert "描述" in page.inner_text("main") and "地理实体描述" not in page.inner_text("main")
    page.goto(page.base_url + "/cemeteries/campaigns/")
    assert "整治行动" in page.inner_text("main")
    page.goto(page.base_url + "/field/office/")
    assert "记录" in page.inner_text("#submissions thead") and "登记" not in page.inner_text("#submissions thead")
    page.goto(page.base_url + "/ogc/collections?f=html")
    assert "说明" in page.inner_text("main") and "地理实体描述" not in page.inner_text("main")

    page.goto(page.base_url + "/map/")
    layers = page.inner_text("#layer-list")
    assert "散埋乱葬坟墓（内部）" in layers and "Grave" not in layers and "Zones" not in layers

    page.goto(page.base_url + f"/canteens/{canteen.uuid}/")
    history = page.inner_text("#canteen-history thead")
    assert "操作人" in history and "提交人" not in history and "动作" not in history
    page.wait_for_selector("#canteen-map[data-ready='1'] canvas")
    assert page.evaluate("dimingCanteenMap.getLayer('canteen-here') !== undefined")
    shot(page, "canteen_page_map")

    page.goto(page.base_url + f"/placenames/applications/{cancelling.pk}/")
    assert page.inner_text("#name-label") == "拟注销名称" and "拟用名称" not in page.inner_text("main")
    page.goto(page.base_url + f"/placenames/applications/{cancelling.pk}/edit/")
    assert "拟注销名称" in page.inner_text("main") and "拟用名称" not in page.inner_text("main")
    assert page.blocked == [] and page.problems == []
