"""A submitter (or an administrator) can cancel a background job from its page: a queued job never runs; a running
one stops at its next progress report and keeps nothing it did in its transaction; nobody else can cancel it, and a
finished job cannot be cancelled."""

import os
import time

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction

from jobs import services
from jobs.models import Job, JobStatus
from jobs.registry import Kind, register
from tests.base import administrator, lucheng_officer, ruian_officer

pytestmark = pytest.mark.django_db(transaction=True)


def _cancelled_midway(job, progress):
    """Writes a marker in its transaction, is cancelled by someone else meanwhile, and reports progress."""
    with transaction.atomic():
        Job.objects.create(kind="tests.marker", title=f"written by {job.pk}")
        progress("work", 1, 100)
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:  # the page's click
            other.execute("UPDATE jobs_job SET cancel_requested = now(), cancelled_by_id = actor_id WHERE id = %s",
                          [job.pk])
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            progress("work", 1, 100)
            time.sleep(0.05)
    return {"finished": True}


CANCELLED_MIDWAY = register(Kind("tests.cancelled_midway", _cancelled_midway, "jobs/job.html", {"work": "工作"}))


def test_a_queued_job_cancelled_from_its_page_never_runs_and_its_upload_is_deleted(client, wenzhou_counties):
    officer = lucheng_officer()
    job = services.submit(CANCELLED_MIDWAY.name, officer, title="不该运行",
                          upload=SimpleUploadedFile("plates.csv", b"a,b\n1,2\n"))
    upload = job.input_file.path
    client.force_login(officer)

    page = client.get(f"/jobs/{job.uuid}/")
    assert 'id="job-cancel"' in page.content.decode()
    response = client.post(f"/jobs/{job.uuid}/cancel/", follow=True)
    call_command("run_jobs", "--once", verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.result, job.cancelled_by) == (JobStatus.CANCELLED, None, officer)
    assert "任务已取消。" in response.content.decode()
    assert not job.input_file and not os.path.exists(upload)
    assert not Job.objects.filter(kind="tests.marker").exists()


def test_a_running_job_stops_at_its_next_report_and_its_work_is_rolled_back(wenzhou_counties):
    job = services.submit(CANCELLED_MIDWAY.name, lucheng_officer(), title="中途取消")

    started = time.monotonic()
    call_command("run_jobs", "--once", verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.finished is not None
    assert time.monotonic() - started < 4, "the job ran on after it was asked to stop"
    assert "取消" in job.error and "未保存" in job.error
    assert not Job.objects.filter(kind="tests.marker").exists()  # written in its transaction: rolled back


def test_only_the_submitter_or_an_administrator_may_cancel_and_never_a_finished_job(client, wenzhou_counties):
    officer = lucheng_officer()
    job = services.submit(CANCELLED_MIDWAY.name, officer, title="别人的任务")

    client.force_login(ruian_officer())
    assert client.post(f"/jobs/{job.uuid}/cancel/").status_code == 404
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert client.get(f"/jobs/{job.uuid}/cancel/").status_code == 405

    client.force_login(administrator())
    client.post(f"/jobs/{job.uuid}/cancel/")
    assert Job.objects.get(pk=job.pk).status == JobStatus.CANCELLED

    again = client.post(f"/jobs/{job.uuid}/cancel/", follow=True)
    assert "无法取消" in again.content.decode()
    assert Job.objects.get(pk=job.pk).status == JobStatus.CANCELLED
