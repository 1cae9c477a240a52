"""In a browser: an officer uploads a doorplate file; the import is queued as a background job whose page shows a
progress bar, and once a worker has run it the same page shows the report of every rejected row."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from doorplates.models import Doorplate
from jobs.models import Job, JobStatus
from tests.base import login, lucheng_officer
from tests.doorplates.builders import make_road
from tests.doorplates.test_bulk_import import bad_rows, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_uploads_a_file_watches_the_job_and_reads_the_report(offline_page, wenzhou_counties, tmp_path):
    page = offline_page
    lucheng_officer()
    road = make_road("解放街")
    far_road = make_road("瑞安路", coords=[(120.62, 27.80), (120.64, 27.80)], county="330381")
    path = write_csv(tmp_path / "门牌.csv", bad_rows(road, far_road), "gbk")
    login(page, "lucheng_officer")
    page.goto(page.base_url + "/doorplates/import/")

    page.set_input_files("input[name=file]", str(path))
    page.select_option("select[name=commit]", "valid")
    page.click("#import-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    expect(page.locator("#job-progress")).to_be_visible()
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED and job.params["file_name"] == "门牌.csv"

    call_command("run_jobs", "--once", verbosity=0)  # the worker; the page notices on its own and reloads

    expect(page.locator("#import-report")).to_be_visible(timeout=10_000)
    expect(page.locator("#rejected-rows tbody tr")).to_have_count(8)
    assert Doorplate.objects.count() == 1
    assert page.blocked == [] and page.problems == []
