"""Queueing, claiming and running background jobs.

A worker (`manage.py run_jobs`, jobs.worker) claims the oldest queued job with SKIP LOCKED, so several workers never
take the same one, and runs its kind's function. Progress goes through a connection of its own in autocommit, so the
progress page sees it while the job's own transaction (an all-or-nothing import) is still open. While a job runs, a
thread of its worker beats its heartbeat every JOBS_HEARTBEAT_S; a job whose heartbeat stopped for 4.5 beats (its
worker was killed, its machine lost) is marked failed by the next worker that looks for work, rather than run twice:
its submitter resubmits it. Whatever a job raises, and a result that cannot be stored, fails that job alone.

Its submitter (or an administrator) can cancel a job: a queued one is cancelled at once and never runs; a running
one stops at its next progress report, which raises ``Cancelled`` inside the job's function, so whatever it did in
its transaction (an import's rows) is rolled back.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

import psycopg
from django.conf import settings
from django.core.cache import cache
from django.core.mail import mail_admins
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import Role
from accounts.scoping import has_role
from core.db import own_connection
from core.errors import refused_for_storage
from gis.errors import Conflict, DimingError, NotFound
from jobs import registry
from jobs.models import FINISHED, Job, JobStatus

log = logging.getLogger(__name__)

STALE_BEATS = 4.5  # heartbeats (settings.JOBS_HEARTBEAT_S, 10 s) missed: the job's worker is gone
PROGRESS_EVERY_S = 0.5
WORKER_SEEN = "jobs:worker-seen"  # in Django's cache (a table every process shares)
WORKER_SEEN_TTL_S = 60

CLAIM = """
UPDATE jobs_job SET status = 'running', started = now(), heartbeat = now()
WHERE id = (SELECT id FROM jobs_job WHERE status = 'queued' ORDER BY created, id FOR UPDATE SKIP LOCKED LIMIT 1)
RETURNING id
"""
ABANDON = """
UPDATE jobs_job SET status = 'failed', finished = now(), error = %s
WHERE status = 'running' AND heartbeat < now() - %s
"""
HEARTBEAT = """
UPDATE jobs_job SET heartbeat = now() WHERE id = %s AND status = 'running' RETURNING cancel_requested IS NOT NULL
"""
PROGRESS = """
UPDATE jobs_job SET stage = %s, done = %s, total = %s, heartbeat = now() WHERE id = %s
RETURNING cancel_requested IS NOT NULL
"""


class Cancelled(BaseException):
    """Raised by a job's progress report once someone asked to cancel the job. Not an Exception (like asyncio's
    CancelledError), so no ``except Exception`` in a job's own code can swallow it."""


def submit(kind: str, actor, *, title: str, params: dict | None = None, upload=None) -> Job:
    if registry.get(kind) is None:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, title=title, params=params or {}, actor=actor)
    if upload is not None:
        job.input_file.save(upload.name, upload, save=False)
    job.save()
    return job


def _jobs(kind: str, params: dict):
    """The jobs of ``kind`` whose parameters include these."""
    return Job.objects.filter(kind=kind, **{f"params__{name}": value for name, value in params.items()})


def waiting(kind: str, **params) -> bool:
    """A job of ``kind`` with these parameters is queued and not started, so a caller need not queue another."""
    return _jobs(kind, params).filter(status=JobStatus.QUEUED).exists()


def submitted_since(kind: str, moment, **params) -> bool:
    """A job of ``kind`` with these parameters was submitted at ``moment`` or later, whatever became of it."""
    return _jobs(kind, params).filter(created__gte=moment).exists()


def latest(kind: str, name: str, values) -> dict:
    """The newest job of ``kind`` for each of ``values`` of its parameter ``name``, whatever became of it."""
    newest: dict = {}
    for job in Job.objects.filter(kind=kind, **{f"params__{name}__in": list(values)}).order_by("-created"):
        newest.setdefault(job.params.get(name), job)
    return newest


def visible_job(user, uuid) -> Job:
    """A job its submitter or an administrator follows; to anyone else it does not exist."""
    job = Job.objects.filter(uuid=uuid).first()
    if job is None or not (job.actor_id == user.pk or has_role(user, Role.ADMIN)):
        raise NotFound(_("No such background job."), code="unknown_job", where={"job": str(uuid)})
    return job


def cancel(job: Job, user) -> Job:
    """Cancels a queued job at once, or asks a running one to stop at its next progress report."""
    now = timezone.now()
    if Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.CANCELLED, finished=now, cancel_requested=now, cancelled_by=user,
            error=_("Cancelled by %(user)s: the job did not run.") % {"user": user.get_full_name() or user}):
        if job.input_file:
            job.input_file.delete(save=False)
            Job.objects.filter(pk=job.pk).update(input_file="")
    elif not Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, cancel_requested=None).update(
            cancel_requested=now, cancelled_by=user):
        job.refresh_from_db()
        if job.status in FINISHED:
            raise Conflict(_("The job is %(status)s: it cannot be cancelled.") % {"status": job.get_status_display()}, code="job_finished",
                           where={"job": str(job.uuid)})
    job.refresh_from_db()
    return job


def heartbeat_every_s() -> float:
    return settings.JOBS_HEARTBEAT_S


def stale_after() -> timedelta:
    return timedelta(seconds=STALE_BEATS * heartbeat_every_s())


def worker_seen() -> bool:
    """A worker looked for work lately, or is running a job whose heartbeat is fresh (a long import)."""
    if cache.get(WORKER_SEEN) is not None:
        return True
    return Job.objects.filter(status=JobStatus.RUNNING, heartbeat__gte=timezone.now() - stale_after()).exists()


WORKER_ALERTED = "jobs:worker-down-alerted"
WORKER_ALERT_EVERY_S = 3600


def alert_worker_down() -> None:
    """Tells the administrators (the log, and mail_admins where ADMINS and mail are set up) that no worker runs,
    at most once an hour whoever notices it; officers only see that their job waits."""
    if not cache.add(WORKER_ALERTED, time.time(), WORKER_ALERT_EVERY_S):
        return
    waiting = Job.objects.filter(status=JobStatus.QUEUED).count()
    log.error("No background worker has looked for work lately; %s job(s) wait. Start one: manage.py run_jobs", waiting)
    try:
        with translation.override(settings.LANGUAGE_CODE):  # the mail in the bureau's language, whoever noticed
            message = ngettext("No background worker has looked for work lately; %(waiting)s job waits.",
                               "No background worker has looked for work lately; %(waiting)s jobs wait.",
                               waiting) % {"waiting": waiting}
            remedy = _("Start one on the server with: manage.py run_jobs (make run starts one).")
            mail_admins(_("The background worker is down"), f"{message}\n\n{remedy}", fail_silently=True)
    except Exception:  # noqa: BLE001 - an alert must never break the page that noticed
        log.exception("could not mail the administrators")


def claim() -> Job | None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(ABANDON, [_("The worker stopped before the job finished: submit it again."), stale_after()])
        cursor.execute(CLAIM)
        row = cursor.fetchone()
    return Job.objects.get(pk=row[0]) if row else None


class Reporter:
    """The ``progress(stage, done, total)`` a job's function calls: ``done`` counts up within a stage (each call
    adds to it); written at most every PROGRESS_EVERY_S seconds, and once more at the end."""

    def __init__(self, job: Job):
        self.job_id = job.pk
        self.stage, self.done, self.total = "", 0, None
        self.written = 0.0
        self.conn = None
        self.cancelled = False

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage != self.stage:
            self.stage, self.done = stage, 0
        self.done += done
        self.total = total
        if time.monotonic() - self.written >= PROGRESS_EVERY_S:
            self.write()
        if self.cancelled:
            raise Cancelled()

    def write(self) -> None:
        try:
            if self.conn is None:
                self.conn = own_connection()
            row = self.conn.execute(PROGRESS, [self.stage, self.done, self.total, self.job_id]).fetchone()
            self.cancelled = bool(row and row[0])
        except psycopg.Error as error:  # progress is a courtesy: the job goes on without it
            log.warning("job %s: progress not written: %s", self.job_id, error)
        self.written = time.monotonic()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class Heartbeat(threading.Thread):
    """Beats a running job's heartbeat from a connection of its own, so a job that reports no progress for a while
    (one long statement) is not taken for abandoned; a lost database only skips beats."""

    def __init__(self, job: Job, reporter: Reporter):
        super().__init__(name=f"job-{job.pk}-heartbeat", daemon=True)
        self.job_id, self.reporter = job.pk, reporter
        self.stopped = threading.Event()

    def run(self) -> None:
        conn = None
        while not self.stopped.wait(heartbeat_every_s()):
            try:
                if conn is None or conn.closed:
                    conn = own_connection()
                row = conn.execute(HEARTBEAT, [self.job_id]).fetchone()
                self.reporter.cancelled = self.reporter.cancelled or bool(row and row[0])
            except psycopg.Error as error:
                log.warning("job %s: heartbeat not written: %s", self.job_id, error)
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def _outcome(job: Job, kind: registry.Kind | None, reporter: Reporter) -> tuple[str, dict | None, str]:
    try:
        if kind is None:
            raise NotFound(_("Unknown kind of job."), code="unknown_job_kind", where={"kind": job.kind})
        return JobStatus.DONE, kind.run(job, reporter), ""
    except Cancelled:
        canceller = Job.objects.filter(pk=job.pk).select_related("cancelled_by").first().cancelled_by
        who = (canceller.get_full_name() or canceller.get_username()) if canceller else ""
        return JobStatus.CANCELLED, None, _("Cancelled by %(user)s: none of its changes were kept.") % {"user": who}
    except DimingError as exc:
        return JobStatus.FAILED, {"error": exc.as_dict()}, str(exc)
    except Exception as exc:  # noqa: BLE001 - whatever went wrong is recorded on the job and in the log, the worker goes on
        refused = refused_for_storage(exc)  # a full disk or a lost file: said in words, the changes rolled back
        if refused is not None:
            return JobStatus.FAILED, {"error": refused.as_dict()}, str(refused)
        log.exception("job %s (%s) failed", job.uuid, job.kind)
        return JobStatus.FAILED, None, _("The job stopped on a fault of the server, not of what was submitted: tell "
                                         "the administrator, who finds it in the server's log by the job's address.")


def _record(job: Job, reporter: Reporter, status: str, result, error: str) -> None:
    Job.objects.filter(pk=job.pk).update(status=status, result=result, error=error.replace("\x00", "\\0"),
                                         finished=timezone.now(), heartbeat=timezone.now(), stage=reporter.stage,
                                         done=reporter.done, total=reporter.total)


def run(job: Job) -> Job:
    """Runs one claimed job to its end and records how it ended. Only a lost database escapes (the worker waits it
    out; the job, its heartbeat stopped, is then marked failed)."""
    kind = registry.get(job.kind)
    reporter = Reporter(job)
    heartbeat = Heartbeat(job, reporter)
    heartbeat.start()
    try:
        status, result, error = _outcome(job, kind, reporter)
    finally:
        heartbeat.stop()
        reporter.close()
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.errors_occurred and not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()  # a connection the job broke is replaced for the record below
    try:
        _record(job, reporter, status, result, error)
    except (OperationalError, InterfaceError):
        raise
    except Exception as exc:  # noqa: BLE001 - a result that cannot be stored (text with NUL, a value JSON lacks)
        log.warning("job %s (%s): result not stored: %s", job.uuid, job.kind, exc)
        unstored = _("The job's result could not be stored (%(reason)s), so how it ended is not known: check the "
                     "records it works on before submitting it again.") % {"reason": exc.__class__.__name__}
        _record(job, reporter, JobStatus.FAILED, None, error if status == JobStatus.FAILED and error else unstored)
    if job.input_file:
        job.input_file.delete(save=False)  # the result keeps what matters; uploads do not pile up
        Job.objects.filter(pk=job.pk).update(input_file="")
    job.refresh_from_db()
    return job


def forget_old_jobs(now=None) -> int:
    """Deletes finished jobs older than JOBS_KEEP_DAYS (their results with them); returns how many."""
    now = now or timezone.now()
    old = Job.objects.filter(status__in=FINISHED, finished__lt=now - timedelta(days=settings.JOBS_KEEP_DAYS))
    for job in old.exclude(input_file=""):
        job.input_file.delete(save=False)
    return old.delete()[0]


@registry.every(timedelta(hours=1), "jobs.forget_old_jobs")
def _forget_old_jobs_hourly() -> int:
    return forget_old_jobs()


def run_queued(*, stop=lambda: False) -> int:
    """Runs queued jobs until none is left (or ``stop()``); returns how many ran."""
    ran = 0
    while not stop():
        cache.set(WORKER_SEEN, time.time(), WORKER_SEEN_TTL_S)
        job = claim()
        if job is None:
            break
        run(job)
        ran += 1
    return ran
