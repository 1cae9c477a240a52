"""A job's page asks its state every second. When the session lapsed while a long job ran, the page read the
sign-in form as the answer and retried without a word: the bar stood still. It now says the session lapsed, with a
link to sign in in a new window; once signed in again the bar moves on by itself, and the finished job's result
shows. A lost network is said too, and the message goes when the state comes again."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jobs import services
from jobs.models import Job
from tests.base import lucheng_officer, sign_in
from tiles.jobs import PACKAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def on_a_queued_job_s_page(page):
    """鹿城's officer queues a job (an offline package) and opens its page: (officer, job, page)."""
    officer = lucheng_officer()
    job = services.submit(PACKAGE.name, officer, title="离线包：鹿城区",
                          params={"area": "330302", "zoom_min": 9, "zoom_max": 10})
    sign_in(page, officer)
    page.goto(f"{page.base_url}/jobs/{job.uuid}/")
    return officer, job, page


def test_the_job_page_says_a_lapsed_session_and_resumes(offline_page, wenzhou_counties):
    officer, job, page = on_a_queued_job_s_page(offline_page)
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


def test_a_job_that_fails_while_its_page_is_open_shows_its_failure(offline_page, wenzhou_counties):
    """Before, the failed job's state (its "error" in words) was read as a refusal: the page said the server could
    not be reached and stayed on "queued" until reloaded by hand."""
    officer, job, page = on_a_queued_job_s_page(offline_page)
    expect(page.locator("#job-status")).to_have_text("排队中")

    Job.objects.filter(pk=job.pk).update(status="failed", error="任务因服务器故障中止。", finished=timezone.now())
    expect(page.locator("#job-status")).to_contain_text("失败", timeout=10_000)
    expect(page.locator("#job")).to_contain_text("任务因服务器故障中止。")
    assert page.locator("#job-refusal").count() == 0 or page.locator("#job-refusal").is_hidden()
