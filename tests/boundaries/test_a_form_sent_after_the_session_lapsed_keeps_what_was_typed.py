"""A form sent after the officer's session lapsed led to the sign-in page, and what was typed was lost (and a page
opened before a sign-in elsewhere held a form token that sign-in replaced: a 403). A page open for some minutes now
asks first: the form is not sent, says the session lapsed with a link to sign in in a new window, and keeps what was
typed; once signed in, the same form goes, with the token the new session takes. With the server out of reach, the
form stays too."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from boundaries.inspection_models import SegmentFinding
from tests.base import follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lapsed_session_keeps_the_form_and_a_new_sign_in_sends_it(offline_page, inspection):
    _client, _line, campaign = inspection
    officer = get_user_model().objects.get(username="lucheng_officer")
    page = offline_page
    sign_in(page, officer)
    page.clock.install()  # the page's own clock, to leave it open for minutes in a moment
    page.goto(f"{page.base_url}/boundaries/campaigns/{campaign.uuid}/")
    page.select_option("#finding-form select[name=kind]", "construction")
    page.fill("#finding-form input[name=description]", "界线两侧新修机耕路，界桩 3 号附近路基跨界")
    page.fill("#finding-form input[name=action]", "双方共同核实后补埋")

    page.clock.fast_forward("10:00")  # ten minutes spent on the finding's words (a page sent moments ago: no asking)
    page.context.clear_cookies()  # meanwhile the session lapsed
    page.click("#finding-form button[type=submit]")
    said = page.locator("#finding-form .form-refusal[role=alert]")
    said.wait_for()
    assert "登录已过期" in said.inner_text() and "仍保留在本页" in said.inner_text()
    link = said.locator("a")
    assert (link.inner_text(), link.get_attribute("target"), link.get_attribute("href")) == \
        ("在新窗口中登录", "_blank", "/accounts/login/")
    assert page.url.endswith(f"/boundaries/campaigns/{campaign.uuid}/")  # not sent: the page and its text stay
    assert page.input_value("#finding-form input[name=description]") == "界线两侧新修机耕路，界桩 3 号附近路基跨界"
    assert not SegmentFinding.objects.exists()
    page.screenshot(path="/tmp/session-lapsed-form.png")

    # Out of reach: the form stays, and says so.
    page.route("**/accounts/session/", lambda route: route.abort())
    page.click("#finding-form button[type=submit]")
    page.wait_for_selector("#finding-form .form-refusal[data-refused=unreachable]")
    assert "无法连接服务器" in said.inner_text()
    page.unroute("**/accounts/session/")

    sign_in(page, officer)  # signed in again (in another window): a new session, a new form token
    follow(page, "#finding-form button[type=submit]")
    finding = SegmentFinding.objects.get()
    assert (finding.description, finding.action) == ("界线两侧新修机耕路，界桩 3 号附近路基跨界", "双方共同核实后补埋")
    assert page.locator(".form-refusal").count() == 0
    # the browser logs the 401 and the aborted request
    assert [p for p in page.problems if "401" not in p and "ERR_FAILED" not in p] == [] and page.blocked == []


def test_the_data_administration_keeps_its_form_too(offline_page, db):
    from placenames.models import NamingWord
    from tests.base import administrator

    word = NamingWord.objects.create(category=NamingWord._meta.get_field("category").choices[0][0], word="洋",
                                     note="")
    admin = administrator()
    page = offline_page
    sign_in(page, admin)
    page.clock.install()
    page.goto(f"{page.base_url}/admin/placenames/namingword/{word.pk}/change/")
    page.fill("input[name=note]", "外来词，慎用（市地名委员会 2026 年第 3 次会议）")
    page.clock.fast_forward("10:00")
    page.context.clear_cookies()
    page.click("input[name=_save]")
    said = page.locator("form .form-refusal[role=alert]")
    said.wait_for()
    assert "登录已过期" in said.inner_text() and said.locator("a").get_attribute("target") == "_blank"
    assert page.input_value("input[name=note]") == "外来词，慎用（市地名委员会 2026 年第 3 次会议）"
    page.screenshot(path="/tmp/admin-session-lapsed.png")
    word.refresh_from_db()
    assert word.note == ""

    sign_in(page, admin)
    follow(page, "input[name=_save]")
    word.refresh_from_db()
    assert word.note == "外来词，慎用（市地名委员会 2026 年第 3 次会议）"
    assert [p for p in page.problems if "401" not in p] == [] and page.blocked == []

    # Signing out needs no session: it goes at once, however long the page was open.
    page.goto(f"{page.base_url}/admin/")
    page.clock.fast_forward("10:00")
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # lapsed; the form token stays good
    follow(page, "#logout-form button")
    assert "/admin/login/" in page.url and page.locator(".form-refusal").count() == 0  # went: signed out already
