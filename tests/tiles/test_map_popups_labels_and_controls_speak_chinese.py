"""The office map opens on the user's county, says in words what a clicked feature is (labels and values from the
catalogues, a link to its record), keeps the full-width "（" of a label, has Chinese zoom tooltips and no shell
command in its side panel."""

import pytest
from django.contrib.gis.geos import Point

from boundaries.models import AdminArea
from canteens.models import Canteen, CanteenKind, CanteenStatus
from tests.base import lucheng_officer, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HERE = (120.655, 28.02)


def test_the_map_opens_on_the_county_and_its_popups_and_labels_read_as_chinese(offline_page, wenzhou_counties):
    page = offline_page
    point = Point(*HERE, srid=4490)
    canteen = Canteen.objects.create(name="西岙社区老年食堂（5）", geom=point, kind=CanteenKind.MEAL_POINT,
                                     area=AdminArea.objects.finest_containing(point), status=CanteenStatus.OPEN,
                                     seats=30, delivers=True, delivery_radius_m=800)
    sign_in(page, lucheng_officer())

    page.goto(page.base_url + "/map/")
    page.wait_for_selector("#map[data-ready='1']")
    lucheng = AdminArea.objects.get(code="330302").geom.extent
    west, south, east, north = page.evaluate("dimingMap.getBounds().toArray().flat()")
    assert west <= lucheng[0] + 0.05 and east >= lucheng[2] - 0.05 and east - west < 1.0  # the county, not the city
    assert page.get_attribute(".maplibregl-ctrl-zoom-in", "title") == "放大"
    assert page.get_attribute(".maplibregl-ctrl-zoom-out", "title") == "缩小"
    assert "manage.py" not in page.inner_text("aside")

    page.evaluate(f"dimingMap.jumpTo({{center: [{HERE[0]}, {HERE[1]}], zoom: 15}})")
    page.evaluate("new Promise(r => { if (dimingMap.loaded() && dimingMap.areTilesLoaded()) r(); "
                  "else dimingMap.once('idle', r); })")
    assert "西岙社区老年食堂（5）" in page.evaluate(
        "dimingMap.queryRenderedFeatures({layers: ['canteens-label']}).map(f => f.properties.name)")
    # The label's "（" has ink: the glyph MapLibre rasterises for it is not blank (it was drawn off its cell).
    ink = page.evaluate("""(() => {
        const Sdf = dimingMap.style.glyphManager.constructor.TinySDF;
        const sdf = new Sdf({fontSize: 48, buffer: 6, radius: 16, cutoff: 0.25, fontFamily: 'sans-serif'});
        return Math.max(...sdf.draw('（').data); })()""")
    assert ink > 200

    x, y = page.evaluate(f"(() => {{ const p = dimingMap.project([{HERE[0]}, {HERE[1]}]); return [p.x, p.y]; }})()")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    popup = page.wait_for_selector(".tiles-popup")
    text = popup.inner_text()
    assert "西岙社区老年食堂（5）" in text and "老年食堂" in text and "座位" in text
    assert "status" not in text and "open" not in text and "meal_point" not in text and "true" not in text
    assert page.get_attribute(".tiles-popup a.record-link", "href") == f"/canteens/{canteen.uuid}/"
    assert page.blocked == [] and page.problems == []
