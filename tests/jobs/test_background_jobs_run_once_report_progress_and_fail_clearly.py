"""Background jobs: a worker runs each queued job once (several workers never take the same one), its progress is
visible to other connections while it runs, a failure is recorded with its reason and the worker goes on, a job
whose worker vanished is marked failed, and only its submitter (or an administrator) can follow it."""

import threading
from datetime import timedelta

import psycopg
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from gis.errors import InputError
from jobs import services
from jobs.models import Job, JobStatus
from jobs.registry import Kind, register
from tests.base import administrator, lucheng_officer, ruian_officer


def _counting(job, progress):
    for _step in range(job.params["steps"]):
        progress("counting", 1, job.params["steps"])
    params = connections["default"].get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params) as other:  # what the progress page would read meanwhile
        seen = other.execute("SELECT stage, done, total FROM jobs_job WHERE id = %s", [job.pk]).fetchone()
    return {"counted": job.params["steps"], "seen_meanwhile": list(seen)}


def _refusing(job, progress):
    raise InputError("第 3 行：经度 200 超出范围。", where={"row": 3})


def _crashing(job, progress):
    raise RuntimeError("a bug")


COUNTING = register(Kind("tests.counting", _counting, "jobs/job.html", {"counting": "计数"}))
REFUSING = register(Kind("tests.refusing", _refusing, "jobs/job.html", {}))
CRASHING = register(Kind("tests.crashing", _crashing, "jobs/job.html", {}))


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_once_and_its_progress_is_seen_while_it_runs(wenzhou_counties):
    officer = lucheng_officer()
    job = services.submit(COUNTING.name, officer, title="计数", params={"steps": 3})

    call_command("run_jobs", "--once", verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == (JobStatus.DONE, 3, 3, 100)
    assert job.result["counted"] == 3
    assert job.result["seen_meanwhile"][0] == "counting" and job.result["seen_meanwhile"][1] >= 1
    call_command("run_jobs", "--once", verbosity=0)
    assert Job.objects.get(pk=job.pk).finished == job.finished  # not run again


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_records_why_and_the_worker_goes_on(wenzhou_counties):
    officer = lucheng_officer()
    refused = services.submit(REFUSING.name, officer, title="拒绝")
    crashed = services.submit(CRASHING.name, officer, title="出错")
    counted = services.submit(COUNTING.name, officer, title="计数", params={"steps": 1})

    call_command("run_jobs", "--once", verbosity=0)

    refused, crashed, counted = (Job.objects.get(pk=j.pk) for j in (refused, crashed, counted))
    assert refused.status == JobStatus.FAILED and "第 3 行" in refused.error
    assert refused.result["error"]["where"] == {"row": 3}
    assert crashed.status == JobStatus.FAILED and "管理员" in crashed.error
    assert "RuntimeError" not in crashed.error and "a bug" not in crashed.error  # no internals for the officer
    assert counted.status == JobStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_workers_never_take_the_same_job(wenzhou_counties):
    officer = lucheng_officer()
    for n in range(24):
        services.submit(COUNTING.name, officer, title=f"计数 {n}", params={"steps": 1})
    claimed, lock = [], threading.Lock()

    def worker():
        try:
            while (job := services.claim()) is not None:
                with lock:
                    claimed.append(job.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(claimed) == len(set(claimed)) == 24
    assert Job.objects.filter(status=JobStatus.RUNNING).count() == 24


@pytest.mark.django_db
def test_a_job_whose_worker_vanished_is_marked_failed_not_run_twice(wenzhou_counties):
    job = services.submit(COUNTING.name, lucheng_officer(), title="计数", params={"steps": 1})
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat=timezone.now() - timedelta(minutes=20))

    assert services.claim() is None

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "重新提交" in job.error


@pytest.mark.django_db
def test_only_the_submitter_or_an_administrator_follows_a_job(client, wenzhou_counties):
    officer = lucheng_officer()
    job = services.submit(COUNTING.name, officer, title="计数", params={"steps": 1})
    cache.delete(services.WORKER_SEEN)

    client.force_login(officer)
    page = client.get(f"/jobs/{job.uuid}/").content.decode()
    state = client.get(f"/jobs/{job.uuid}/state.json").json()
    assert 'id="job-progress"' in page and 'id="no-worker"' in page  # queued, and no worker is running
    assert (state["status"], state["finished"], state["percent"]) == ("queued", False, None)

    client.force_login(ruian_officer())
    assert client.get(f"/jobs/{job.uuid}/").status_code == 404
    assert client.get(f"/jobs/{job.uuid}/state.json").status_code == 404
    client.force_login(administrator())
    cache.set(services.WORKER_SEEN, 1, 60)
    assert 'id="no-worker"' not in client.get(f"/jobs/{job.uuid}/").content.decode()


@pytest.mark.django_db
def test_finished_jobs_are_forgotten_after_the_days_kept(settings, wenzhou_counties):
    settings.JOBS_KEEP_DAYS = 90
    officer = lucheng_officer()
    old, recent, waiting = (services.submit(COUNTING.name, officer, title=t, params={"steps": 1})
                            for t in ("旧", "新", "等待"))
    Job.objects.filter(pk=old.pk).update(status=JobStatus.DONE, finished=timezone.now() - timedelta(days=91))
    Job.objects.filter(pk=recent.pk).update(status=JobStatus.FAILED, finished=timezone.now() - timedelta(days=89))

    assert services.forget_old_jobs() == 1

    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
