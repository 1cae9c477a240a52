"""Every benchmark in bench/ runs to its end, at a tiny scale: a smoke run that measures nothing (its figures
mean nothing at this size) but proves `make bench` still works, so no benchmark breaks unseen.

Each runs as `make bench` runs it (`python -m bench`, BENCH_ONLY=name), in a child process, on its own database
copied from a template: the test database as migrations left it (tests/conftest.py keeps a copy), or one migrated
once per test session under --reuse-db; the peers run too (all are local: tipg and the servers
listen on loopback)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
SCALE = "0.05"  # about 1,250 doorplates on 96 roads
TINY = {
    "boundaries": {"BENCH_BOUNDARIES_SCALE": "0.3", "BENCH_RUNS": "1"},
    "canteens": {"BENCH_CANTEENS_SCALE": SCALE, "BENCH_CANTEENS": "20", "BENCH_RUNS": "1"},
    "census": {"BENCH_CENSUS_NAMES": "300"},
    "cemeteries": {"BENCH_OBSERVERS": "3", "BENCH_CORRIDOR_KM": "0.5", "BENCH_RADIUS": "500",
                   "BENCH_SYNTHETIC_DEM": "1", "BENCH_GRAVES": "300", "BENCH_DASHBOARD_RUNS": "2", "BENCH_RUNS": "1"},
    "coords": {"BENCH_POINTS": "2000"},
    "doorplates": {"BENCH_SCALE": SCALE, "BENCH_QUERIES": "10", "BENCH_PEER_QUERIES": "4"},
    "exports": {"BENCH_SCALE": SCALE, "BENCH_CHANGES": "20"},
    "field": {"BENCH_FIELD_SUBMISSIONS": "10", "BENCH_FIELD_GRAVES": "12", "BENCH_FIELD_PHOTO_KB": "20",
              "BENCH_FIELD_CLIENTS": "2", "BENCH_RUNS": "1", "BENCH_WORKERS": "1"},
    "placenames": {"BENCH_NAMES": "200", "BENCH_RUNS": "10"},
    "tiles": {"BENCH_SCALE": SCALE, "BENCH_TILES_PER_ZOOM": "1", "BENCH_ZOOMS": "16,17", "BENCH_CONCURRENCY": "2",
              "BENCH_SECONDS": "1", "BENCH_EDITS": "2", "BENCH_WORKERS": "1", "BENCH_THREADS": "1"},
}
NEEDS = {"tiles": "wrk"}  # commands a benchmark needs: scripts/system-deps.sh bench installs them


def _admin(settings_dict):
    return psycopg.connect(host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or 5432,
                           user=settings_dict["USER"], password=settings_dict["PASSWORD"] or None,
                           dbname="postgres", autocommit=True)


@pytest.fixture(scope="session")
def bench_env(pristine_database):
    """The environment of a tiny run: its own database names, and a migrated template to copy them from: the copy
    of the test database made as migrations left it (tests/conftest.py), else one migrated here."""
    from django.db import connection

    prefix = f"test_bench_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    env = {**os.environ, "BENCH_DB_PREFIX": prefix, "BENCH_KEEPDB": "0", "PYTHONDONTWRITEBYTECODE": "1"}
    if pristine_database:
        yield {**env, "BENCH_DB_TEMPLATE": pristine_database}
        return
    made = subprocess.run([sys.executable, "-m", "bench._common", "template"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr[-3000:]
    template = made.stdout.strip().splitlines()[-1]
    yield {**env, "BENCH_DB_TEMPLATE": template}
    with _admin(connection.settings_dict) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(template)))


def test_the_table_names_every_benchmark():
    modules = {p.stem for p in (ROOT / "bench").glob("*.py") if not p.stem.startswith("_")}
    assert modules == set(TINY), "a benchmark without a tiny run here breaks unseen"


@pytest.mark.bench
@pytest.mark.parametrize("name", sorted(TINY))
def test_the_benchmark_runs_to_its_end(name, bench_env):
    if name in NEEDS and not shutil.which(NEEDS[name]):
        pytest.skip(f"{NEEDS[name]} is not installed (scripts/system-deps.sh bench)")
    done = subprocess.run([sys.executable, "-m", "bench"], cwd=ROOT, env={**bench_env, **TINY[name],
                          "BENCH_ONLY": name}, capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert f"=== bench.{name}: " in output
