"""Benchmark: loading a census file of 500,000 place names with every row and register check (import_places), against
a plain COPY of the same rows into a table with no checks, in the same run.

    .venv/bin/python -m bench.census [--names 500000]   (or BENCH_CENSUS_NAMES)

Runs in its own throwaway database (diming_bench_census). The file mixes roads (WKT lines), residential areas,
buildings, villages and natural villages (points) over the twelve demo counties, with some wrong pinyin, unknown
categories and duplicates. Prints the throughput of each, the ratio, and the p95 of the time per 20,000 checked rows.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench._common import drop_database, env_count, percentile, throwaway_database
from bench.placenames import CHARACTERS, ensure_areas

KINDS = [("2351", "路"), ("2351", "街"), ("221", "苑"), ("221", "小区"), ("26", "大厦"), ("2161", "村"), ("222", "")]
HEADER = ["名称", "类别代码", "区县", "经度", "纬度", "几何", "汉语拼音", "含义", "历史沿革", "资料来源", "登记人"]


def write_file(path: Path, count: int, counties, rng: random.Random) -> None:
    centres = [(c.name, c.geom.point_on_surface) for c in counties]
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i in range(count):
            county, centre = centres[i % len(centres)]
            code, generic = rng.choice(KINDS)
            name = "".join(rng.choice(CHARACTERS) for _ in range(3 if rng.random() < 0.8 else 4)) + generic
            if i % 997 == 0:
                code = "9999"  # an unknown category: rejected
            x, y = centre.x + rng.uniform(-0.01, 0.01), centre.y + rng.uniform(-0.01, 0.01)
            wkt = f"LINESTRING({x:.6f} {y:.6f}, {x + 0.004:.6f} {y + 0.001:.6f})" if code == "2351" else ""
            pinyin = "Wrong Pinyin" if i % 101 == 0 else ""
            writer.writerow([name, code, county, f"{x:.6f}", f"{y:.6f}", wkt, pinyin, "以地形得名",
                             "1981年地名普查录入", "基准测试（合成）", "测试"])


def plain_copy(path: Path) -> float:
    """The peer: the same file COPYed as text into a table of the same columns, no check of any kind."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE census_plain (name text, category text, county text, lon text, lat text, "
                       "wkt text, pinyin text, meaning text, history text, source text, registrar text) "
                       "ON COMMIT DROP")
        with open(path, encoding="utf-8") as f, cursor.cursor.copy(
                "COPY census_plain FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while block := f.read(1 << 20):
                copy.write(block)
        cursor.execute("SELECT count(*) FROM census_plain")
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=env_count("BENCH_CENSUS_NAMES", 500_000))
    args = parser.parse_args(argv)
    old = throwaway_database("census")
    try:
        measure(args.names)
    finally:
        drop_database(old)
    return 0


def measure(count: int) -> None:
    from placenames.bulk import import_places

    counties = ensure_areas()
    rng = random.Random(20261202)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "census.csv"
        write_file(path, count, counties, rng)
        size_mb = path.stat().st_size / 1e6
        copy_s = plain_copy(path)
        laps: list[float] = []
        last = [time.perf_counter(), 0]

        def progress(stage, done, total):
            if stage == "rows" and done > last[1]:
                now = time.perf_counter()
                laps.append((now - last[0]) * 1000 / max(1, done - last[1]) * 1000)  # ms per 1,000 rows
                last[:] = [now, done]

        started = time.perf_counter()
        report = import_places(path, commit="valid", progress=progress, file_name="census.csv")
        load_s = time.perf_counter() - started
    flagged = "; ".join(report.notes[-3:-1])
    print(f"{count:,} rows ({size_mb:.0f} MB): {report.created:,} loaded, {len(report.rejected_rows):,} rejected; "
          f"{flagged}")
    print(f"import_places (all checks)   {load_s:8.1f} s   {count / load_s:10,.0f} rows/s")
    print(f"  peer: plain COPY, no checks {copy_s:7.1f} s   {count / copy_s:10,.0f} rows/s   "
          f"ratio {load_s / copy_s:5.1f}x")
    if laps:
        print(f"  per 1,000 checked rows: p50 {statistics.median(laps):.1f} ms, p95 {percentile(laps, 0.95):.1f} ms "
              f"({len(laps)} chunks of up to 20,000)")


if __name__ == "__main__":
    import sys

    sys.exit(main())
