"""The field app is installable: its manifest names local icons, its service worker (scope /field/) precaches the
shell under a cache named after its content. That the shell then opens with no network is walked in Chromium in
test_app_outbox_never_lies.py."""

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
