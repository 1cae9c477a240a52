"""A rural name kept on the tablet before the office recoded the categories (migration placenames/0009) opens with the
category it now is, never its old code: the form's choices come with their old values (aliases) and the app shows
and preselects the current choice; the server takes either (tests/field/test_api_rural_names_...)."""

from __future__ import annotations

import json

import pytest

from tests.field.builders import rural_campaign_task
from tests.field.test_app_outbox_never_lies import app, download_package

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_draft_with_an_old_category_code_opens_on_the_current_category(browser, live_server):
    task = rural_campaign_task()
    context, page = app(browser, live_server)
    download_package(page)
    draft = {"task_id": task, "values": {"name": "石门岙", "category": "2421"}, "photos": [], "signatures": [],
             "position": None, "remarks": ""}
    page.evaluate(f"Field.store.put('drafts', {json.dumps(draft)})")  # kept by the app before the upgrade

    page.click(f"[data-task='{task}']")

    select = page.locator("#task-form select[name=category]")
    assert select.input_value() == "222"
    assert select.evaluate("s => s.options[s.selectedIndex].text") == "222 农村居民点"
    assert page.problems == []
    context.close()
