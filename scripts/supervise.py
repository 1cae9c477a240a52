#!/usr/bin/env python3
"""Runs the product's processes on one machine and keeps them running (`make run`, `make dev`).

    scripts/supervise.py [--log var/log/diming.log] web='granian …' worker='.venv/bin/python manage.py run_jobs'

Each program that exits is started again (after 1 s, up to 30 s if it keeps dying at once); SIGINT or SIGTERM
stops them all (SIGTERM first: the worker finishes its job; SIGKILL after STOP_GRACE_S). With --log, whatever the
programs and the supervisor print is also written to that file (the server's log the product's pages refer to),
which the supervisor alone writes and turns over at LOG_BYTES, keeping LOG_KEEP older ones (diming.log.1, …).
Standard library only.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

STOP_GRACE_S = float(os.environ.get("DIMING_STOP_GRACE_S", "30"))
STABLE_S = 60  # a program that ran this long before it died is restarted after the shortest wait again
LOG_BYTES = int(float(os.environ.get("DIMING_LOG_FILE_MB", "10")) * 1_000_000)
LOG_KEEP = 5


class Log:
    """Lines to the terminal and, when a file is given, to that file, turned over at LOG_BYTES."""

    def __init__(self, path: str | None):
        self.path = Path(path) if path else None
        self.lock = threading.Lock()
        self.file = None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = self._open()

    def write(self, line: bytes) -> None:
        with self.lock:
            sys.stderr.buffer.write(line)
            sys.stderr.buffer.flush()
            if self.file is None:
                return
            try:
                self.file.write(line)
                self.file.flush()
                if self.file.tell() >= LOG_BYTES:
                    self._turn_over()
            except OSError:  # a full disk: the terminal still has it; the file resumes when it can
                pass

    def _turn_over(self) -> None:
        self.file.close()
        for n in range(LOG_KEEP - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{n}")
            if older.exists():
                older.replace(self.path.with_name(f"{self.path.name}.{n + 1}"))
        self.path.replace(self.path.with_name(f"{self.path.name}.1"))
        self.file = self._open()

    def _open(self):
        """Readable by its owner only: what the programs print may name records and people."""
        return os.fdopen(os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab")


LOG = Log(None)


class Program:
    def __init__(self, name: str, command: str):
        self.name, self.argv = name, shlex.split(command)
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.delay = 1.0
        self.restart_at = 0.0

    def start(self) -> None:
        # its own process group, so that stopping it reaches whatever it started (granian's workers)
        self.process = subprocess.Popen(self.argv, start_new_session=True, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        threading.Thread(target=self._relay, args=(self.process.stdout,), daemon=True).start()
        self.started = time.monotonic()
        say(f"{self.name} started (pid {self.process.pid})")

    @staticmethod
    def _relay(stream) -> None:
        for line in iter(stream.readline, b""):
            LOG.write(line)
        stream.close()

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
    LOG.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} [supervise] {message}\n".encode())


def main(argv: list[str]) -> int:
    global LOG
    os.environ.setdefault("TZ", "Asia/Shanghai")  # settings.TIME_ZONE: its lines read like Django's in the log
    time.tzset()
    if argv[:1] == ["--log"] and len(argv) > 1:
        LOG, argv = Log(argv[1]), argv[2:]
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
    say("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
