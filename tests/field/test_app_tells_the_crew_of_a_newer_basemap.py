"""When the office builds a package's basemap again (a wider zoom range, or the worker's renewal of an old package),
the tablet says so on the package's card, and the crew's Update fetches it; until then the card says nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.base import build_wenzhou
from tests.field.builders import crew_and_officers, damaged_plates
from tests.field.test_app_outbox_never_lies import app, download_package
from tiles.pmtiles_export import export_area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CARD = "article.package[data-pkg='330302']"


def _crew_with_a_basemap(browser, live_server):
    """鹿城区's package with a basemap on the server, and the crew's app open on a tablet."""
    build_wenzhou(villages=False)
    crew_and_officers()
    damaged_plates(2)
    export_area("330302", (8, 9))
    return app(browser, live_server)


def test_a_newer_basemap_on_the_server_is_shown_and_fetched_by_update(browser, live_server):
    context, page = _crew_with_a_basemap(browser, live_server)
    download_package(page)
    page.click("nav.tabs button[data-view=packages]")
    page.wait_for_selector(f"{CARD} button.open")
    assert page.locator(f"{CARD} .basemap-newer").count() == 0

    export_area("330302", (8, 10))  # built again on the server
    page.click("#refresh-packages")
    page.wait_for_selector(f"{CARD} .basemap-newer")
    assert "服务器上的离线底图已更新" in page.inner_text(f"{CARD} .basemap-newer")
    assert page.inner_text(f"{CARD} .status") == ""  # the first download's 底图已存到本设备 gave way to the note

    page.click(f"{CARD} button.download")
    page.wait_for_selector(f"{CARD} .status:has-text('底图已存到本设备')")
    page.wait_for_selector(f"{CARD} .basemap-newer", state="detached")
    context.close()


def test_a_card_drawn_again_during_a_download_keeps_its_progress_and_its_button_off(browser, live_server):
    context, page = _crew_with_a_basemap(browser, live_server)
    page.click("nav.tabs button[data-view=packages]")
    page.wait_for_selector(f"{CARD} button.download")
    held = []
    # The basemap's bytes are held back until the list has been drawn again (刷新列表) under the download.
    context.route("**/tiles/pmtiles/**", lambda route: held.append(route))
    page.click(f"{CARD} button.download")
    page.wait_for_selector(f"{CARD} .status:has-text('正在下载底图')")
    page.eval_on_selector(CARD, "card => card.dataset.before = '1'")
    page.click("#refresh-packages")
    page.wait_for_selector(f"{CARD}:not([data-before])")  # the card drawn again
    assert page.locator(f"{CARD} button.download").is_disabled()
    assert "正在下载底图" in page.inner_text(f"{CARD} .status")
    for route in held:
        route.continue_()
    context.unroute("**/tiles/pmtiles/**")
    page.wait_for_selector(f"{CARD} .status:has-text('底图已存到本设备')")
    # The word comes first; the button is given back once the tasks are loaded and the list drawn again (app.js).
    expect(page.locator(f"{CARD} button.download")).to_be_enabled()
    context.close()
