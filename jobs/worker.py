"""The worker's loop (`manage.py run_jobs`): runs queued jobs, then the chores that are due, and waits out a lost
database, reconnecting with backoff. It dies only when stopped, or when its process is killed: then whatever runs it
(`make run`'s supervisor, the compose file's restart policy) starts it again, and the job it left running is marked
failed once its heartbeat is 4.5 beats old (jobs.services)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import close_old_connections, connections

from jobs import registry
from jobs.services import WORKER_SEEN, WORKER_SEEN_TTL_S, run_queued

log = logging.getLogger(__name__)

BACKOFF_S = (1, 2, 5, 10, 30)  # waits between attempts to reach a lost database; the last one repeats

CLAIM_CHORE = """
INSERT INTO jobs_chorerun AS run (name, started) VALUES (%s, now())
ON CONFLICT (name) DO UPDATE SET started = now() WHERE run.started <= now() - %s
RETURNING name
"""


def run_due_chores() -> list[str]:
    """Runs each registered chore whose interval has passed since any worker last started it; returns their names.
    A chore that fails is logged and waits for its next turn."""
    ran = []
    for chore in registry.chores():
        with connections["default"].cursor() as cursor:
            cursor.execute(CLAIM_CHORE, [chore.name, chore.every])
            if cursor.fetchone() is None:
                continue
        try:
            chore.run()
        except Exception:  # noqa: BLE001 - a chore that fails is logged and tried at its next turn
            log.exception("chore %s failed", chore.name)
        ran.append(chore.name)
    return ran


def work(*, stop: Callable[[], bool], idle_sleep: float = 1.0, once: bool = False, on_run=None) -> None:
    """Runs jobs and chores until ``stop()`` (or, with ``once``, until the queue is empty)."""
    failures = 0
    while not stop():
        try:
            ran = run_queued(stop=stop)
            if on_run and ran:
                on_run(ran)
            run_due_chores()
            cache.set(WORKER_SEEN, time.time(), WORKER_SEEN_TTL_S)
            failures = 0
        except Exception as error:  # noqa: BLE001 - a lost database (or a bug outside any job) must not end the worker
            delay = BACKOFF_S[min(failures, len(BACKOFF_S) - 1)]
            failures += 1
            log.warning("database unavailable or worker error (%s: %s); trying again in %ss",
                        error.__class__.__name__, str(error).strip().splitlines()[0][:200] if str(error) else "", delay)
            connections.close_all()
            _sleep(delay, stop)
            continue
        if once:
            return
        close_old_connections()
        _sleep(idle_sleep, stop)


def _sleep(seconds: float, stop: Callable[[], bool]) -> None:
    deadline = time.monotonic() + seconds
    while not stop() and time.monotonic() < deadline:
        time.sleep(min(0.2, seconds))
