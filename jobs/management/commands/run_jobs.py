"""The background worker: runs queued jobs (imports, offline packages) one at a time, and the periodic chores
(pruning the tile cache, compacting the change feed, forgetting old jobs), until stopped."""

import signal

from django.core.management.base import BaseCommand

from jobs.worker import work


class Command(BaseCommand):
    help = ("Runs queued background jobs and the chores that are due; with --once, exits when the queue is empty. "
            "Waits out a lost database. Stops cleanly on SIGTERM (the current job finishes first).")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--sleep", type=float, default=1.0, help="seconds between looks at an empty queue")

    def handle(self, *args, once=False, sleep=1.0, **options):
        stopping = []
        if not once:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stopping.append(True))  # the current job finishes first

        def report(ran):
            if options["verbosity"]:
                self.stdout.write(f"{ran} job(s) run")

        work(stop=lambda: bool(stopping), idle_sleep=sleep, once=once, on_run=report)
