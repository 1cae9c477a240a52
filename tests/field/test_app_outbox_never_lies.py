"""The crews' app against the real sync API, in Chromium: the shell opens with no network and records made with the
network cut arrive exactly once with every photo intact; a failing server, a cut connection in the middle of a
photo, an office edit meanwhile, a sign-out and an expired session lose nothing and duplicate nothing, and the app
says honestly where each record is. (Two long walks rather than many short tests: each live-server test pays for
building the region and flushing the database.)"""

from __future__ import annotations

import hashlib
import io
import json
import random
from pathlib import Path

import pytest
import segno
from PIL import Image

from borders import inspections
from boundaries.inspection_models import MarkerRecord
from boundaries.line_models import BoundaryMarker
from field import submissions
from field.models import Submission, Upload
from tests.base import build_wenzhou, login
from tests.field.builders import crew_and_officers, damaged_plates, inspection
from tiles.pmtiles_export import export_area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WENZHOU = {"latitude": 28.0, "longitude": 120.65, "accuracy": 3}


@pytest.fixture
def region(db):
    build_wenzhou(villages=False)
    crew, officer, _ouhai, _taishun = crew_and_officers()
    line, campaign = inspection(officer)
    return {"crew": crew, "officer": officer, "campaign": campaign, "plates": damaged_plates(20),
            "markers": list(BoundaryMarker.objects.filter(line=line).order_by("sequence"))}


def photo(seed: int, size=(320, 240)) -> bytes:
    """A camera picture: noise, so that the app's JPEG of it is not tiny and each one differs."""
    rnd = random.Random(seed)
    image = Image.frombytes("RGB", size, rnd.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def app(browser, live_server, *, workers="allow", chunk=None):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1024, "height": 768}, service_workers=workers,
                                  geolocation=WENZHOU, permissions=["geolocation"])
    if chunk:
        context.add_init_script(f"window.fieldChunkBytes = {chunk};")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.base_url = live_server.url
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    login(page, "lucheng_crew")
    page.goto(live_server.url + "/field/")
    page.wait_for_selector("html[data-ready='1']")
    page.wait_for_selector("#sign-out:visible")
    return context, page


def download_package(page):
    page.click("nav.tabs button[data-view=packages]")
    page.click("article.package[data-pkg='330302'] button.download")
    page.wait_for_selector("article.package[data-pkg='330302'] button.open")
    page.click("article.package[data-pkg='330302'] button.open")
    page.wait_for_selector("#task-list .card.task")


def record_plate(page, plate, seed, status="installed"):
    page.click("nav.tabs button[data-view=tasks]")
    page.click(f"[data-task='plate_damage:{plate.uuid}']")
    page.click(f"[data-field=status] button[data-value={status}]")
    page.set_input_files(".photo-role[data-role=before] input[type=file]",
                         files=[{"name": f"{seed}.jpg", "mimeType": "image/jpeg", "buffer": photo(seed)}])
    page.wait_for_selector("#task-form[data-photos='1']")
    page.click("#task-form button.save")
    page.wait_for_selector("#view-tasks:not([hidden])")


def unsent(page, expected: int) -> bool:
    page.wait_for_function(f"document.body.dataset.unsent === '{expected}'")
    return True


def wait_until_sent(page):
    """Every record the app counted as unsent has gone. Only for a page whose unsent count was seen above 0 first (the
    callers assert it): on a page with nothing queued YET, this holds at once. A record waiting for its backoff after
    failed tries may wait a while: a generous limit, never a sleep."""
    page.wait_for_function("document.body.dataset.unsent === '0'", timeout=120_000)
    page.wait_for_function("!document.querySelector('.outbox-item[data-state=queued], .outbox-item[data-state=sending]')")


def wait_until_accepted(page, client_ids):
    """The app shows each of these records as taken by the server (its answer, so the server has it)."""
    page.click("nav.tabs button[data-view=outbox]")
    for client_id in client_ids:
        page.wait_for_selector(f".outbox-item[data-client='{client_id}'][data-state=accepted]", timeout=120_000)


def outbox_photos(page) -> dict[str, list[str]]:
    """client id -> the sha256 of each photo, as the device keeps them."""
    return page.evaluate("""Field.store.all('outbox').then(items => Object.fromEntries(
        items.map(i => [i.client_id, i.body.photos.map(p => p.sha256)])))""")


def qr_png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make_qr(text).save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def stored_sha256(upload: Upload) -> str:
    with upload.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_the_shell_opens_offline_and_twenty_records_made_offline_arrive_once_with_their_photos(
        browser, live_server, region):
    export_area("330302", (8, 10))  # the county's offline basemap
    context, page = app(browser, live_server)
    page.wait_for_selector("html[data-offline-ready='1']")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    download_package(page)
    basemap_requests = []
    page.on("request", lambda request: basemap_requests.append(request.url) if ".pmtiles" in request.url else None)
    page.click("nav.tabs button[data-view=packages]")
    page.click("article.package[data-pkg='330302'] button.download")  # an update: the basemap has not changed
    page.wait_for_selector("article.package[data-pkg='330302'] .status:has-text('底图没有变化')")
    assert basemap_requests == []
    context.set_offline(True)
    page.click("nav.tabs button[data-view=map]")
    page.wait_for_selector("#map[data-ready='1']")  # drawn from the stored basemap
    page.click("#scan-map")  # a plate's QR code, photographed, opens its record from the package
    plates = region["plates"]
    page.set_input_files("#qr-photo", files=[{"name": "qr.png", "mimeType": "image/png",
                                              "buffer": qr_png(f"{live_server.url}/d/{plates[0].token}")}])
    page.wait_for_selector(f"#task-form[data-task='plate_damage:{plates[0].uuid}']")
    for seed, plate in enumerate(plates):
        record_plate(page, plate, seed)
    assert unsent(page, 20)
    page.reload()  # the app is closed and opened again, still with no network
    page.wait_for_selector("html[data-ready='1']")
    assert unsent(page, 20)
    assert page.text_content("#net") == "离线"
    # the session cannot be asked: not "signed out", and no sign-in that opens the browser's no-network page
    page.wait_for_function("document.querySelector('#who').textContent.includes('联网后确认登录状态')")
    assert page.locator("#sign-in").is_hidden()
    page.click("nav.tabs button[data-view=outbox]")
    assert page.locator(".outbox-item[data-state=queued]").count() == 20
    assert page.text_content(".outbox-item .badge") == "等待发送"
    fresh = context.new_page()  # a new visit, as after a restart: the shell and the map library from the worker
    fresh.goto(live_server.url + "/field/")
    fresh.wait_for_selector("html[data-ready='1']")
    assert fresh.text_content(".bar h1") == "外业巡查"
    assert fresh.evaluate("typeof maplibregl") == "object"
    fresh.close()
    assert Submission.objects.count() == 0

    context.set_offline(False)
    wait_until_sent(page)
    kept = outbox_photos(page)
    sent = Submission.objects.all()
    assert sorted(str(s.client_id) for s in sent) == sorted(kept)
    assert {s.state for s in sent} == {"accepted"}
    shas = {sha for photos in kept.values() for sha in photos}
    assert len(shas) == 20
    uploads = Upload.objects.filter(sha256__in=shas)
    assert uploads.count() == 20
    assert all(stored_sha256(u) == u.sha256 for u in uploads)
    assert page.locator(".outbox-item[data-state=accepted]").count() == 20
    assert not page.problems
    context.close()


def test_a_failing_server_a_cut_photo_an_office_edit_a_sign_out_and_a_lapsed_session_lose_nothing(
        browser, live_server, region):
    context, page = app(browser, live_server, workers="block", chunk=4096)
    download_package(page)
    plates = iter(region["plates"])

    # The server answers 500: the records stay queued, and say so. A photo's third chunk reaches the server but
    # its answer is lost: the upload resumes from the server's offset, nothing is sent twice.
    patches = []

    def cut_the_third_chunk(route):
        patches.append((route.request.url, int(route.request.headers["upload-offset"])))
        if len(patches) == 3:
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/field/api/v1/uploads/*", lambda route: cut_the_third_chunk(route)
                  if route.request.method == "PATCH" else route.continue_())
    context.route("**/field/api/v1/submissions", lambda route: route.fulfill(status=500, body="{}"))
    record_plate(page, next(plates), 1)
    record_plate(page, next(plates), 2)
    page.click("nav.tabs button[data-view=outbox]")
    page.wait_for_function("document.querySelectorAll('.outbox-item[data-state=queued]').length === 2")
    page.wait_for_selector(".outbox-item .line:has-text('暂时连不上服务器')")
    assert unsent(page, 2)
    assert Submission.objects.count() == 0
    context.unroute("**/field/api/v1/submissions")
    wait_until_sent(page)
    assert Submission.objects.filter(state="accepted").count() == 2
    url, cut = patches[2]
    after = [offset for where, offset in patches[3:] if where == url]
    assert after[0] == cut + 4096
    assert len(set(patches)) == len(patches)
    for shas in outbox_photos(page).values():
        [upload] = Upload.objects.filter(sha256__in=shas)
        assert stored_sha256(upload) == upload.sha256
    context.unroute("**/field/api/v1/uploads/*")

    # The office records the marker after the package was downloaded: the crew sees both values and chooses.
    marker = region["markers"][0]
    inspections.save_record(region["officer"], region["campaign"], {"state": "intact", "note": "办公室"}, marker=marker)
    page.click("nav.tabs button[data-view=tasks]")
    page.click(f"[data-task='marker_inspection:{marker.uuid}']")
    page.click("[data-field=state] button[data-value=damaged]")
    page.click("#task-form button.save")
    page.click("nav.tabs button[data-view=outbox]")
    item = page.locator(".outbox-item[data-state=conflict]")
    item.wait_for()
    text = item.text_content()
    assert "需要您选择" in text and "保留我的：损坏" in text and "采用办公室的：完好" in text
    assert MarkerRecord.objects.get(marker=marker, is_current=True).state == "intact"
    item.locator("button[data-choice=yours]").click()
    item.locator("button.resolve").click()
    page.wait_for_function("document.querySelectorAll('.outbox-item[data-state=accepted]').length === 3")
    assert MarkerRecord.objects.get(marker=marker, is_current=True).state == "damaged"

    # Signing out with two records unsent warns, and they stay on the device through a restart.
    context.route("**/field/api/v1/submissions", lambda route: route.abort())
    record_plate(page, next(plates), 11)
    record_plate(page, next(plates), 12)
    page.click("#sign-out")
    page.wait_for_selector("#signout-dialog[open]")
    assert "2 条记录尚未送达服务器" in page.text_content("#signout-dialog")
    page.click("#signout-confirm")
    page.wait_for_selector("#sign-in:visible")
    context.unroute("**/field/api/v1/submissions")
    page.reload()
    page.wait_for_selector("html[data-ready='1']")
    assert unsent(page, 2)
    assert Submission.objects.count() == 3
    with page.expect_popup() as opened:  # signing in again, in a window: the app stays as it was
        page.click("#sign-in")
    sign_in(opened.value)
    wait_until_sent(page)
    assert Submission.objects.count() == 5

    # The session runs out with a record waiting: the app asks for a login and keeps the record.
    context.set_offline(True)
    record_plate(page, next(plates), 13)
    context.clear_cookies()
    context.set_offline(False)
    page.wait_for_selector("#login-dialog[open]")
    assert unsent(page, 1)
    with page.expect_popup() as opened:
        page.click("#login-go")
    sign_in(opened.value)
    wait_until_sent(page)
    assert Submission.objects.count() == 6
    assert Submission.objects.filter(state="accepted").count() == 6

    # The office finds an issue; the crew reads it after its next sync.
    reviewed = Submission.objects.get(record_id=str(marker.uuid))
    submissions.review(region["officer"], reviewed, "has_issues", "照片不清楚，请补拍。")
    page.click("nav.tabs button[data-view=outbox]")
    page.click("#send-now")
    card = page.locator(f".outbox-item[data-client='{reviewed.client_id}']")
    card.locator("blockquote:has-text('照片不清楚，请补拍。')").wait_for()
    assert "有问题" in card.text_content()

    # With no network, the outbox goes to a file; in the office it is imported and sent, once.
    context.set_offline(True)
    record_plate(page, next(plates), 14)
    page.click("nav.tabs button[data-view=outbox]")
    with page.expect_download() as saved:
        page.click("#export-outbox")
    exported = json.loads(Path(saved.value.path()).read_text())
    [carried] = [item["client_id"] for item in exported["items"]]
    office, desk = app(browser, live_server, workers="block")
    desk.click("nav.tabs button[data-view=outbox]")
    desk.set_input_files("#import-outbox", saved.value.path())
    # The office's outbox was empty: its unsent count is 0 before the import has even read the file, so wait for the
    # imported record itself to be shown as taken.
    wait_until_accepted(desk, [carried])
    assert Submission.objects.count() == 7
    assert Submission.objects.filter(client_id=carried, state="accepted").exists()
    office.close()
    context.set_offline(False)  # the tablet sends it too: the server knows its client id and answers the same
    wait_until_accepted(page, [carried])
    assert Submission.objects.count() == 7

    # A stale security token (the session was renewed in another window) is no refusal: the app fetches a new one
    # and sends the record again; it arrives once and is never shown as refused.
    stale = []

    def stale_token_once(route):
        if route.request.method == "POST" and not stale:
            stale.append(route.request.post_data_json["client_id"])
            return route.fulfill(status=403, content_type="application/json", body=json.dumps(
                {"error": {"code": "csrf_failed", "message": "页面的安全令牌缺失或已过期"}}))
        return route.continue_()

    context.route("**/field/api/v1/submissions", stale_token_once)
    record_plate(page, next(plates), 31)
    for _ in range(300):  # the app sends it at once, online; the route answers the first try
        if stale:
            break
        page.wait_for_timeout(100)
    page.click("nav.tabs button[data-view=outbox]")
    page.click("#send-now")
    wait_until_sent(page)
    context.unroute("**/field/api/v1/submissions")
    assert len(stale) == 1
    wait_until_accepted(page, stale)
    assert Submission.objects.count() == 8 and Submission.objects.filter(client_id=stale[0], state="accepted").exists()
    assert not page.locator(".outbox-item[data-state=rejected]").count()

    # The server refuses a record: the crew opens it again with its photo, corrects it and sends it as a new record;
    # the refused one leaves the outbox only then.
    refusal = json.dumps({"error": {"code": "invalid_value", "message": "请写明损坏情况"}})
    context.route("**/field/api/v1/submissions", lambda route: route.fulfill(
        status=422, content_type="application/json", body=refusal) if route.request.method == "POST" else
        route.continue_())
    plate = next(plates)
    record_plate(page, plate, 15)
    page.click("nav.tabs button[data-view=outbox]")
    refused = page.locator(".outbox-item[data-state=rejected]")
    refused.wait_for()
    assert "请写明损坏情况" in refused.text_content()
    refused_id = refused.get_attribute("data-client")
    context.unroute("**/field/api/v1/submissions")
    refused.locator("button.edit-resend").click()
    page.wait_for_selector(f"#task-form[data-task='plate_damage:{plate.uuid}'][data-photos='1']")  # its photo kept
    assert page.get_attribute("[data-field=status] button[data-value=installed]", "aria-checked") == "true"
    page.fill("#task-form textarea[name=remarks]", "门牌漆面脱落，已更换")
    page.click("#task-form button.save")
    page.click("nav.tabs button[data-view=outbox]")
    page.wait_for_function(f"""!document.querySelector(".outbox-item[data-client='{refused_id}']")
        && document.querySelectorAll('.outbox-item[data-state=accepted]').length ===
           document.querySelectorAll('.outbox-item').length""", timeout=60_000)
    resent = Submission.objects.get(record_id=str(plate.uuid))
    assert str(resent.client_id) != refused_id and resent.body["changes"] == {"status": "installed"}
    assert resent.body["remarks"] == "门牌漆面脱落，已更换" and len(resent.body["photos"]) == 1
    assert resent.state == "accepted" and Submission.objects.count() == 9
    assert not page.problems
    context.close()


def sign_in(window):
    window.fill("input[name=username]", "lucheng_crew")
    window.fill("input[name=password]", "pw-123456!")
    window.click("main button[type=submit]")
