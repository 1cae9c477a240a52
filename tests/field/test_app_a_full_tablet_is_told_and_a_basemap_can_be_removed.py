"""A tablet's storage is not endless: a crew that keeps several packages' basemaps fills it. A basemap that does not
fit is not fetched, and the card says how much room there is and how much it needs; a package's basemap can be
removed from the device (its tasks and the outbox stay) and downloaded again. A photo or a record the full device
cannot keep is said so, and the form stays as typed until it can. The full device is the browser's own
quota (Chromium's Storage.overrideQuotaForOrigin), which its storage estimate does not show in headless Chromium: the
estimate a nearly full tablet reports is given to the page for the check made before a byte is fetched."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.base import build_wenzhou
from tests.field.builders import crew_and_officers, damaged_plates
from tests.field.test_app_outbox_never_lies import app, download_package, photo, unsent
from tiles.pmtiles_export import export_area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CARD = "article.package[data-pkg='330302']"
STORED = """async () => {
  const dir = await navigator.storage.getDirectory(); const names = [];
  for await (const name of dir.keys()) names.push(name);
  return names.filter(n => n.startsWith('basemap-'));
}"""


@pytest.fixture
def tablet(browser, live_server):
    build_wenzhou(villages=False)
    crew_and_officers()
    page_plates = damaged_plates(2)
    export_area("330302", (8, 10))
    context, page = app(browser, live_server)
    page.plates = page_plates
    yield context, page
    context.close()


def test_a_basemap_the_browser_refuses_to_store_is_said_in_words_and_its_part_can_be_removed(tablet, live_server):
    context, page = tablet
    cdp = context.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": live_server.url, "quotaSize": 2048})  # the device is full
    page.click("nav.tabs button[data-view=packages]")
    page.click(f"{CARD} button.download")
    status = page.locator(f"{CARD} .status")
    expect(status).to_contain_text("存储空间已满")
    assert "请删除其他工作包的底图或清理设备空间后重试" in status.inner_text()
    assert "底图已存" not in page.inner_text(CARD)
    expect(page.locator(f"{CARD} button.download")).to_be_enabled()
    assert page.problems == []

    cdp.send("Storage.overrideQuotaForOrigin", {"origin": live_server.url})  # room again: the download goes through
    page.click(f"{CARD} button.download")
    expect(status).to_have_text("底图已存到本设备。")
    assert page.evaluate(STORED) == ["basemap-330302.pmtiles"]


def test_a_basemap_the_device_has_no_room_for_is_not_fetched_and_the_card_says_the_figures(browser, live_server):
    build_wenzhou(villages=False)
    crew_and_officers()
    export_area("330302", (8, 10))
    context, page = app(browser, live_server)
    # The device reports 1 kB free (as the browser's estimate does on a nearly full tablet)
    page.evaluate("""() => { const real = StorageManager.prototype.estimate;
      StorageManager.prototype.estimate = () => real.call(navigator.storage).then(e => ({quota: e.usage + 1024, usage: e.usage})); }""")
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if "/tiles/pmtiles/" in request.url else None)
    page.click("nav.tabs button[data-view=packages]")
    page.click(f"{CARD} button.download")
    status = page.locator(f"{CARD} .status")
    expect(status).to_contain_text("本设备剩余 0.00 MB，底图还需")
    assert fetched == [] and page.evaluate(STORED) == []
    assert page.problems == []
    context.close()


def test_a_crew_removes_a_basemap_keeps_the_tasks_and_downloads_it_again(tablet):
    context, page = tablet
    download_package(page)
    page.click("nav.tabs button[data-view=packages]")
    expect(page.locator(f"{CARD} button.remove-basemap")).to_be_visible()
    assert page.evaluate(STORED) == ["basemap-330302.pmtiles"]
    tasks_before = page.locator("#task-list .card.task").count()

    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first; "no" keeps it
    page.click(f"{CARD} button.remove-basemap")
    assert page.evaluate(STORED) == ["basemap-330302.pmtiles"]

    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"{CARD} button.remove-basemap")
    expect(page.locator(f"{CARD} .status")).to_have_text("已从本设备删除底图。")
    assert page.evaluate(STORED) == []
    expect(page.locator(f"{CARD} button.remove-basemap")).to_have_count(0)
    assert "底图" not in page.inner_text(f"{CARD} p.ok")  # no longer said to be stored
    page.click(f"{CARD} button.open")
    expect(page.locator("#task-list .card.task")).to_have_count(tasks_before)  # the tasks stay

    page.click("nav.tabs button[data-view=packages]")
    page.click(f"{CARD} button.download")
    expect(page.locator(f"{CARD} .status")).to_have_text("底图已存到本设备。")
    assert page.evaluate(STORED) == ["basemap-330302.pmtiles"]
    assert page.problems == []


def test_a_photo_or_a_record_the_full_device_cannot_keep_is_said_and_the_form_stays_as_typed(tablet):
    context, page = tablet
    download_package(page)
    # Headless Chromium's quota override does not reach IndexedDB: the device's refusal to store (what a full
    # tablet's browser answers a write) is given to the page's store instead.
    page.evaluate("""() => { const put = IDBObjectStore.prototype.put; window.deviceFull = false;
      IDBObjectStore.prototype.put = function () {
        if (window.deviceFull) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        return put.apply(this, arguments); }; }""")
    plate = page.plates[0]
    page.click(f"[data-task='plate_damage:{plate.uuid}']")
    page.click("[data-field=status] button[data-value=installed]")

    def add_photo(seed):
        page.set_input_files(".photo-role[data-role=before] input[type=file]",
                             files=[{"name": f"{seed}.jpg", "mimeType": "image/jpeg", "buffer": photo(seed)}])

    def device(full: bool):
        page.evaluate(f"window.deviceFull = {'true' if full else 'false'}")

    device(full=True)
    add_photo(1)
    expect(page.locator("#toast")).to_have_text(
        "本设备存储空间已满，照片没有保存：请在“工作包”中删除某个工作包的底图后重新添加。")
    device(full=False)
    add_photo(1)
    page.wait_for_selector("#task-form[data-photos='1']")

    device(full=True)
    page.click("#task-form button.save")
    expect(page.locator("#toast")).to_contain_text("记录没有保存，仍留在此页")
    assert page.locator("#view-task").is_visible() and unsent(page, 0)
    assert page.locator("#task-form[data-photos='1']").count() == 1

    device(full=False)
    page.click("#task-form button.save")
    page.wait_for_selector("#view-tasks:not([hidden])")
    assert unsent(page, 1) and page.problems == []
