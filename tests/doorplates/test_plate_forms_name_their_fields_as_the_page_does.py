"""The plate form and the plate page's buttons say what is wrong as the page says it: the longitude and latitude
fields by their names, a form without its version as out of date; before, they said 参数 lon 应为数字, 请给出门牌位置：
geometry，或 lon 和 lat and version 字段或 If-Match 请求头 (found by a crawl of the pages). Nothing is saved."""

import pytest

from doorplates import services
from doorplates.models import Doorplate
from tests.base import lucheng_officer
from tests.doorplates.builders import make_base

INTERNALS = ("参数", "lon", "lat", "geometry", "version", "If-Match")


def _messages(page: str) -> str:
    start = page.index('class="messages"') if 'class="messages"' in page else page.index('class="error')
    return page[start:page.index("</", start + 40)]


@pytest.fixture
def scene(client, wenzhou_counties):
    officer = lucheng_officer()
    village = make_base("苍坡村", (120.655, 28.010), kind="village")
    point = village.geom.centroid
    point.srid = 4490
    plate = services.create_plate(officer, base=village, number="12", point=point, status="installed")
    client.force_login(officer)
    form = {"base": f"village:{village.pk}", "number": "2", "plate_type": "door", "lon": f"{point.x:.7f}",
            "lat": f"{point.y:.7f}", "status": "planned"}
    return client, plate, form


@pytest.mark.parametrize(("changes", "said"), [
    ({"lon": "abc"}, "经度"), ({"lat": "1e309"}, "纬度"), ({"lon": ""}, "请在地图上点选门牌位置，或填写经度和纬度"),
])
def test_a_new_plate_s_position_is_refused_in_the_form_s_words(scene, changes, said):
    client, plate, form = scene
    page = client.post("/doorplates/plates/new/", {**form, **changes}).content.decode()
    shown = _messages(page)
    assert said in shown and not any(word in shown for word in INTERNALS), shown
    assert Doorplate.objects.count() == 1


@pytest.mark.parametrize("version", [None, "abc"])
def test_an_edit_or_a_button_without_the_form_s_version_is_out_of_date(scene, version):
    client, plate, form = scene
    sent = {**form, "number": "14", "base": form["base"]} | ({} if version is None else {"version": version})
    shown = _messages(client.post(f"/doorplates/plates/{plate.pk}/edit/", sent).content.decode())
    assert "表单已过期，请刷新页面" in shown, shown
    assert not any(word in shown for word in INTERNALS), shown
    action = {"action": "retire", "reason": "拆迁"} | ({} if version is None else {"version": version})
    page = client.post(f"/doorplates/plates/{plate.pk}/action/", action, follow=True).content.decode()
    shown = _messages(page)
    assert "表单已过期，请刷新页面" in shown and not any(word in shown for word in INTERNALS), shown
    plate.refresh_from_db()
    assert plate.version == 1 and plate.number_label == "12号" and plate.status == "installed"


def test_a_new_plate_without_its_road_or_village_asks_for_one(scene):
    """Before: 找不到该道路。, as though a road had been chosen and lost."""
    client, plate, form = scene
    page = client.post("/doorplates/plates/new/", {**form, "base": "", "road": ""}).content.decode()
    assert "请选择门牌所在的道路，或所在的村、自然村或小区" in _messages(page)
    assert Doorplate.objects.count() == 1
