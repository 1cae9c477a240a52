#!/usr/bin/env python3
"""Runs the product's processes on one machine and keeps them running (`make run`, `make dev`).

    scripts/supervise.py web='granian …' worker='.venv/bin/python manage.py run_jobs'

Each program that exits is started again (after 1 s, up to 30 s if it keeps dying at once); SIGINT or SIGTERM
stops them all (SIGTERM first: the worker finishes its job; SIGKILL after STOP_GRACE_S). Standard library only.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time

STOP_GRACE_S = float(os.environ.get("DIMING_STOP_GRACE_S", "30"))
STABLE_S = 60  # a program that ran this long before it died is restarted after the shortest wait again


class Program:
    def __init__(self, name: str, command: str):
        self.name, self.argv = name, shlex.split(command)
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.delay = 1.0
        self.restart_at = 0.0

    def start(self) -> None:
        # its own process group, so that stopping it reaches whatever it started (granian's workers)
        self.process = subprocess.Popen(self.argv, start_new_session=True)
        self.started = time.monotonic()
        say(f"{self.name} started (pid {self.process.pid})")

    def check(self, now: float) -> None:
        if self.process is not None and (code := self.process.poll()) is not None:
            self.delay = 1.0 if now - self.started >= STABLE_S else min(self.delay * 2, 30.0)
            self.restart_at = now + self.delay
            say(f"{self.name} exited with {code}; restarting in {self.delay:.0f} s")
            self.process = None
        if self.process is None and now >= self.restart_at:
            self.start()


def signal_group(process: subprocess.Popen, number: int) -> None:
    try:
        os.killpg(process.pid, number)
    except ProcessLookupError:
        pass


def say(message: str) -> None:
    print(f"[supervise] {message}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    programs = [Program(*arg.split("=", 1)) for arg in argv]
    if not programs or any(not p.argv for p in programs):
        print(__doc__, file=sys.stderr)
        return 2
    stopping = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda number, _frame: stopping.append(number))
    for program in programs:
        program.start()
    while not stopping:
        for program in programs:
            program.check(time.monotonic())
        time.sleep(0.2)
    for program in programs:
        if program.process is not None and program.process.poll() is None:
            signal_group(program.process, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    for program in programs:
        if program.process is None:
            continue
        try:
            program.process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{program.name} did not stop in {STOP_GRACE_S:.0f} s; killing it")
            signal_group(program.process, signal.SIGKILL)
            program.process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
