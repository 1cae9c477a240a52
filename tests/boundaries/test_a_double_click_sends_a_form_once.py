"""A double click on a form's button sent the form twice, and the server took both: two findings where the officer
recorded one (or, on a versioned record, an edit refused as changed by someone else just after it was saved). While
the answer is awaited the form ignores further clicks; a form whose answer leaves the page where it is (a download)
is free again as soon as one of its fields changes."""

import pytest
from django.contrib.auth import get_user_model

from boundaries.inspection_models import SegmentFinding
from tests.base import lucheng_officer, sign_in
from tests.exports.builders import place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_double_click_records_one_finding(offline_page, inspection):
    _client, _line, campaign = inspection
    page = offline_page
    sign_in(page, get_user_model().objects.get(username="lucheng_officer"))
    page.goto(f"{page.base_url}/boundaries/campaigns/{campaign.uuid}/")
    page.select_option("#finding-form select[name=kind]", "construction")
    page.fill("#finding-form input[name=description]", "界线两侧新修机耕路")
    # A second click 30 ms on: the first request has gone, its answer has not come (the browser would drop it and
    # send the form again).
    page.evaluate("""(() => { const button = document.querySelector("#finding-form button[type=submit]");
                              button.click(); setTimeout(() => button.click(), 30); })()""")
    page.wait_for_selector("#findings td:has-text('界线两侧新修机耕路')")
    page.wait_for_timeout(500)  # a second request, had one gone, has been answered
    assert SegmentFinding.objects.filter(campaign=campaign).count() == 1
    assert page.locator("#finding-form[aria-busy]").count() == 0  # the page that came back is free


def test_a_download_form_goes_again_with_other_options(offline_page, wenzhou_counties):
    place("解放路")
    page = offline_page
    sign_in(page, lucheng_officer())
    page.goto(page.base_url + "/exports/")
    page.select_option("select[name=layer]", "roads")
    page.select_option("select[name=profile]", "baidu")
    with page.expect_download() as first:
        page.click("#export-form button[type=submit]")
    assert first.value.suggested_filename.endswith(".csv")
    assert page.get_attribute("#export-form", "aria-busy") == "true"  # the page stays: a click now would resend

    page.select_option("select[name=profile]", "amap")  # another export: the form is free again
    assert page.get_attribute("#export-form", "aria-busy") is None
    with page.expect_download() as second:
        page.click("#export-form button[type=submit]")
    assert second.value.suggested_filename.endswith(".csv")
    assert page.problems == [] and page.blocked == []
