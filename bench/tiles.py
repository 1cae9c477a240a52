"""Vector tiles: our server against tipg, side by side in one run, on the same database, tables and tile list.

Run: .venv/bin/python -m bench.tiles          (BENCH_SCALE=42 for the full 1.05 million doorplates; the load of
                                               the demo data then takes several minutes and is not timed)

Builds its own throwaway database ``diming_bench_tiles`` (Django's test-database machinery: created, migrated,
which installs the tile-cache triggers, and dropped at the end) with the demo areas, roads and doorplates at
BENCH_SCALE (default 2, about 50,000 plates). For tipg, each bench layer becomes a view whose text is the very SQL
our server compiles from ``Layer.queryset()`` (same rows, same joins, same columns, the stored EPSG:3857 column),
so both servers draw the same features.

The servers, each started as a subprocess on a free loopback port with the same process model:
- ours: granian (the production server, see Dockerfile), WORKERS processes x THREADS blocking threads, one
  persistent database connection per thread;
- tipg (from PyPI): uvicorn, WORKERS processes, an asyncpg pool of THREADS connections per process;
both with tile extent 4096, buffer 64 and 10,000 features per tile at most. The default, 2 processes x 2 threads =
4 connections, is the sizing rule of .env.example (WEB_WORKERS x WEB_THREADS about twice the database's cores)
on this 2-core machine: more connections only make PostgreSQL share its cores among more tiles at once, which
stretches every slow tile; two processes, as in production, let cached tiles use both cores, where one process
would run all their Python on one (BENCH_WORKERS and BENCH_THREADS change it for both servers).

The tile list: for each zoom 10 to 17, BENCH_TILES_PER_ZOOM tiles (half the densest in doorplates, half drawn at
random among the tiles with plates, seeded), each requested for every bench layer shown at that zoom (villages from
11, roads from 10, doorplates from 15). Uncached means a second server of ours with the tile cache turned off
(TILES_CACHE=false: every tile drawn for its request, as anonymous clients get it, nothing looked up or kept; an
anonymous ``Cache-Control: no-store`` no longer bypasses the cache); tipg has no cache. Both are asked with ``Accept-Encoding: gzip`` as MapLibre does.

The load comes from wrk (bench/wrk_paths.lua): one client thread with 1, 4 or 16 keep-alive connections requests the
list, shuffled, in a loop for BENCH_SECONDS (default 5) per line; it prints p50 and p95 latency and tiles per second.
wrk is C: a Python client would spend as much CPU per request as a cached tile costs the server, on the same two
cores, and would measure itself. Our p50 overhead over the raw SQL (the same prepared statement run straight on
psycopg) is measured per zoom with one request at a time, as is each tile's size; then cached against uncached:
both servers up and asked in turn, a second at a time, so that a change in the load of the machine (two shared cores)
falls on both alike rather than on one line of the ratio.

Cached tiles are asked anonymously; every hit asks the database for the tile's current tag (one indexed lookup),
so a tile is never stale. Last, freshness is checked under load: while wrk keeps the server busy with cached tiles
at concurrency 16 (and once with the server idle), one doorplate is edited BENCH_EDITS times (commit by commit,
straight in SQL), and right after each commit its z17 tile is asked for on 4 keep-alive connections (both
processes); an answer with the tag from before the edit would be stale.

BENCH_KEEPDB=1 keeps the database and its data for the next run (which then skips the load): handy at scale 42.
BENCH_ZOOMS (10,...,17) and BENCH_CONCURRENCY (1,4,16) narrow the run (tests/bench runs it tiny).

Goals (issues 7 and 15): at least 1.5x tipg's throughput; p50 overhead over raw SQL under 1 ms at z16; p95 under 3x
p50 at concurrency 16; cached tiles at least 7x faster than uncached at every concurrency; and never stale.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._common import database_url, drop_database, env_count, env_number, server, throwaway_database

KEEP_DB = os.environ.get("BENCH_KEEPDB", "") == "1"  # keep the database (and its demo data) for the next run
SCALE = env_number("BENCH_SCALE", 2)
TILES_PER_ZOOM = env_count("BENCH_TILES_PER_ZOOM", 12)
ZOOMS = [int(z) for z in os.environ.get("BENCH_ZOOMS", "10,11,12,13,14,15,16,17").split(",")]
LAYERS = ("villages", "roads", "doorplates")
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "1,4,16").split(",")]
WORKERS = env_count("BENCH_WORKERS", 2)
THREADS = env_count("BENCH_THREADS", 2)  # per worker: our threads, tipg's pool connections
SECONDS = env_count("BENCH_SECONDS", 5)  # per measured line
SLICES = 5  # cached against uncached: each asked in turn for SECONDS / SLICES at a time (_in_turn)
ZOOM_SECONDS = 1  # per zoom, for the p50 per zoom
WARM_SECONDS = min(2, SECONDS)
RAW_ROUNDS = 4  # of the raw SQL over the tile list
EDITS = env_count("BENCH_EDITS", 200)  # commits for the staleness check
MAX_FEATURES = 10_000
ROOT = Path(__file__).resolve().parent.parent
WRK = shutil.which("wrk") or "wrk"  # `make bench` installs it (scripts/system-deps.sh bench)
WRK_SCRIPT = Path(__file__).resolve().with_name("wrk_paths.lua")
HALF = 20037508.342789244


def _build() -> dict[str, int]:
    from django.core.management import call_command
    from django.db import connection

    from doorplates.models import Doorplate

    started = time.perf_counter()
    if not (KEEP_DB and Doorplate.objects.exists()):
        call_command("load_demo", scale=SCALE, only=["boundaries.areas", "placenames.roads", "doorplates.clear",
                                                      "doorplates.plates"], stdout=open(os.devnull, "w"))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        counts = {}
        for layer in _layers():
            rows, _names = _layer_rows(layer)
            cursor.execute(f"SELECT count(*) FROM ({rows.replace('%%', '%')}) AS r")
            counts[layer.name] = cursor.fetchone()[0]
    print(f"scale {SCALE:g}: demo data loaded in {time.perf_counter() - started:.0f} s; published features: "
          + ", ".join(f"{name} {count:,}" for name, count in counts.items()), flush=True)
    return counts


def _layers():
    from gis import layers

    return [layers.get(name) for name in LAYERS if layers.get(name) is not None]


def _layer_rows(layer):
    from tiles.access import Viewer
    from tiles.sql import layer_rows

    return layer_rows(Viewer().view_of(layer))


def _create_views() -> dict[str, list[str]]:
    """bench_<layer> views for tipg: our compiled layer SQL, columns fid, geom and the layer's properties."""
    from django.db import connection

    properties = {}
    with connection.cursor() as cursor:
        for layer in _layers():
            rows, names = _layer_rows(layer)
            columns = ["fid", "geom", *names[2:]]
            cursor.execute(f"DROP VIEW IF EXISTS bench_{layer.name}")
            cursor.execute(f"CREATE VIEW bench_{layer.name} ({', '.join(columns)}) AS {rows.replace('%%', '%')}")
            properties[layer.name] = list(names[2:])
    return properties


def _tile_list() -> list[tuple[str, int, int, int]]:
    """(layer, z, x, y): per zoom, the densest doorplate tiles and as many at random among those with plates."""
    from django.db import connection

    rng = random.Random(330300)
    chosen = []
    with connection.cursor() as cursor:
        for z in ZOOMS:
            size = 2 * HALF / 2**z
            cursor.execute("""
                SELECT floor((ST_X(geom_3857) + %(half)s) / %(size)s)::int AS x,
                       floor((%(half)s - ST_Y(geom_3857)) / %(size)s)::int AS y, count(*) AS n
                FROM doorplates_doorplate GROUP BY 1, 2 ORDER BY n DESC, 1, 2""", {"half": HALF, "size": size})
            tiles = [(x, y) for x, y, _n in cursor.fetchall()]
            dense = tiles[: TILES_PER_ZOOM // 2]
            rest = tiles[TILES_PER_ZOOM // 2:]
            picked = dense + rng.sample(rest, min(len(rest), TILES_PER_ZOOM - len(dense)))
            for x, y in picked:
                for layer in _layers():
                    if layer.minzoom <= z <= layer.maxzoom:
                        chosen.append((layer.name, z, x, y))
    return chosen


def _server(name: str, command: list[str], env: dict, ready_path: str):
    return server(name, command, {**os.environ, **env}, ready_path, f"/tmp/bench-tiles-{name}.log")


def _ours(*, cache: bool = True):
    """Our server; without ``cache``, every tile is drawn for its request (TILES_CACHE=false)."""
    env = {"DATABASE_URL": database_url("postgis"), "DJANGO_DEBUG": "false", "DATABASE_CONN_MAX_AGE": "600",
           "DIMING_LOG_LEVEL": "ERROR", "PYTHONDONTWRITEBYTECODE": "1", "TILES_CACHE": "true" if cache else "false"}
    command = [str(Path(sys.executable).with_name("granian")), "--interface", "wsgi", "config.wsgi:application",
               "--host", "127.0.0.1", "--port", "{port}", "--workers", str(WORKERS),
               "--blocking-threads", str(THREADS), "--log-level", "error", "--no-access-log"]
    return _server("ours" if cache else "ours-uncached", command, env, "/healthz")


def _tipg(properties: dict[str, list[str]]):
    env = {"DATABASE_URL": database_url("postgresql"), "TIPG_DB_SCHEMAS": '["public"]',
           "TIPG_DB_TABLES": json.dumps([f"public.bench_{name}" for name in properties]),
           "TIPG_DB_MIN_CONN_SIZE": str(THREADS), "TIPG_DB_MAX_CONN_SIZE": str(THREADS),
           "TIPG_TILE_RESOLUTION": "4096", "TIPG_TILE_BUFFER": "64",
           "TIPG_MAX_FEATURES_PER_TILE": str(MAX_FEATURES), "TIPG_DB_SPATIAL_EXTENT": "false",
           "TIPG_DB_DATETIME_EXTENT": "false", "TIPG_DEBUG": "false"}
    command = [sys.executable, "-m", "uvicorn", "tipg.main:app", "--host", "127.0.0.1", "--port", "{port}",
               "--workers", str(WORKERS), "--log-level", "error", "--no-access-log"]
    return _server("tipg", command, env, "/collections")


def _ours_path(layer, z, x, y, _properties):
    return f"/tiles/{layer}/{z}/{x}/{y}.mvt"


def _tipg_path(layer, z, x, y, properties):
    props = ",".join(properties[layer])
    return (f"/collections/public.bench_{layer}/tiles/WebMercatorQuad/{z}/{x}/{y}"
            f"?geom-column=geom&properties={props}")


def _run(port: int, paths: list[str], concurrency: int, headers: dict, seconds: int = SECONDS) -> dict:
    """wrk, one thread with ``concurrency`` keep-alive connections, over the paths in a shuffled loop for
    ``seconds``: {"p50": ms, "p95": ms, "tps": tiles/s, "requests": n}. Any failed request fails the bench."""
    order = list(paths)
    random.Random(concurrency).shuffle(order)  # whatever part of the last loop is left, the mix is the list's
    with _wrk_environment(order, headers) as env:
        done = subprocess.run([WRK, "-t1", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "60s", "-s", str(WRK_SCRIPT),
                               f"http://127.0.0.1:{port}"], env=env, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    failed = {kind: count for kind, count in result["errors"].items() if count}
    if failed or not result["requests"]:
        raise RuntimeError(f"wrk on port {port}: {result['requests']} requests, failures {failed}")
    return {"p50": result["p50_us"] / 1000, "p95": result["p95_us"] / 1000, "requests": result["requests"],
            "tps": result["requests"] / (result["duration_us"] / 1e6)}


def _slices() -> int:
    return max(1, min(SLICES, SECONDS))


def _in_turn(servers: list[tuple[int, dict]], paths: list[str], concurrency: int) -> list[dict]:
    """Each (port, headers) asked in turn, slice by slice (_slices() of SECONDS in all each), so that a change in the
    machine's load (other work on its two cores) falls on every server alike: each server's slices summed (requests
    over seconds), its p50 and p95 the median of its slices'."""
    rows: list[list[dict]] = [[] for _ in servers]
    for _ in range(_slices()):
        for row, (port, headers) in zip(rows, servers, strict=True):
            row.append(_run(port, paths, concurrency, headers, seconds=SECONDS // _slices()))
    return [{"p50": statistics.median(r["p50"] for r in row), "p95": statistics.median(r["p95"] for r in row),
             "requests": sum(r["requests"] for r in row),
             "tps": sum(r["requests"] for r in row) / sum(r["requests"] / r["tps"] for r in row)} for row in rows]


@contextlib.contextmanager
def _wrk_environment(paths: list[str], headers: dict):
    """What bench/wrk_paths.lua reads: the paths (in a file, one a line) and the headers to send."""
    with tempfile.NamedTemporaryFile("w", prefix="bench-tiles-", suffix=".txt") as listing:
        listing.write("\n".join(paths) + "\n")
        listing.flush()
        yield {**os.environ, "BENCH_PATHS": listing.name,
               "BENCH_HEADERS": "\n".join(f"{name}: {value}" for name, value in headers.items())}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _raw_sql(requests) -> dict[int, list[float]]:
    """Our tile SQL straight on psycopg (prepared, like the server): seconds per zoom."""
    import psycopg
    from django.db import connection

    from tiles.access import Viewer, parse_layerset
    from tiles.sql import tile_sql

    per_zoom: dict[int, list[float]] = {}
    with psycopg.connect(**connection.get_connection_params()) as conn:
        conn.autocommit = True
        conn.execute("SET plan_cache_mode = force_generic_plan")  # as the server's connections
        for round_ in range(1 + RAW_ROUNDS):  # the first round prepares and warms
            if round_ == 1:
                per_zoom.clear()
            for layer, z, x, y in requests:
                text = tile_sql(parse_layerset(layer, Viewer()))
                started = time.perf_counter()
                psycopg.Cursor(conn).execute(text, {"z": z, "x": x, "y": y}, prepare=True, binary=True).fetchone()
                per_zoom.setdefault(z, []).append(time.perf_counter() - started)
    return per_zoom


def _per_zoom(port: int, requests, make_path, properties, headers) -> dict[int, float]:
    """p50 ms per zoom, one request at a time (wrk, one connection, ZOOM_SECONDS per zoom)."""
    out = {}
    for z in ZOOMS:
        paths = [make_path(layer, tz, x, y, properties) for layer, tz, x, y in requests if tz == z]
        if paths:
            out[z] = _run(port, paths, 1, headers, seconds=ZOOM_SECONDS)["p50"]
    return out


def _timed_by_path(port, paths, headers) -> dict[str, tuple[float, int]]:
    """Each path once, one after the other: {path: (seconds, body bytes)}."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    out = {}
    for path in paths:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        body = conn.getresponse().read()
        out[path] = (time.perf_counter() - started, len(body))
    conn.close()
    return out


def _largest_raw(port: int, paths: list[str]) -> tuple[int, str]:
    """The largest tile as drawn (no gzip): the 500 KB goal is about the tile itself."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    largest = (0, "")
    for path in paths:
        conn.request("GET", path, headers={"Accept-Encoding": "identity"})
        largest = max(largest, (len(conn.getresponse().read()), path))
    conn.close()
    return largest


def _line(label: str, row: dict, by_path: dict[str, tuple[float, int]] | None = None) -> dict:
    sizes = ""
    if by_path:
        bodies = [size for _seconds, size in by_path.values()]
        sizes = f"   {sum(bodies) / len(bodies) / 1024:6.1f} KB/tile (largest {max(bodies) / 1024:.0f} KB gzip)"
    print(f"  {label:<28} p50 {row['p50']:7.2f} ms   p95 {row['p95']:7.2f} ms   {row['tps']:8.1f} tiles/s{sizes}",
          flush=True)
    return row


def _compare(requests, properties) -> None:
    uncached = tipg_headers = cached = {"Accept-Encoding": "gzip"}
    ours_paths = [_ours_path(*r, properties) for r in requests]
    tipg_paths = [_tipg_path(*r, properties) for r in requests]
    results: dict[tuple[str, int], dict] = {}
    with _ours(cache=False) as ours, _tipg(properties) as tipg:
        for port, paths, headers in ((ours, ours_paths, uncached), (tipg, tipg_paths, tipg_headers)):
            _run(port, paths, 4, headers, seconds=WARM_SECONDS)  # warm: prepared statements, page cache, connections
        ours_by_path = _timed_by_path(ours, ours_paths, uncached)
        tipg_by_path = _timed_by_path(tipg, tipg_paths, tipg_headers)
        ours_zoom = _per_zoom(ours, requests, _ours_path, properties, uncached)
        tipg_zoom = _per_zoom(tipg, requests, _tipg_path, properties, tipg_headers)
        print(f"\n{len(requests)} tiles (layer/z/x/y), uncached, Accept-Encoding gzip; {WORKERS} workers x "
              f"{THREADS} threads/connections each; wrk, {SECONDS} s per line", flush=True)
        for c in CONCURRENCY:
            print(f" concurrency {c}:")
            results[("ours", c)] = _line("ours (Django + PostGIS)", _run(ours, ours_paths, c, uncached), ours_by_path)
            results[("tipg", c)] = _line("tipg", _run(tipg, tipg_paths, c, tipg_headers), tipg_by_path)
    with _ours() as ours, _ours(cache=False) as drawn:
        _run(ours, ours_paths, 4, cached, seconds=WARM_SECONDS)  # fill the cache
        _run(drawn, ours_paths, 4, uncached, seconds=WARM_SECONDS)
        cached_by_path = _timed_by_path(ours, ours_paths, cached)
        cached_zoom = _per_zoom(ours, requests, _ours_path, properties, cached)
        size, path = _largest_raw(ours, ours_paths)
        print(f"\n largest tile of ours without gzip: {size / 1024:.0f} KB ({path}; goal: none over 500 KB)")
        print("\n cached (the same tiles from our tile cache, anonymous; every hit asks the database for the tag) and "
              f"uncached, asked in turn, {_slices()} slices of {SECONDS // _slices()} s each:")
        for c in CONCURRENCY:
            hits, draws = _in_turn([(ours, cached), (drawn, uncached)], ours_paths, c)
            results[("cached", c)] = _line(f"ours cached, concurrency {c}", hits, cached_by_path)
            results[("drawn", c)] = _line(f"   uncached, concurrency {c}", draws, ours_by_path)
        stale = _staleness(ours, ours_paths, requests, cached)
    raw = _raw_sql(requests)
    _summary(results, raw, ours_zoom, tipg_zoom, cached_zoom, stale)


def _edited_plate(requests):
    """An installed plate in one of the bench's z17 doorplate tiles, with that tile; at a tiny scale those tiles may
    hold only planned plates, and then the first installed plate and its own z17 tile are taken."""
    from django.db import connection

    with connection.cursor() as cursor:
        for layer, z, x, y in (r for r in requests if r[0] == "doorplates" and r[1] == 17):
            cursor.execute("SELECT uuid FROM doorplates_doorplate WHERE geom_3857 && ST_TileEnvelope(%s, %s, %s) "
                           "AND status = 'installed' ORDER BY uuid LIMIT 1", [z, x, y])
            row = cursor.fetchone()
            if row:
                return row[0], (layer, z, x, y)
        half = 20037508.342789244
        cursor.execute("SELECT uuid, floor((ST_X(geom_3857) + %(h)s) / (2 * %(h)s / 2 ^ 17))::int, "
                       "floor((%(h)s - ST_Y(geom_3857)) / (2 * %(h)s / 2 ^ 17))::int FROM doorplates_doorplate "
                       "WHERE status = 'installed' ORDER BY uuid LIMIT 1", {"h": half})
        plate, x, y = cursor.fetchone()
    return plate, ("doorplates", 17, x, y)


def _staleness(port: int, paths: list[str], requests, headers) -> dict[str, tuple[int, int, float]]:
    """{"idle" | "busy": (answers right after a commit, stale ones, ms until the last stale one was answered afresh)}:
    one doorplate edited EDITS times, its z17 tile asked for on 4 connections after each commit; "busy" with wrk
    asking for cached tiles at concurrency 16 alongside. Stale: another tag than the database's."""
    import psycopg
    from django.db import connection

    plate, (layer, z, x, y) = _edited_plate(requests)
    path = _ours_path(layer, z, x, y, None)
    clients = [http.client.HTTPConnection("127.0.0.1", port, timeout=60) for _ in range(4)]
    out = {}
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as editor:
        out["idle"] = _edits(editor, plate, clients, path, headers)
        with _wrk_environment(paths, headers) as env:
            load = subprocess.Popen([WRK, "-t1", "-c16", "-d600s", "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}"],
                                    env=env, stdout=subprocess.DEVNULL)
            try:
                time.sleep(1)
                out["busy"] = _edits(editor, plate, clients, path, headers)
            finally:
                load.send_signal(2)  # wrk stops on SIGINT
                load.wait(timeout=30)
    for client in clients:
        client.close()
    print(f"\n staleness of anonymous tiles: {EDITS} edits of one doorplate, each committed and then its z17 tile "
          "asked for on 4 connections (both processes)")
    for name, label in (("idle", "server otherwise idle"), ("busy", "wrk at concurrency 16 alongside")):
        answers, stale, latest = out[name]
        worst = f", the latest received {latest:.1f} ms after its commit" if stale else ""
        print(f"  {label:<32} {answers} answers, {stale} with the tile from before the edit{worst}", flush=True)
    return out


_EDIT = ("UPDATE doorplates_doorplate SET number_label = CASE WHEN number_label LIKE '%%甲' "
         "THEN left(number_label, -1) ELSE number_label || '甲' END WHERE uuid = %s")


def _edits(editor, plate, clients, path: str, headers) -> tuple[int, int, float]:
    """EDITS commits of ``plate``, each followed by its tile's tag on every client: (answers, stale, latest ms)."""
    answers = stale = 0
    latest = 0.0
    for _ in range(EDITS):
        before = {_tag(client, path, headers) for client in clients for _twice in (1, 2)}  # kept
        editor.execute(_EDIT, [plate])
        committed = time.perf_counter()
        after = [(_tag(client, path, headers), (time.perf_counter() - committed) * 1000) for client in clients]
        truth = _tag(clients[0], path, headers)  # the tile as kept now, after the answers above
        if truth in before:
            raise RuntimeError(f"the edit of doorplate {plate} does not show in {path}")
        answers += len(after)
        late = [received for answer, received in after if answer != truth]
        stale += len(late)
        latest = max([latest, *late])  # the answer was given before it was received
    return answers, stale, latest


def _tag(client, path: str, headers) -> str:
    """The ETag of ``path``, on a keep-alive connection that is opened again if the server let it go."""
    for attempt in (1, 2):
        try:
            client.request("GET", path, headers=headers)
            response = client.getresponse()
            response.read()
            return response.getheader("ETag")
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            client.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _summary(results, raw, ours_zoom, tipg_zoom, cached_zoom, stale) -> None:
    print("\n per zoom, concurrency 1, p50 ms: raw SQL | ours over HTTP (overhead) | tipg | ours cached")
    for z in ZOOMS:
        if z not in raw:
            continue
        r, o, t, c = statistics.median(raw[z]) * 1000, ours_zoom[z], tipg_zoom[z], cached_zoom[z]
        print(f"  z{z:<3} {r:7.2f} | {o:7.2f} ({o - r:+5.2f}) | {t:7.2f} | {c:6.2f}   ({len(raw[z]) // RAW_ROUNDS} tiles)")
    print("\n ratios:")
    for c in CONCURRENCY:
        ratio = results[("ours", c)]["tps"] / results[("tipg", c)]["tps"]
        print(f"  throughput ours/tipg at concurrency {c:>2}: {ratio:5.2f}x   (goal >= 1.5x)")
    top = max(CONCURRENCY)
    o16 = results[("ours", top)]
    print(f"  p95/p50 at concurrency {top}: ours {o16['p95'] / o16['p50']:.2f}, "
          f"tipg {results[('tipg', top)]['p95'] / results[('tipg', top)]['p50']:.2f}   (goal < 3 at 16)")
    if 16 in raw:
        overhead = ours_zoom[16] - statistics.median(raw[16]) * 1000
        print(f"  p50 overhead over raw SQL at z16: {overhead:.2f} ms   (goal < 1 ms)")
    for c in CONCURRENCY:
        speed = results[("cached", c)]["tps"] / results[("drawn", c)]["tps"]
        p50 = results[("drawn", c)]["p50"] / results[("cached", c)]["p50"]
        print(f"  cached vs uncached at concurrency {c:>2}: {speed:5.1f}x tiles/s, {p50:5.1f}x p50   (goal >= 7x)")
    for name in ("idle", "busy"):
        answers, wrong, latest = stale[name]
        print(f"  stale anonymous answers right after a commit, server {name}: {wrong} of {answers}"
              + (f" (the latest received {latest:.1f} ms after its commit)" if wrong else "")
              + "   (goal: 0)")


def main() -> None:
    old = throwaway_database("tiles", keep=KEEP_DB)
    try:
        _build()
        properties = _create_views()
        requests = _tile_list()
        _compare(requests, properties)
    finally:
        drop_database(old, keep=KEEP_DB)


if __name__ == "__main__":
    main()
