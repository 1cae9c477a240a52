"""The field app is installable: its manifest names local icons, its service worker (scope /field/) precaches the
shell under a cache named after its content. That the shell then opens with no network is walked in Chromium in
test_app_outbox_never_lies.py."""

import json

import pytest

from tests.base import build_wenzhou, login
from tests.field.builders import crew_and_officers
from tests.field.test_app_outbox_never_lies import app


@pytest.mark.django_db
def test_the_manifest_and_the_worker_are_served_by_the_project(client):
    manifest = client.get("/field/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    body = json.loads(manifest.content)
    assert body["start_url"] == body["scope"] == "/field/"
    assert body["name"] == "地名外业巡查"
    for icon in body["icons"]:
        assert icon["src"].startswith("/static/field/icons/")
    worker = client.get("/field/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    script = worker.content.decode()
    assert '"/field/"' in script and "/static/vendor/maplibre-gl/maplibre-gl.js" in script
    assert client.get("/field/sw.js").content.decode() == script  # the version names the content: same files, same worker


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_address_that_cannot_keep_the_app_offline_says_so_at_once(browser, live_server):
    """A browser keeps no offline copy (no service worker) for a plain-HTTP address of the office network, nor for an
    HTTPS one whose certificate the tablet does not trust: the crew is told on opening the app, in the office, not in
    the mountains. (Chromium treats the test server's localhost as secure and trusted: each is shown as Chromium
    shows such a page, no serviceWorker and isSecureContext false, or a registration refused.)"""
    build_wenzhou(villages=False)
    crew_and_officers()
    context, page = app(browser, live_server)
    assert page.locator("#no-offline").is_hidden()  # HTTPS (or this machine): nothing said
    context.close()

    for browser_state, said in (
            ("delete Navigator.prototype.serviceWorker;"
             "Object.defineProperty(window, 'isSecureContext', {value: false});", "本地址不是 HTTPS：没有信号时无法在这里打开本应用"),
            ("ServiceWorkerContainer.prototype.register = () => Promise.reject(new DOMException('SSL certificate "
             "error', 'SecurityError'));", "可能是设备不信任服务器的证书")):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1024, "height": 768})
        context.add_init_script(browser_state)
        page = context.new_page()
        page.base_url = live_server.url
        login(page, "lucheng_crew")
        page.goto(live_server.url + "/field/")
        page.wait_for_selector("html[data-ready='1']")
        page.wait_for_selector("#sign-out:visible")
        notice = page.locator("#no-offline")
        notice.wait_for(state="visible")
        assert said in notice.inner_text()
        context.close()
