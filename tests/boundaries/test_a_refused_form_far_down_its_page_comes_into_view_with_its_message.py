"""A refused form comes back filled as it was sent, its message at the top of the page; on a long page that form is
far below, out of sight. The page brings the refused form into view on a 1024x768 screen, says the message again at
its top (the one above is out of sight) and puts the cursor in it. A form near the top, refused, is left where it
is, its message said once; a page that refused nothing moves nothing."""

import pytest
from django.contrib.auth import get_user_model

from tests.base import follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MESSAGE = "检查情况须有类别和说明"


def in_view(page, selector) -> bool:
    return page.evaluate(f"""(() => {{ const box = document.querySelector("{selector}").getBoundingClientRect();
                                      return box.top >= 0 && box.top < window.innerHeight; }})()""")


def test_the_refused_form_is_brought_into_view_with_its_message(offline_page, inspection):
    _client, _line, campaign = inspection
    page = offline_page
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(page, get_user_model().objects.get(username="lucheng_officer"))
    page.goto(f"{page.base_url}/boundaries/campaigns/{campaign.uuid}/")
    assert page.evaluate("window.scrollY") == 0 and not in_view(page, "#finding-form")  # the findings are far down
    assert page.locator(".form-refusal").count() == 0

    page.select_option("#finding-form select[name=kind]", "construction")
    page.fill("#finding-form input[name=description]", "   ")  # passes the browser's own check, not the server's
    page.fill("#finding-form input[name=action]", "原址补埋")
    follow(page, "#finding-form button[type=submit]")

    assert MESSAGE in page.inner_text(".messages li.error")
    assert not in_view(page, ".messages") and in_view(page, "#finding-form")
    said = page.locator("#finding-form .form-refusal[role=alert]")
    assert said.is_visible() and MESSAGE in said.inner_text()
    assert page.evaluate("document.getElementById('finding-form').contains(document.activeElement)")
    assert page.input_value("#finding-form input[name=action]") == "原址补埋"  # what was typed stays
    page.screenshot(path="/tmp/refused-form.png")

    # A form at the top of its page, refused: the page stays where it is and says its message once.
    page.goto(f"{page.base_url}/boundaries/campaigns/{campaign.uuid}/")
    page.fill("#plan-form input[name=starts_on]", "2026-06-30")
    page.fill("#plan-form input[name=ends_on]", "2026-05-01")
    follow(page, "#plan-form button[type=submit]")
    assert "不能早于开始日期" in page.inner_text(".messages li.error")
    assert in_view(page, ".messages") and page.locator(".form-refusal").count() == 0
    assert [p for p in page.problems if "400" not in p] == [] and page.blocked == []  # the browser logs each 400
