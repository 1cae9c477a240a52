"""The background worker outlives whatever one job does and a database that goes away: a result that cannot be
stored fails its job with the reason, a lost database is waited out (reconnecting with backoff), and a job whose
worker died is marked failed within a minute, because a live worker's jobs keep a heartbeat of their own."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from gis.errors import InputError
from jobs import services, worker
from jobs.models import Job, JobStatus
from jobs.registry import Kind, register
from tests.base import lucheng_officer


def _nul_result(job, progress):
    progress("reading", 1, 1)
    return {"rows": [{"name": "a\u0000b"}]}


def _nul_error(job, progress):
    raise InputError("第 2 行：名称 'a\x00b' 含有空字符。", where={"row": 2})


def _not_json(job, progress):
    return {"seen": {1, 2}}


def _quick(job, progress):
    return {"ok": True}


def _waiting_for_heartbeat(job, progress):
    """Makes no progress report, and ends once another connection sees its heartbeat move on its own."""
    with services.own_connection() as other:
        first = other.execute("SELECT heartbeat FROM jobs_job WHERE id = %s", [job.pk]).fetchone()[0]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            beat = other.execute("SELECT heartbeat FROM jobs_job WHERE id = %s", [job.pk]).fetchone()[0]
            if beat > first:
                return {"heartbeat_moved": True}
            time.sleep(0.02)
    return {"heartbeat_moved": False}


NUL_RESULT = register(Kind("tests.nul_result", _nul_result, "jobs/job.html", {}))
NUL_ERROR = register(Kind("tests.nul_error", _nul_error, "jobs/job.html", {}))
NOT_JSON = register(Kind("tests.not_json", _not_json, "jobs/job.html", {}))
QUICK = register(Kind("tests.quick", _quick, "jobs/job.html", {}))
HEARTBEAT = register(Kind("tests.heartbeat", _waiting_for_heartbeat, "jobs/job.html", {}))


def _wait_for(predicate, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_result_that_cannot_be_stored_fails_its_job_with_the_reason_and_the_next_job_runs(wenzhou_counties):
    officer = lucheng_officer()
    bad = services.submit(NUL_RESULT.name, officer, title="空字符")
    nul_error = services.submit(NUL_ERROR.name, officer, title="空字符的错误")
    not_json = services.submit(NOT_JSON.name, officer, title="不是 JSON")
    good = services.submit(QUICK.name, officer, title="下一个")

    assert services.run_queued() == 4

    bad, nul_error, not_json, good = (Job.objects.get(pk=j.pk) for j in (bad, nul_error, not_json, good))
    assert bad.status == JobStatus.FAILED and bad.result is None
    assert "无法保存" in bad.error and bad.finished is not None
    assert not_json.status == JobStatus.FAILED and "无法保存" in not_json.error
    assert nul_error.status == JobStatus.FAILED and "第 2 行" in nul_error.error
    assert good.status == JobStatus.DONE and good.result == {"ok": True}


@pytest.mark.django_db(transaction=True)
def test_a_running_job_keeps_a_heartbeat_without_reporting_progress(wenzhou_counties, settings):
    settings.JOBS_HEARTBEAT_S = 0.05
    job = services.submit(HEARTBEAT.name, lucheng_officer(), title="心跳")

    services.run_queued()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result == {"heartbeat_moved": True}


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_marked_failed_within_a_minute(wenzhou_counties):
    job = services.submit(QUICK.name, lucheng_officer(), title="无人运行")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat=timezone.now() - timedelta(seconds=59))

    assert services.claim() is None

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "重新提交" in job.error


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_lost_database_then_runs_the_queue(wenzhou_counties, caplog, monkeypatch):
    monkeypatch.setattr(worker, "BACKOFF_S", (0.05, 0.1, 0.2))
    job = services.submit(QUICK.name, lucheng_officer(), title="等待数据库")
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = "9"  # discard: nothing listens there, as when PostgreSQL is stopped
    stopping = threading.Event()

    def work():
        try:
            worker.work(stop=stopping.is_set, idle_sleep=0.05)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    try:
        assert _wait_for(lambda: sum("database unavailable" in r.getMessage() for r in caplog.records) >= 3)
        assert thread.is_alive()
        connection.settings_dict.update(saved)  # PostgreSQL is back

        assert _wait_for(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE)
    finally:
        connection.settings_dict.update(saved)
        stopping.set()
        thread.join(30)
    assert not thread.is_alive()


@pytest.mark.django_db
def test_a_worker_busy_with_a_long_job_is_still_seen_by_the_job_pages(client, wenzhou_counties):
    from django.core.cache import cache

    officer = lucheng_officer()
    running = services.submit(QUICK.name, officer, title="长任务")
    waiting = services.submit(QUICK.name, officer, title="排队")
    cache.delete(services.WORKER_SEEN)  # the worker last looked for work long ago: it is busy with the long job
    Job.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING, heartbeat=timezone.now())
    client.force_login(officer)

    assert 'id="no-worker"' not in client.get(f"/jobs/{waiting.uuid}/").content.decode()
    Job.objects.filter(pk=running.pk).update(heartbeat=timezone.now() - timedelta(minutes=5))
    assert 'id="no-worker"' in client.get(f"/jobs/{waiting.uuid}/").content.decode()
