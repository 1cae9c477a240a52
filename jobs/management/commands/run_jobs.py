"""The background worker: runs queued jobs (imports, offline packages), one at a time, until stopped."""

import signal
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from jobs.services import WORKER_SEEN, WORKER_SEEN_TTL_S, forget_old_jobs, run_queued

FORGET_EVERY_S = 3600


class Command(BaseCommand):
    help = "Runs queued background jobs; with --once, exits when the queue is empty. Stops cleanly on SIGTERM."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--sleep", type=float, default=1.0, help="seconds between looks at an empty queue")

    def handle(self, *args, once=False, sleep=1.0, **options):
        stopping = []
        forgotten_at = -FORGET_EVERY_S  # at start, then hourly
        if not once:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stopping.append(True))  # the current job finishes first
        while True:
            ran = run_queued(stop=lambda: bool(stopping))
            if ran and options["verbosity"]:
                self.stdout.write(f"{ran} job(s) run")
            if time.monotonic() - forgotten_at >= FORGET_EVERY_S:
                forget_old_jobs()  # finished jobs past JOBS_KEEP_DAYS
                forgotten_at = time.monotonic()
            if once or stopping:
                break
            cache.set(WORKER_SEEN, time.time(), WORKER_SEEN_TTL_S)
            close_old_connections()
            time.sleep(sleep)
