"""Doorplate exports for Amap and Baidu, and the incremental export, against a naive exporter in the same run.

Run: .venv/bin/python -m bench.exports            (BENCH_SCALE=42 for the full 1.05 million doorplates)

Builds its own throwaway database ``diming_bench_exports`` (Django's test-database machinery: created, migrated
and dropped at the end) with the demo areas, roads and doorplates at BENCH_SCALE (default 2, about 50,000
plates). The doorplates are loaded with the feed's capture switched off and then captured in one statement, so
the capture's own cost is printed apart. Then, each in a fresh process (``manage.py export``) whose time and
peak resident memory (wait4 rusage) are measured:

- the full Amap export (GCJ-02 CSV) and the full Baidu export (BD-09 CSV, split below 10 MB);
- after 1,000 doorplates change in one transaction, the incremental Amap export ``--since`` that txid.

The peer is what one would write first: ORM model instances row by row, each point transformed in pure Python
(prcoords, a per-point implementation of the same formulas), csv.writer; timed on a sample and extrapolated.
Goals (issue 8): full exports under 60 s and 300 MB each; 1,000 changes exported in under 1 s.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._common import database_url, drop_database, env_count, env_number, throwaway_database

SCALE = env_number("BENCH_SCALE", 2)
SAMPLE = 20_000
CHANGES = env_count("BENCH_CHANGES", 1_000)
ROOT = Path(__file__).resolve().parent.parent
GOAL_FULL_S, GOAL_FULL_MB, GOAL_INCREMENTAL_S = 60.0, 300.0, 1.0


KEEP = os.environ.get("BENCH_KEEPDB") == "1"  # keep the database between runs (for profiling), build it once


def _build() -> int:
    from django.db import connection

    from doorplates.models import Doorplate
    from exports import sql
    from exports.sources import Source

    if KEEP and Doorplate.objects.exists():
        published = Source.named("doorplates").published().count()
        print(f"kept database: {Doorplate.objects.count():,} doorplates ({published:,} installed)")
        return published
    sql.uninstall_capture()
    started = time.perf_counter()
    _load_demo()
    loaded = time.perf_counter() - started
    sql.install_capture()
    started = time.perf_counter()
    for name in ("roads", "doorplates"):
        sql.capture_all(Source.named(name))
    captured = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE exports_featureversion")
    plates = Doorplate.objects.count()
    published = Source.named("doorplates").published().count()
    print(f"scale {SCALE:g}: {plates:,} doorplates ({published:,} installed, exported) loaded in {loaded:.1f} s; "
          f"feed capture of every road and plate in one statement: {captured:.1f} s "
          f"({captured / max(plates, 1) * 1e6:.1f} µs per plate)")
    return published


def _load_demo() -> None:
    """load_demo's loop for areas, roads and doorplates, each builder in its transaction.

    Foreign keys are checked at once (SET CONSTRAINTS ALL IMMEDIATE): the doorplate loader rebuilds indexes after
    a large INSERT in the same transaction, which PostgreSQL refuses while Django's deferred FK checks are pending.
    """
    from django.db import connection, transaction
    from django.utils.module_loading import autodiscover_modules

    from boundaries import demo

    autodiscover_modules("demo")
    wanted = {"boundaries.areas", "placenames.roads", "doorplates.clear", "doorplates.plates"}
    ctx = demo.DemoContext(scale=SCALE, seed=330300, log=lambda message: None)
    for builder in demo.builders():
        if builder.name in wanted:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                builder.fn(ctx)


def _child(args: list[str]) -> tuple[int, float, float, float, str]:
    """Runs ``manage.py export ...`` in a fresh process against the bench database: (records and seconds of the
    export as the command reports them, seconds of the whole process, peak RSS in MB, its output).

    The peak is the child's own VmHWM, read by the child at its end: a parent's rusage would count the pages
    the child shared with this (large) process between fork and exec."""
    env = {**os.environ, "DATABASE_URL": database_url(), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "bench.exports", "--child", "export", "--no-progress", *args],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    total = time.perf_counter() - started
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise RuntimeError(f"export {' '.join(args)} failed:\n{output}")
    seconds = re.search(r"(\d+) records in ([0-9.]+) s", output)
    peak = re.search(r"VmHWM:\s+([0-9]+) kB", output)
    return int(seconds.group(1)), float(seconds.group(2)), total, int(peak.group(1)) / 1024, output


def _startup() -> tuple[float, float]:
    """A child that only starts Django: the fixed cost inside every child figure."""
    env = {**os.environ, "DATABASE_URL": database_url()}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "bench.exports", "--child"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    peak = re.search(r"VmHWM:\s+([0-9]+) kB", result.stdout)
    return time.perf_counter() - started, int(peak.group(1)) / 1024


def _run_child(argv: list[str]) -> None:
    """In the child: set Django up, run the management command (if any), print this process's peak RSS."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    if argv:
        from django.core.management import call_command

        call_command(*argv)
    status = Path("/proc/self/status").read_text()
    print(next(line for line in status.splitlines() if line.startswith("VmHWM:")), flush=True)


def _naive(path: Path, limit: int) -> float:
    """The peer: model instances row by row, prcoords per point, csv.writer. Returns seconds per row."""
    import prcoords

    from doorplates.models import Doorplate

    started = time.perf_counter()
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["_name", "_address", "longitude", "latitude", "dm_id"])
        plates = Doorplate.objects.filter(status="installed").order_by("pk")[:limit]
        for plate in plates.iterator(chunk_size=2000):
            lat, lon = prcoords.wgs_gcj((plate.geom.y, plate.geom.x))
            writer.writerow([plate.road_name + plate.number_label, plate.address, lon, lat, plate.uuid])
            count += 1
    return (time.perf_counter() - started) / max(count, 1)


def _change(count: int) -> int:
    """``count`` installed plates change (a building label) in one transaction; returns the txid before."""
    from django.db import connection, transaction

    from exports import sql

    before = sql.latest_txid()
    label = f"B{before % 1000}-"  # differs from the last run's, so a kept database changes too
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("""UPDATE doorplates_doorplate SET building = %s || number
                          WHERE uuid IN (SELECT uuid FROM doorplates_doorplate WHERE status = 'installed'
                                         ORDER BY uuid LIMIT %s)""", [label, count])
    return before


def _report(label: str, seconds: float, total: float, peak_mb: float, rows: int, goal_s: float,
            goal_mb: float | None) -> None:
    verdict = "meets" if seconds < goal_s and (goal_mb is None or peak_mb < goal_mb) else "MISSES"
    limit = f" and {goal_mb:.0f} MB" if goal_mb else ""
    print(f"{label}: {rows:,} rows in {seconds:.2f} s ({total:.2f} s with the process start-up), peak RSS "
          f"{peak_mb:.0f} MB -> {verdict} the goal of {goal_s:g} s{limit}")


def _measure(published: int) -> None:
    from exports.services import export_file

    startup, startup_mb = _startup()
    print(f"a child that only starts Django: {startup:.2f} s, {startup_mb:.0f} MB")
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as tmp:
        out = Path(tmp)
        results = {}
        for profile in ("amap", "baidu"):
            rows, seconds, total, peak, output = _child(["--profile", profile, "--layer", "doorplates",
                                                         "--out", str(out / f"{profile}.csv")])
            files = [line.split("  ")[0] for line in output.splitlines() if ".csv" in line]
            sizes = [Path(f).stat().st_size for f in files]
            results[profile] = seconds
            _report(f"{profile} full export", seconds, total, peak, rows, GOAL_FULL_S, GOAL_FULL_MB)
            print(f"  {len(files)} file(s), largest {max(sizes) / 1e6:.2f} MB")
        sample = min(SAMPLE, published)
        per_row = _naive(out / "naive.csv", sample)
        naive_full = per_row * published
        print(f"peer (ORM instances + prcoords per point + csv), {sample:,}-row sample: {per_row * 1e6:.1f} µs per "
              f"row -> {naive_full:.1f} s extrapolated to {published:,} rows")
        for profile, seconds in results.items():
            print(f"ratio: peer / {profile} = {naive_full / seconds:.1f}x")
        since = _change(CHANGES)
        rows, seconds, total, peak, _output = _child(["--profile", "amap", "--layer", "doorplates", "--since",
                                                      str(since), "--out", str(out / "changes.csv")])
        if rows != CHANGES:
            raise AssertionError(f"the incremental export holds {rows} rows, not the {CHANGES} changed")
        _report(f"incremental amap export of {CHANGES:,} changes", seconds, total, peak, rows,
                GOAL_INCREMENTAL_S, None)
        started = time.perf_counter()
        result = export_file(profile="amap", layer="doorplates", out=out / "changes2.csv", since=since)
        in_process = time.perf_counter() - started
        print(f"  again in this process: {result.records:,} rows in {in_process * 1000:.0f} ms")
        print(f"ratio: full amap export / incremental = {results['amap'] / max(seconds, 1e-9):.0f}x "
              f"(what a platform gains by asking only for what changed)")


def main() -> None:
    old = throwaway_database("exports", keep=KEEP)
    try:
        _measure(_build())
    finally:
        drop_database(old, keep=KEEP)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _run_child(sys.argv[2:])
    else:
        main()
