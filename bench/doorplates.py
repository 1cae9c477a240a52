"""Doorplates at Wenzhou's size: bulk import of 1.05 million plates, autocomplete over plates of every base (roads,
villages, residential areas) and reverse geocoding.

    .venv/bin/python -m bench.doorplates            # BENCH_SCALE=42: 1.05 M plates (the demo's full Wenzhou)
    BENCH_SCALE=2 .venv/bin/python -m bench.doorplates   # 50,000 plates, a quick look

Runs in its own database (diming_bench_doorplates, created and migrated when missing and kept unless
BENCH_KEEPDB=0; areas and roads are built once per scale). The plates are written to a CSV file, the registry emptied, and the file
imported by `manage.py import_doorplates` in a child process (time and peak memory of that process). The demo's
villages, natural villages and residential areas and their plates (about 2,000 bases and 110,000 plates at scale 42)
are added after it, and autocomplete is measured on queries drawn from plates of each base, p50/p95 per base and
overall. Peers, measured in the same run on the same data:
  import         Django's bulk_create of the same rows (no checks, no COPY), on a sample
  autocomplete   the same text matched by ILIKE '%q%' without the trigram index (sequential scan), on a sample of
                 each base's queries
  reverse        ORDER BY ST_Distance on geography without the KNN index, on a sample
Goals (issue 5): import under 3 minutes, autocomplete p95 under 30 ms, reverse geocoding p95 under 10 ms.

Knobs for whoever works on the searches:
  BENCH_REUSE_PLATES=1  keeps the plates of the last run at this scale (no file, no import, no peer bulk_create): the
                        searches are measured again in a minute instead of eight
  BENCH_SLOWEST=N       after the measures, the N slowest autocomplete queries of each base, run again with each SQL
                        statement they sent and its plan (EXPLAIN (ANALYZE, BUFFERS))
The queries are drawn with a fixed seed: runs on the same plates measure the same queries.
"""

from __future__ import annotations

import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._common import database_url, drop_database, env_count, env_number, p50_p95, throwaway_database

BASE = Path(__file__).resolve().parent.parent
SCALE = env_number("BENCH_SCALE", 42)
QUERIES = env_count("BENCH_QUERIES", 300)
PEER_QUERIES = env_count("BENCH_PEER_QUERIES", 20)
KEEP_DB = os.environ.get("BENCH_KEEPDB", "1") == "1"  # areas and roads are built once per scale and kept
REUSE_PLATES = os.environ.get("BENCH_REUSE_PLATES", "0") == "1"
SLOWEST = env_count("BENCH_SLOWEST", 0)
GOALS = {"import_s": 180.0, "autocomplete_p95_ms": 30.0, "reverse_p95_ms": 10.0}


def log(message: str) -> None:
    print(message, flush=True)


# --- data -------------------------------------------------------------------------------------------------

def build_network(scale: float) -> None:
    """Demo areas and roads at ``scale`` (kept between runs: rebuilt only when the scale changes)."""
    from django.db import connection, transaction

    from boundaries import demo as area_demo
    from placenames.models import Place

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
        cursor.execute("SELECT value FROM bench_meta WHERE key = 'scale'")
        row = cursor.fetchone()
    if row and float(row[0]) == scale and Place.objects.exists():
        return
    from doorplates.demo import clear_demo_plates
    from placenames.demo import build_roads

    ctx = area_demo.DemoContext(scale=scale, seed=330300, log=lambda m: log("  " + m))
    started = time.perf_counter()
    truncate_registry()
    for step in (clear_demo_plates, area_demo.build_areas, build_roads):
        with transaction.atomic():
            step(ctx)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_meta VALUES ('scale', %s) ON CONFLICT (key) DO UPDATE SET value = %s",
                       [str(scale), str(scale)])
        cursor.execute("ANALYZE")
    log(f"  areas and roads built in {time.perf_counter() - started:.0f} s")


def meta(key: str, value: str | None = None) -> str | None:
    """A value kept in the bench database between runs (bench_meta), read, or written when ``value`` is given."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
        if value is None:
            cursor.execute("SELECT value FROM bench_meta WHERE key = %s", [key])
            row = cursor.fetchone()
            return row[0] if row else None
        cursor.execute("INSERT INTO bench_meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = %s",
                       [key, value, value])
        return value


def truncate_registry() -> None:
    from doorplates.demo import truncate_plates
    from doorplates.models import DoorplateImport

    meta("plates", "")  # the plates of a past run are gone
    if not truncate_plates():
        raise RuntimeError("a table refers to plates by a key that is not ON DELETE SET NULL; empty it first")
    DoorplateImport.objects.all().delete()


def write_csv(path: Path, scale: float) -> int:
    """The demo's plates for this scale as an import file (road name, county, number, coordinates ...)."""
    from boundaries.models import AdminArea
    from doorplates.demo import demo_roads, plate_rows

    roads = list(demo_roads().select_related("area"))
    county = dict(AdminArea.objects.values_list("id", "code"))
    count = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["road", "county", "number", "building", "plate_type", "status", "installed_on", "lon", "lat"])
        for row in plate_rows(roads, scale, 330300, source="bench"):
            number = row.number_label
            out.writerow([row.road_name, county[row.area_id][:6], number, row.building, row.plate_type,
                          row.status, row.installed_on or "", f"{row.lon:.8f}", f"{row.lat:.8f}"])
            count += 1
    return count


# --- measurements ---------------------------------------------------------------------------------------

def timed_import(path: Path, url: str) -> tuple[float, float, str]:
    """Seconds and peak resident memory (MB) of `manage.py import_doorplates` in a child process."""
    env = {**os.environ, "DATABASE_URL": url}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(BASE / "manage.py"), "import_doorplates", str(path), "--commit", "all",
                           "--no-progress"], env=env, capture_output=True, text=True, cwd=BASE)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mb, "\n  ".join(done.stdout.strip().splitlines()[-2:])


def bulk_create_peer(sample: int) -> float:
    """Plates per second through Django's bulk_create (no checks), inserted and rolled back."""
    from django.contrib.gis.geos import Point
    from django.db import transaction

    from doorplates.models import Doorplate

    source = list(Doorplate.objects.order_by("?")[:sample])
    clones = []
    for plate in source:
        plate.pk = None
        plate.uuid = __import__("uuid").uuid4()
        plate.token = None
        plate.sub_number += 500  # not a duplicate of the original
        plate.geom = Point(plate.geom.x, plate.geom.y, srid=4490)
        clones.append(plate)
    started = time.perf_counter()
    with transaction.atomic():
        Doorplate.objects.bulk_create(clones, batch_size=2000)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return len(clones) / elapsed


def build_bases(scale: float) -> int:
    """The demo's villages, natural villages and residential areas and their plates (numbered without a road)."""
    from django.db import transaction

    from boundaries import demo as area_demo
    from doorplates.demo import build_base_plates
    from placenames.demo_bases import build_bases as build_places

    ctx = area_demo.DemoContext(scale=scale, seed=330300, log=lambda m: log("  " + m))
    with transaction.atomic():
        build_places(ctx)
        build_base_plates(ctx)
    return ctx.data.get("base_plates", 0)


def autocomplete_queries(n: int, rng: random.Random, kind: str = "road") -> list[str]:
    """Queries as people type them, drawn from plates of one base kind (road, village, residential)."""
    from django.db import connection

    from doorplates.models import Doorplate

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")  # ORDER BY random(): the same draw from the same plates
    plates = list(Doorplate.objects.filter(base_kind=kind).order_by("?")
                  .values_list("road_name", "number", "search_text", "address")[:n])
    if kind == "residential":
        return [_residential_query(search_text, rng) for _road, _number, search_text, _address in plates]
    queries = []
    for road, number, search_text, address in plates:
        kind = rng.randrange(4)
        if kind == 0:
            queries.append(f"{road}{number}")  # 解放街88
        elif kind == 1:
            queries.append(search_text.split()[1][: max(6, len(search_text.split()[1]) - 1)])  # jiefangjie8
        elif kind == 2:
            county = address[6:9]
            queries.append(f"{county}{road}{str(number)[:1]}")  # 鹿城区解放街8
        else:
            queries.append(f"{road[1:]}{number}号")  # 放街88号
    return queries


def _residential_query(search_text: str, rng: random.Random) -> str:
    """翠微小区3幢2单元50, cuiweixiaoqu3-2-50, or 微小区3幢 (a flat's address as typed, cut short)."""
    below, *keys = search_text.split()
    kind = rng.randrange(3)
    if kind == 0 or not keys:
        return below[:-2] if below.endswith("室") else below
    if kind == 1:
        return keys[0][:-1]
    return below[1:below.index("幢") + 1] if "幢" in below else below[1:]


def measure_autocomplete(queries: list[str], user) -> list[float]:
    from doorplates.search import autocomplete

    times = []
    for q in queries:
        started = time.perf_counter()
        autocomplete(q, user, 10)
        times.append((time.perf_counter() - started) * 1000)
    return times


def show_slowest(queries: list[str], times: list[float], user, count: int) -> None:
    """The ``count`` slowest queries, each run again with every statement it sent and that statement's plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from doorplates.search import autocomplete

    for ms, q in sorted(zip(times, queries, strict=True), reverse=True)[:count]:
        with CaptureQueriesContext(connection) as sent:
            found = autocomplete(q, user, 10)
        log(f"    {ms:7.2f} ms  {q!r}: {len(found)} results, {len(sent)} statements")
        for statement in sent:
            log(f"      [{float(statement['time']) * 1000:.1f} ms] {statement['sql']}")
            if not statement["sql"].lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement["sql"])
                log("\n".join("        " + row[0] for row in cursor.fetchall()))


def measure_ilike_peer(queries: list[str]) -> list[float]:
    from django.db import connection, transaction

    from doorplates.search import query_text

    times = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for q in queries:
            text, _prefix = query_text(q)
            started = time.perf_counter()
            cursor.execute("SELECT uuid, address FROM doorplates_doorplate WHERE search_text ILIKE %s "
                           "AND status <> 'retired' ORDER BY road_name, number, sub_number LIMIT 10", [f"%{text}%"])
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return times


def reverse_points(n: int, rng: random.Random) -> list[tuple[float, float]]:
    from doorplates.models import Doorplate

    points = Doorplate.objects.order_by("?").values_list("geom", flat=True)[:n]
    return [(p.x + rng.uniform(-5e-4, 5e-4), p.y + rng.uniform(-5e-4, 5e-4)) for p in points]


def measure_reverse(points, user) -> list[float]:
    from doorplates.search import nearest

    times = []
    for lon, lat in points:
        started = time.perf_counter()
        nearest(lon, lat, user, 5)
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure_reverse_peer(points) -> list[float]:
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for lon, lat in points:
            started = time.perf_counter()
            cursor.execute("SELECT uuid, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4490)::geography) d "
                           "FROM doorplates_doorplate WHERE status <> 'retired' ORDER BY d LIMIT 5", [lon, lat])
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return times


def verdict(value: float, goal: float) -> str:
    return "meets goal" if value < goal else "MISSES goal"


def main() -> None:
    old = throwaway_database("doorplates", keep=KEEP_DB)
    try:
        run()
    finally:
        drop_database(old, keep=KEEP_DB)


def run() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from doorplates.models import Doorplate

    rng = random.Random(5)
    log(f"doorplates bench: scale {SCALE:g} (~{int(25_000 * SCALE):,} plates), database {connection.settings_dict['NAME']}")
    build_network(SCALE)
    imported = None
    if REUSE_PLATES and meta("plates") == str(SCALE):
        base_plates = int(meta("base_plates") or 0)
        log("  plates of the last run kept (BENCH_REUSE_PLATES=1): no import measured")
    else:
        imported = import_plates()
        base_plates = build_bases(SCALE)
        meta("plates", str(SCALE))
        meta("base_plates", str(base_plates))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE doorplates_doorplate")
    count = Doorplate.objects.count() - base_plates
    user = get_user_model()(username="bench", is_superuser=True)

    by_kind = {kind: autocomplete_queries(QUERIES // 3 + 1, rng, kind) for kind in ("road", "village", "residential")}
    queries = [q for kind_queries in by_kind.values() for q in kind_queries]
    measure_autocomplete(queries[:20], user)  # warm the cache as a running server would be
    per_kind = {kind: measure_autocomplete(qs, user) for kind, qs in by_kind.items()}
    if SLOWEST:
        for kind, qs in by_kind.items():
            log(f"  slowest {kind} queries:")
            show_slowest(qs, per_kind[kind], user, SLOWEST)
    ours = p50_p95([t for times in per_kind.values() for t in times])
    peer_per_kind = {kind: measure_ilike_peer(qs[:max(2, PEER_QUERIES // 3)]) for kind, qs in by_kind.items()}
    peer = p50_p95([t for times in peer_per_kind.values() for t in times])
    points = reverse_points(QUERIES, rng)
    measure_reverse(points[:20], user)
    near = p50_p95(measure_reverse(points, user))
    near_peer = p50_p95(measure_reverse_peer(points[:max(3, PEER_QUERIES // 2)]))

    log("")
    log(f"plates imported          {count:,}   (then {base_plates:,} plates of villages and residential areas)")
    if imported:
        seconds, peak_mb, peer_rate = imported
        rate = count / seconds
        log(f"bulk import              {seconds:8.1f} s   {rate:9,.0f} plates/s   peak memory {peak_mb:,.0f} MB"
            f"   ({verdict(seconds, GOALS['import_s'])} < 180 s)")
        log(f"  peer bulk_create       {peer_rate:9,.0f} plates/s (no checks)   ratio import/peer {rate / peer_rate:5.2f}x")
    log(f"autocomplete p50/p95     {ours[0]:8.2f} / {ours[1]:.2f} ms   ({verdict(ours[1], GOALS['autocomplete_p95_ms'])} < 30 ms)")
    log(f"  peer ILIKE seq scan    {peer[0]:8.2f} / {peer[1]:.2f} ms   ratio peer/ours p50 {peer[0] / ours[0]:7.1f}x")
    for kind in per_kind:
        mine, theirs = p50_p95(per_kind[kind]), p50_p95(peer_per_kind[kind])
        log(f"  {kind:<12} p50/p95    {mine[0]:8.2f} / {mine[1]:.2f} ms   peer ILIKE {theirs[0]:8.2f} / {theirs[1]:.2f} ms"
            f"   ratio peer/ours p50 {theirs[0] / mine[0]:7.1f}x   ({len(per_kind[kind])} queries)")
    log(f"reverse geocoding p50/95 {near[0]:8.2f} / {near[1]:.2f} ms   ({verdict(near[1], GOALS['reverse_p95_ms'])} < 10 ms)")
    log(f"  peer ST_Distance sort  {near_peer[0]:8.2f} / {near_peer[1]:.2f} ms   ratio peer/ours p50 {near_peer[0] / near[0]:7.1f}x")


def import_plates() -> tuple[float, float, float]:
    """The demo's road plates written to a file and imported into an emptied registry: seconds and peak memory of
    the import, and the peer bulk_create's rate."""
    from django.db import connection

    from doorplates.models import Doorplate

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doorplates.csv"
        started = time.perf_counter()
        rows = write_csv(path, SCALE)
        log(f"  import file: {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB, written in "
            f"{time.perf_counter() - started:.0f} s")
        truncate_registry()
        seconds, peak_mb, summary = timed_import(path, database_url())
    log(f"  {summary}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE doorplates_doorplate")
    peer_rate = bulk_create_peer(min(20_000, Doorplate.objects.count()))
    return seconds, peak_mb, peer_rate


if __name__ == "__main__":
    main()
