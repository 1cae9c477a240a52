"""A job's page asks its state every second. When the session lapsed while a long job ran, the page read the
sign-in form as the answer and retried without a word: the bar stood still. It now says the session lapsed, with a
link to sign in in a new window; once signed in again the bar moves on by itself, and the finished job's result
shows. A lost network is said too, and the message goes when the state comes again."""

import pytest
from playwright.sync_api import expect

from jobs import services
from jobs.models import Job
from tests.base import lucheng_officer, sign_in
from tiles.jobs import PACKAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_job_page_says_a_lapsed_session_and_resumes(offline_page, wenzhou_counties):
    officer = lucheng_officer()
    job = services.submit(PACKAGE.name, officer, title="离线包：鹿城区",
                          params={"area": "330302", "zoom_min": 9, "zoom_max": 10})
    page = offline_page
    sign_in(page, officer)
    page.goto(f"{page.base_url}/jobs/{job.uuid}/")
    refusal = page.locator("#job-refusal")
    assert refusal.is_hidden()

    page.route("**/state.json", lambda route: route.abort())  # the network goes
    expect(refusal).to_contain_text("无法连接服务器")
    page.unroute("**/state.json")
    expect(refusal).to_be_hidden()

    page.context.clear_cookies()  # the session lapses while the job runs
    expect(refusal).to_contain_text("登录已过期")
    assert refusal.locator("a").get_attribute("target") == "_blank"
    page.screenshot(path="/tmp/job-lapsed.png")

    sign_in(page, officer)  # in another window
    Job.objects.filter(pk=job.pk).update(done=3, total=12)
    expect(refusal).to_be_hidden(timeout=15_000)
    expect(page.locator("#job-count")).to_have_text("3 / 12")
    assert [p for p in page.problems if "401" not in p and "ERR_FAILED" not in p] == [] and page.blocked == []
