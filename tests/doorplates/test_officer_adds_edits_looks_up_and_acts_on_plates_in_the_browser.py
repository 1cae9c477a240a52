"""An officer finds addresses by typing them or clicking the map, adds and edits a single plate on its own page
(an edit made meanwhile is refused), each QR or status action asks for confirmation and a reason that the history
keeps, a plate's page has its map, the address lookup answers before (and without) the map, QR tags keep 459号之一
on one line, and imports speak the file's own headers."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import F
from openpyxl import load_workbook

from audit.models import Change
from doorplates.models import Doorplate, PlateStatus
from jobs.models import Job
from tests.base import click_at, follow, lucheng_officer, sign_in
from tests.doorplates.builders import lonlat_at, make_plate, make_road

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def confirm(page, button: str, reason: str):
    page.click(button)
    page.wait_for_selector("#confirm-action[open]")
    page.click("#confirm-ok")  # no reason yet: asked again, nothing sent
    assert page.is_visible("#confirm-missing")
    page.fill("#confirm-reason", reason)
    follow(page, "#confirm-ok")


def test_the_address_lookup_answers_before_and_without_the_map(offline_page, wenzhou_counties):
    page = offline_page
    road = make_road("解放街", [(120.650, 28.015), (120.652, 28.015)])
    make_plate(road, 1, 20, 15)
    sign_in(page, lucheng_officer())
    page.route("**/tiles/style.json", lambda route: route.abort())  # the map is never drawn

    page.goto(page.base_url + "/doorplates/")
    page.fill("#geocode-q", "鹿城区解放街1号")
    page.click("#geocode-form button")
    page.wait_for_selector("#geocode-result[data-precision='plate']")
    assert "解放街1号" in page.inner_text("#geocode-result") and "?address=" not in page.url

    # An address in the page's own address (a form sent before the script ran, a link) is looked up at once.
    page.goto(page.base_url + "/doorplates/?address=" + "鹿城区解放街1号")
    page.wait_for_selector("#geocode-result[data-precision='plate']")
    assert page.input_value("#geocode-q") == "鹿城区解放街1号"
    assert "解放街1号" in page.inner_text("#geocode-result")

    # The session lapses (signed out in another tab): the lookup says so, it does not say the address is unknown.
    page.context.clear_cookies()
    page.fill("#geocode-q", "鹿城区解放街1号")
    page.click("#geocode-form button")
    page.wait_for_selector("#geocode-result[data-refused='not_authenticated']")
    assert "请重新登录" in page.inner_text("#geocode-result")


def test_an_officer_looks_up_adds_edits_and_acts_on_plates(offline_page, wenzhou_counties):
    page = offline_page
    road = make_road("解放街", [(120.650, 28.015), (120.652, 28.015)])
    one = make_plate(road, 1, 20, 15)
    zhi = make_plate(road, "459号之一", 120, 15)
    officer = lucheng_officer()
    sign_in(page, officer)

    page.goto(page.base_url + "/doorplates/")
    page.fill("#geocode-q", "鹿城区解放街1号")
    page.click("#geocode-form button")
    page.wait_for_selector("#geocode-result[data-precision='plate']")
    assert "解放街1号" in page.inner_text("#geocode-result")
    page.wait_for_function("dimingLookupMap.getZoom() > 16")
    page.evaluate("dimingLookupMap.jumpTo({center: [120.651, 28.015], zoom: 17})")
    click_at(page, "dimingLookupMap", "#lookup-map", (one.geom.x, one.geom.y))
    page.wait_for_selector("#reverse-result[data-count]")
    assert page.locator("#reverse-result li").first.inner_text().startswith(one.address)

    # A new plate: its road chosen, a click on the map places it and proposes its number.
    page.goto(page.base_url + f"/doorplates/plates/new/?road={road.pk}")
    click_at(page, "dimingPlateFormMap", "#plate-form-map", lonlat_at(road, 60, 15))
    page.wait_for_function("document.getElementById('number-suggestion').dataset.number")
    suggested = page.input_value("#id_number")
    assert suggested.endswith("号") and page.input_value("#id_lon").startswith("120.65")
    follow(page, "#plate-form button[type=submit]")
    plate = Doorplate.objects.get(road=road, number_label=suggested)
    assert "已保存" in page.inner_text(".messages")
    page.wait_for_selector("#public-map[data-ready='1']")  # the plate's page has its map

    # An edit made meanwhile (another officer, a tablet) is refused, not overwritten.
    page.click("#edit-plate")
    Doorplate.objects.filter(pk=plate.pk).update(version=F("version") + 1)
    page.fill("#id_number", "7")
    page.fill("#id_reason", "核对现场")
    page.click("#plate-form button[type=submit]")
    assert "修改" in page.inner_text("#form-error")
    page.goto(page.base_url + f"/doorplates/plates/{plate.pk}/edit/")
    page.fill("#id_number", "7")
    page.fill("#id_reason", "核对现场")
    follow(page, "#plate-form button[type=submit]")
    plate.refresh_from_db()
    assert plate.number_label == "7号"
    history = page.inner_text("#plate-history")
    assert f"{suggested} → 7号" in history.replace("\t", " ") and "核对现场" in history and "number" not in history

    confirm(page, "#revoke-qr", "门牌被盗")
    plate.refresh_from_db()
    assert plate.token is None and "二维码已作废" in page.inner_text(".messages")
    page.select_option("select[name=status]", PlateStatus.RETIRED)
    confirm(page, "#change-status", "道路拆迁")
    plate.refresh_from_db()
    assert plate.status == PlateStatus.RETIRED
    assert list(Change.objects.for_object(plate).values_list("reason", flat=True)[:2]) == ["道路拆迁", "门牌被盗"]
    assert "道路拆迁" in page.inner_text("#plate-history")

    page.goto(page.base_url + f"/doorplates/sheet/?road={road.pk}")
    heights = page.evaluate("[...document.querySelectorAll('.plate .number')].map(e => "
                            "[e.textContent, e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).lineHeight)])")
    long_one = [h for h in heights if h[0] == zhi.number_label][0]
    assert long_one[1] <= long_one[2] * 1.1, heights  # one line
    assert page.blocked == [] and [p for p in page.problems if "409" not in p] == []  # the refused edit's 409


def test_a_position_typed_as_no_number_is_refused_and_the_map_still_opens_to_place_it(offline_page,
                                                                                       wenzhou_counties):
    """Before, the refused form came back with a blank map: its script stopped at the typed longitude
    ("Invalid LngLat object: (NaN, 28.015)"), so the officer could no longer click the entrance."""
    page = offline_page
    road = make_road("解放街", [(120.650, 28.015), (120.652, 28.015)])
    sign_in(page, lucheng_officer())
    page.goto(page.base_url + f"/doorplates/plates/new/?road={road.pk}")
    page.fill("#id_number", "8号")
    page.fill("#id_lon", "东经120度")
    page.fill("#id_lat", "28.015")
    follow(page, "#plate-form button[type=submit]")
    assert "经度必须是数字" in page.inner_text("#form-error") and not Doorplate.objects.exists()
    click_at(page, "dimingPlateFormMap", "#plate-form-map", lonlat_at(road, 60, 15))
    assert page.input_value("#id_lon").startswith("120.65")
    follow(page, "#plate-form button[type=submit]")
    assert Doorplate.objects.get(road=road).number_label == "8号"
    assert [p for p in page.problems if "400" not in p] == [] and page.blocked == []  # the refused form's 400


def test_the_import_offers_templates_and_its_report_speaks_the_files_headers(client, wenzhou_counties):
    road = make_road("解放街", [(120.650, 28.015), (120.652, 28.015)])
    make_plate(road, 1, 20, 15)
    client.force_login(lucheng_officer())

    page = client.get("/doorplates/import/").content.decode()
    assert "template.xlsx" in page and "template.csv" in page
    text = client.get("/doorplates/import/template.csv").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert text.startswith("\ufeff") and rows[0][:4] == ["道路", "门牌号", "经度", "纬度"] and rows[1][0] == "解放街"
    book = load_workbook(io.BytesIO(client.get("/doorplates/import/template.xlsx").content))
    assert [c.value for c in book.active[1]][:4] == ["道路", "门牌号", "经度", "纬度"]

    lon, lat = lonlat_at(road, 60, 15)
    data = f"道路,门牌号,经度,纬度\n解放街,x9,{lon},{lat}\n解放街,3,{lon},999\n".encode()
    client.post("/doorplates/import/", {"file": SimpleUploadedFile("门牌.csv", data), "commit": "all",
                                        "encoding": "auto", "crs": "EPSG:4490"})
    call_command("run_jobs", "--once", verbosity=0)
    report = client.get(f"/jobs/{Job.objects.get().uuid}/").content.decode()
    rejected = report[report.index('id="rejected-rows"'):]
    assert "<td>门牌号</td>" in rejected and "<td>经度 / 纬度</td>" in rejected
    assert "<td>number</td>" not in rejected and "<td>lat</td>" not in rejected


def test_a_malformed_road_or_date_on_the_plate_form_is_named_as_the_form_names_it(client, wenzhou_counties):
    road = make_road("解放街", [(120.650, 28.015), (120.652, 28.015)])
    plate = make_plate(road, 1, 20, 15)
    client.force_login(lucheng_officer())
    lon, lat = lonlat_at(road, 60, 15)
    made = client.post("/doorplates/plates/new/", {"road": "1.5", "number": "3", "lon": lon, "lat": lat})
    assert made.status_code == 400 and "所选道路不在列表中" in made.content.decode()
    edited = client.post(f"/doorplates/plates/{plate.uuid}/edit/", {
        "road": str(road.uuid), "number": plate.number, "lon": f"{plate.geom.x:.7f}", "lat": f"{plate.geom.y:.7f}",
        "installed_on": "2026-02-30", "version": plate.version})
    text = edited.content.decode()
    assert edited.status_code == 400 and "安装日期应为日期" in text and "installed_on" not in text.split("<form")[0]
    assert Doorplate.objects.count() == 1 and Doorplate.objects.get().installed_on is None


@pytest.mark.parametrize(("values", "said"), [
    ({"road": "", "base": "hamlet:00000000-0000-0000-0000-000000000000"}, "所选村或小区不在列表中"),
    ({"road": "", "base": "village:1.5"}, "所选村或小区不在列表中"),
    ({"status": "demolished"}, "所选状态不在列表中"),
])
def test_a_hand_made_base_or_status_on_the_new_plate_form_is_told_in_the_form_s_words(client, wenzhou_counties, values,
                                                                                      said):
    road = make_road("解放街", [(120.650, 28.015), (120.652, 28.015)])
    client.force_login(lucheng_officer())
    lon, lat = lonlat_at(road, 60, 15)
    posted = {"road": str(road.uuid), "number": "3", "lon": lon, "lat": lat, **values}
    made = client.post("/doorplates/plates/new/", posted)
    text = made.content.decode()
    assert made.status_code == 400 and said in text
    assert "hamlet" not in text.split("<form")[0] and "参数" not in text
    assert not Doorplate.objects.exists()
