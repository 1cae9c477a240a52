"""In a browser with every outside request blocked, at 1024x768 and on a phone: an officer opens the campaign
dashboard (figures, the burn-down drawn by the project's Chart.js, townships) and the work order; then a citizen,
not logged in, picks a place on the public page's map, adds a photo and sends a report, which the officer finds on
the triage queue's map and opens from its popup. Words, never codes or owners. DIMING_SCREENSHOTS=<folder> keeps
the screenshots to look at."""

import os
import re
import shutil

import pytest
from playwright.sync_api import expect

from cemeteries.campaign_models import GraveReport
from tests.base import login
from tests.cemeteries.builders import PNG
from tests.cemeteries.campaign_scene import OWNER, PHONE, build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODES = re.compile(r"\b(identified|in_remediation|remediated|accepted|rebounded|owner_name|None|citizen)\b")
PHONE_VIEW = {"width": 390, "height": 844}
DESK_VIEW = {"width": 1024, "height": 768}


def _shot(page, tmp_path, name):
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)
    keep = os.environ.get("DIMING_SCREENSHOTS")
    if keep:
        shutil.copy(path, os.path.join(keep, name))


def test_the_dashboard_and_the_public_report_page_at_desk_and_phone_sizes(offline_page, tmp_path):
    build(password="pw-123456!")
    page = offline_page
    page.set_viewport_size(DESK_VIEW)
    login(page, "city_officer")
    page.goto(page.base_url + "/cemeteries/")
    page.click("text=整治行动")
    page.click("#campaigns >> text=东延线整治")
    page.wait_for_selector("#burndown-chart[data-ready='1']")
    text = page.inner_text("main")
    assert "燃尽图" in text and "藤桥镇" in text and "塘下镇" in text and "5 / 10" in text
    assert not CODES.search(text) and OWNER not in text and PHONE not in text
    _shot(page, tmp_path, "campaign-dashboard-1024.png")
    page.click("text=作业清单（最显眼的优先）")
    expect(page.locator("#work-order tbody tr")).to_have_count(5)
    assert OWNER not in page.inner_text("main")
    page.go_back()
    page.set_viewport_size(PHONE_VIEW)
    page.wait_for_selector("#burndown-chart[data-ready='1']")
    width = page.evaluate("document.documentElement.scrollWidth")
    _shot(page, tmp_path, "campaign-dashboard-phone.png")
    assert width <= PHONE_VIEW["width"] + 60  # the tables may scroll a little, the page does not sprawl

    page.context.clear_cookies()
    page.goto(page.base_url + "/cemeteries/report/")
    assert page.locator("nav.mainnav").count() == 0
    page.wait_for_selector("#report-map[data-ready='1']")
    box = page.locator("#report-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#lon")).not_to_have_value("")
    photo = tmp_path / "grave.png"
    photo.write_bytes(PNG)
    page.set_input_files("input[name=photo]", str(photo))
    page.fill("textarea[name=description]", "山坡上有一座新坟")
    _shot(page, tmp_path, "public-report-phone.png")
    page.click("#report-submit")
    expect(page.locator("#report-thanks")).to_be_visible()
    page.set_viewport_size(DESK_VIEW)
    page.goto(page.base_url + "/cemeteries/report/")
    page.wait_for_selector("#report-map[data-ready='1']")
    _shot(page, tmp_path, "public-report-1024.png")
    report = GraveReport.objects.get()
    assert report.source == "citizen" and report.description == "山坡上有一座新坟"

    login(page, "city_officer")  # the triage queue's map: the reported place, a popup with a link to the report
    page.goto(page.base_url + "/cemeteries/reports/")
    page.wait_for_selector("#report-queue-map[data-ready='1']")
    assert "contact" not in page.inner_text("#report-points")
    box = page.locator("#report-queue-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # one report: the map's centre
    popup = page.locator(".maplibregl-popup-content")
    expect(popup).to_contain_text("新坟")
    _shot(page, tmp_path, "report-queue-1024.png")
    popup.locator("a").click()
    expect(page.locator("#report-facts")).to_contain_text("山坡上有一座新坟")
    assert not page.problems and not page.blocked


def test_a_place_typed_as_no_number_is_refused_and_the_citizen_can_still_tap_the_map(offline_page, tmp_path):
    """Before, the refused page's script stopped at the typed longitude (Invalid LngLat (NaN, …)) and wrote NaN
    into the field."""
    build(password="pw-123456!")
    page = offline_page
    page.set_viewport_size(PHONE_VIEW)
    page.goto(page.base_url + "/cemeteries/report/")
    page.wait_for_selector("#report-map[data-ready='1']")
    photo = tmp_path / "grave.png"
    photo.write_bytes(PNG)
    page.set_input_files("input[name=photo]", str(photo))
    page.fill("textarea[name=description]", "山坡上有一座新坟")
    page.fill("#lon", "东经120度")
    page.fill("#lat", "27.9")
    page.click("#report-submit")
    page.wait_for_selector("#report-map[data-ready='1']")
    assert page.input_value("#lon") == "东经120度" and not GraveReport.objects.exists()
    box = page.locator("#report-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#lon")).to_have_value(re.compile(r"^1[12]\d\.\d{6}$"))
    assert [p for p in page.problems if "400" not in p] == [] and not page.blocked  # the refused form's 400
