"""The outbox is drawn again whenever anything in it moves (each sync, each photo's progress): a crew's tap on a
record's button must not be lost because the list was drawn again between the finger going down and coming up.
(CI lost 编辑后重发 this way: the click began on one button and ended on its copy, so the browser sent the click to
neither.)"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from field import submissions
from field.models import Submission
from tests.field.test_app_crew_adds_a_rural_name import begin_rural_name
from tests.field.test_app_outbox_never_lies import wait_until_accepted

User = get_user_model()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_tap_on_edit_and_resend_reaches_the_form_though_the_list_is_redrawn_under_the_finger(browser, live_server):
    context, page = begin_rural_name(browser, live_server, meaning=False)
    page.click("#task-form button.pick-on-map")
    page.wait_for_selector("#map[data-ready='1']")
    page.click("#map canvas")
    page.wait_for_selector("#task-form .position-result:has-text('在地图上点选')")
    page.click("#task-form button.save")
    page.wait_for_selector("#view-tasks:not([hidden])")
    [client_id] = page.evaluate("Field.store.all('outbox').then(items => items.map(i => i.client_id))")
    wait_until_accepted(page, [client_id])
    sub = Submission.objects.get(client_id=client_id)
    submissions.review(User.objects.get(username="lucheng_officer"), sub, "rejected", "名称应为石门岙村")
    page.evaluate("Field.outbox.sync()")
    button = page.locator(f".outbox-item[data-client='{client_id}'] button.edit-resend")
    box = button.bounding_box()

    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.evaluate("Field.outbox.sync()")  # ends with the outbox drawn again: nothing in it changed
    page.mouse.up()

    page.wait_for_selector("#view-task:not([hidden])")
    assert page.input_value("#task-form input[name=name]") == "石门岙"
    assert page.problems == []
    context.close()
