"""The field app is installable and opens with no network: its manifest names local icons, its service worker (scope
/field/) precaches the shell, and with the network cut the shell still opens, in Chinese."""

import json

import pytest


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
def test_the_shell_opens_with_no_network(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.set_default_timeout(15_000)
    outside = []
    page.route("**/*", lambda route: (outside.append(route.request.url), route.abort()) if not
               route.request.url.startswith(live_server.url) else route.continue_())
    page.goto(live_server.url + "/field/")
    page.wait_for_selector("html[data-offline-ready='1']")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    for icon in json.loads(page.evaluate("fetch('/field/manifest.webmanifest').then(r => r.text())"))["icons"]:
        assert page.evaluate(f"fetch('{icon['src']}').then(r => r.status)") == 200

    context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-ready='1']")
    assert page.text_content(".bar h1") == "外业巡查"
    assert page.text_content("#net") == "离线"
    assert [b.text_content().strip() for b in page.query_selector_all("nav.tabs button")] == [
        "工作包", "任务", "地图", "待发送"]
    assert page.evaluate("typeof maplibregl") == "object"  # the map library came from the worker's cache too
    fresh = context.new_page()  # a new visit, as after a restart, also opens
    fresh.goto(live_server.url + "/field/")
    fresh.wait_for_selector("html[data-ready='1']")
    assert outside == []
    context.close()
