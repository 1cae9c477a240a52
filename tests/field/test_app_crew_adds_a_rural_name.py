"""A crew on a 1024x768 tablet, with no signal, adds a rural name to its county's 乡村著名 campaign: its name,
category, meaning, origin, source and a photo, its position tapped on the map; the record waits in the outbox and
arrives once the signal is back. Every word on the pages is Chinese. (One short walk.)"""

from __future__ import annotations

import os
import re

import pytest
from django.contrib.auth import get_user_model

from field import submissions
from field.models import Submission
from tests.field.builders import rural_campaign_task
from tests.field.test_app_outbox_never_lies import app, download_package, photo, unsent, wait_until_sent

User = get_user_model()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("FIELD_SCREENSHOTS", "")  # a folder to keep the screenshots in, to look at them
INTERNALS = re.compile(r"rural_name|undefined|null|None|NaN|\{[a-z_]+\}|[A-Za-z]{4,}")


def shot(page, name: str) -> str:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"rural-{name}.png"))
    return page.inner_text("main")


def begin_rural_name(browser, live_server, *, meaning: bool = True):
    """The crew's app with this year's campaign downloaded and a new name 石门岙 filled in (category 222 农村居民点,
    a photo of the place; its meaning, origin and source unless told not), its position not yet given."""
    task = rural_campaign_task()
    context, page = app(browser, live_server, workers="block")
    download_package(page)
    page.click(f"[data-task='{task}']")
    page.fill("#task-form input[name=name]", "石门岙")
    page.select_option("#task-form select[name=category]", "222")
    if meaning:
        page.fill("#task-form textarea[name=meaning]", "村在石门岙口")
        page.fill("#task-form textarea[name=origin]", "明末林姓迁此")
        page.fill("#task-form input[name=source]", "村民口述")
    page.set_input_files(".photo-role[data-role=place] input[type=file]",
                         files=[{"name": "1.jpg", "mimeType": "image/jpeg", "buffer": photo(1)}])
    page.wait_for_selector("#task-form[data-photos='1']")
    return context, page


def test_a_crew_adds_a_rural_name_offline_and_it_arrives_once(browser, live_server):
    context, page = begin_rural_name(browser, live_server)
    context.set_offline(True)
    page.click("#task-form button.pick-on-map")
    page.wait_for_selector("#map[data-ready='1']")
    assert "请在地图上点击该地点" in page.inner_text("#target")
    shot(page, "map-pick")
    page.click("#map canvas")  # the middle of the map: the crew's position
    page.wait_for_selector("#task-form .position-result:has-text('在地图上点选')")
    page.locator("#task-form .position-result").scroll_into_view_if_needed()
    text = shot(page, "form")
    assert not INTERNALS.search(text), INTERNALS.search(text)
    page.click("#task-form button.save")
    page.wait_for_selector("#view-tasks:not([hidden])")
    assert unsent(page, 1)
    page.click("nav.tabs button[data-view=outbox]")
    text = shot(page, "outbox-offline")
    assert "石门岙 · 乡村著名行动 · 鹿城区" in text and not INTERNALS.search(text), text
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until_sent(page)
    page.wait_for_selector(".outbox-item[data-state=accepted]")
    shot(page, "outbox-sent")
    [sub] = Submission.objects.all()
    assert (sub.task_type, sub.body["changes"]["name"], sub.body["position"]["method"], sub.state) == (
        "rural_name", "石门岙", "map", "accepted")
    assert sub.area_code12.startswith("330302") and sub.attachments.count() == 1

    # The office refuses it with a reason; the crew reads it, corrects the name and sends it again.
    submissions.review(User.objects.get(username="lucheng_officer"), sub, "rejected", "名称应为石门岙村")
    page.evaluate("Field.outbox.sync()")
    page.click(".outbox-item[data-state=accepted] button.edit-resend")
    page.fill("#task-form input[name=name]", "石门岙村")
    page.click("#task-form button.save")
    page.click("nav.tabs button[data-view=outbox]")
    page.wait_for_selector(f".outbox-item[data-state=accepted]:not([data-client='{sub.client_id}'])")
    text = shot(page, "resent")
    assert "名称应为石门岙村" not in text and not INTERNALS.search(text), text  # the refused record has gone
    resent = Submission.objects.exclude(pk=sub.pk).get()
    assert (resent.body["changes"]["name"], resent.body["position"], resent.attachments.count()) == (
        "石门岙村", sub.body["position"], 1)
    assert page.problems == []
    context.close()
