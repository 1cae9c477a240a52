"""What the benchmarks share: their databases and their knobs (`make bench` and tests/bench run them)."""

from __future__ import annotations

import contextlib
import os
import statistics
import sys

DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "diming_bench")  # tests/bench gives its tiny runs their own


def env_number(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def env_count(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def database_name(suffix: str) -> str:
    return f"{DB_PREFIX}_{suffix}"


def throwaway_database(suffix: str, keep: bool = False):
    """Django set up on its own database (Django's test-database machinery: created and migrated, or kept);
    returns what `teardown_databases` takes to drop it."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases

    connection.settings_dict.setdefault("TEST", {})["NAME"] = database_name(suffix)
    template = os.environ.get("BENCH_DB_TEMPLATE")  # a migrated database to copy (tests/bench: the test database)
    if template:
        _copy_database(template, database_name(suffix))
    # serialized_aliases=(): no copy of the whole database for test rollbacks (minutes at a million plates).
    return setup_databases(verbosity=0, interactive=False, keepdb=keep or bool(template), serialized_aliases=())


def _copy_database(template: str, name: str) -> None:
    import psycopg
    from django.db import connection
    from psycopg import sql

    params = {**connection.get_connection_params(), "dbname": "postgres", "autocommit": True}
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))


def drop_database(old, keep: bool = False) -> None:
    from django.test.utils import teardown_databases

    if not keep:
        teardown_databases(old, verbosity=0)


def database_url(scheme: str = "postgis") -> str:
    """The URL of the database Django is connected to (for child processes and peers)."""
    from django.db import connection

    from core.env import url_of

    return url_of(connection.settings_dict, scheme)


def run_on_throwaway(suffix: str, *steps) -> None:
    """Each step in turn on a throwaway database (created and migrated first, dropped at the end)."""
    import time

    started = time.perf_counter()
    old = throwaway_database(suffix)
    print(f"throwaway database ready in {time.perf_counter() - started:.1f} s", flush=True)
    try:
        for step in steps:
            step()
    finally:
        drop_database(old)


def timed(call, runs: int):
    """(median seconds, best seconds, the last result) of ``runs`` calls."""
    import time

    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def p50_p95(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), percentile(values, 0.95)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, path: str, process, name: str, log_path, timeout: float = 90) -> None:
    import http.client
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}: {log_path.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{name} did not answer {path} within {timeout} s")


@contextlib.contextmanager
def server(name: str, command: list[str], env: dict, ready_path: str, log_path):
    """A server started with ``command`` (``{port}`` in it: a free port) under ``env``, its output in ``log_path``,
    ready once ``ready_path`` answers 200; yields its port and stops it at the end."""
    import subprocess
    from pathlib import Path

    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    log_path = Path(log_path)
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[1], env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            _wait(port, ready_path, process, name, log_path)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def on_threads(count: int, run) -> list:
    """Runs ``run(k)`` for k in 0..count-1 on as many threads, all at once; the first error raised in one is raised
    here, else the results in order."""
    import threading

    results, errors = [None] * count, []

    def target(k: int) -> None:
        try:
            results[k] = run(k)
        except BaseException as error:  # noqa: BLE001 - raised again by the calling thread
            errors.append(error)

    threads = [threading.Thread(target=target, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


if __name__ == "__main__":  # python -m bench._common SUFFIX: a migrated database, kept, for BENCH_DB_TEMPLATE
    throwaway_database(sys.argv[1], keep=True)
    print(database_name(sys.argv[1]))
