"""The product's own processes, started for a test as `make run` starts them (scripts/supervise.py: granian and the
worker), against the test database or a throwaway cluster."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.db import connection

from core.env import url_of

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_of_the_test_database() -> str:
    """The URL of the database this test uses (pytest-django's), for a process of the product to use too."""
    return url_of(connection.settings_dict)


def product_env(database_url: str, var_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DIMING_", "PYTEST_"))}
    env.update(DIMING_PROFILE="local", DATABASE_URL=database_url, DIMING_VAR_DIR=str(var_dir),
               DIMING_MEDIA_ROOT=str(var_dir / "media"), DATABASE_CONNECT_TIMEOUT="2", PYTHONUNBUFFERED="1",
               DIMING_STOP_GRACE_S="10", **extra)
    return env


def collect_static(env: dict) -> None:
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)


class Supervised:
    """scripts/supervise.py running granian (on ``port``) and the worker, as `make run` does."""

    def __init__(self, env: dict, port: int, log: Path, *, web=True, worker=True, log_file: Path | None = None,
                 keep_cluster: str | None = None):
        programs = ["--log", str(log_file)] if log_file else []
        if keep_cluster:  # as `make run` keeps its own (scripts/db.sh keep): env names it by DIMING_PG_HOME
            programs.append(f"db={ROOT / 'scripts' / 'db.sh'} keep {keep_cluster}")
        if web:
            programs.append(f"web={PYTHON} -m granian --interface wsgi config.wsgi:application --host 127.0.0.1 "
                            f"--port {port} --workers 1 --blocking-threads 2 --respawn-failed-workers "
                            f"--no-access-log")
        if worker:
            programs.append(f"worker={PYTHON} manage.py run_jobs --sleep 0.2")
        self.port, self.log = port, log
        self.scheme = "https" if env.get("GRANIAN_SSL_CERTIFICATE") else "http"  # as `make run` with DIMING_TLS_CERT
        self.process = subprocess.Popen([PYTHON, str(ROOT / "scripts" / "supervise.py"), *programs], cwd=ROOT,
                                        env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def get(self, path: str, *, host: str = "127.0.0.1", timeout: float = 10) -> tuple[int, str, object]:
        request = urllib.request.Request(f"{self.scheme}://127.0.0.1:{self.port}{path}", headers={"Host": host})
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=self.tls_context()) as response:
                return response.status, response.read().decode("utf-8", "replace"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), error.headers

    def tls_context(self) -> ssl.SSLContext | None:
        """Over HTTPS, a context that takes the test's own certificate (made for the occasion, trusted by no one)."""
        return ssl._create_unverified_context() if self.scheme == "https" else None

    def wait_until_serving(self, seconds: float = 120) -> None:
        assert wait_for(lambda: self._answers(), seconds), f"the server did not start:\n{self.output()}"

    def _answers(self) -> bool:
        try:
            return self.get("/healthz", timeout=5)[0] in (200, 503)
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(self.process.pid)], capture_output=True,
                             text=True).stdout
        return [int(line.split()[0]) for line in out.splitlines() if "run_jobs" in line]

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def wait_for(predicate, seconds: float = 60.0, every: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False
