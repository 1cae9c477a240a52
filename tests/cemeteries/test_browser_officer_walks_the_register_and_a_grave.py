"""In a browser at 1024x768 with every outside request blocked: an officer filters the grave register, opens a
grave, sees it on the map with its corridor, records the check with a photo, and finds the step in its list. The
pages show words, never codes or field names."""

import os
import re
import shutil

import pytest
from playwright.sync_api import expect

from cemeteries import services
from cemeteries.models import GraveState
from tests.base import login, lucheng_officer
from tests.cemeteries.builders import PNG, grave_at, known_corridors, known_geography

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODES = re.compile(r"\b(identified|in_remediation|owner_name|owner_phone|tomb_count|grade-|None|stale_version)\b")


@pytest.fixture
def graves(db):
    known_geography()
    officer = lucheng_officer()
    known_corridors()
    near = grave_at(100, 120, officer, grade="A", form="chair", tomb_count=2, owner_name="孙八")
    grave_at(1000, 3000, officer, grade="C")
    services.advance(grave_at(300, 60, officer), officer, GraveState.CHECKED, version=1)
    return near


def test_an_officer_filters_the_register_opens_a_grave_and_records_a_step(offline_page, graves, tmp_path):
    page = offline_page
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, "lucheng_officer")
    page.goto(page.base_url + "/cemeteries/")
    expect(page.locator("#grave-list tbody tr")).to_have_count(3)
    page.select_option("select[name=grade]", "A")
    page.click("#grave-filters button[type=submit]")
    expect(page.locator("#grave-list tbody tr")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "register.png"), full_page=True)
    text = page.inner_text("main")
    assert "椅子坟" in text and "已排查" in text and not CODES.search(text)

    page.click(f"text={graves.short_id}")
    page.wait_for_selector("#grave-map[data-ready='1']")
    record = page.inner_text("#grave-record")
    assert "孙八" in record and "藤桥镇" in record
    assert "甬台温高速" in page.inner_text("#grave-tags")
    photo = tmp_path / "before.png"
    photo.write_bytes(PNG)
    page.select_option("select[name=to]", "checked")
    page.fill("input[name=remarks]", "现场核实")
    page.set_input_files("input[name=photo_before]", str(photo))
    page.click("#step-form button[type=submit]")
    expect(page.locator("#grave-steps tbody tr")).to_have_count(1)
    expect(page.locator("#grave-steps")).to_contain_text("现场核实")
    page.wait_for_selector("#grave-map[data-ready='1']")
    drawn = page.evaluate("document.querySelector('#grave-map canvas') !== null")
    assert drawn
    page.screenshot(path=str(tmp_path / "grave.png"), full_page=True)
    text = page.inner_text("main")
    assert "已核实" in text and "整治前" in text and not CODES.search(text)
    assert not page.problems and not page.blocked
    graves.refresh_from_db()
    assert graves.state == GraveState.CHECKED
    keep = os.environ.get("DIMING_SCREENSHOTS")
    if keep:
        for name in ("register.png", "grave.png"):
            shutil.copy(tmp_path / name, os.path.join(keep, name))
