"""Benchmark: the full rule check of a new name against 50,000 existing names, and name search.

    .venv/bin/python -m bench.placenames [--names 50000] [--runs 300]   (or BENCH_NAMES, BENCH_RUNS)

Runs in its own throwaway database (diming_bench_placenames: created, migrated and dropped at the end). Prints
p50 and p95 latency (goal: p95 under 50 ms for the check, under 30 ms for search) and, as the peer measured in
the same run, the ratio to the floor of each task: one indexed lookup by name for the check, a plain
``LIKE '%name%'`` scan for search.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from bench._common import drop_database, env_count, percentile, throwaway_database

CHARACTERS = ("东西南北中新华民安康宁泰和平兴盛锦绣江山河湖海岭峰松竹梅兰桂枫柳桥塘洋岙溪龙凤鹤鹿马牛金银玉"
              "石光明春秋华夏文武德仁信义礼智勇望观听云霞晨曦阳月星辰解放胜利建设人民学院府前车站滨瓯")
GENERICS = {"road": ["路", "路", "街", "大道", "巷"], "residential": ["苑", "小区", "花园"], "building": ["大厦", "楼"]}


def timed(fn, inputs) -> list[float]:
    out = []
    for item in inputs:
        start = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(label: str, ms: list[float], peer_label: str, peer_ms: list[float], goal_ms: float) -> None:
    p50, p95 = statistics.median(ms), percentile(ms, 0.95)
    peer50, peer95 = statistics.median(peer_ms), percentile(peer_ms, 0.95)
    verdict = "meets" if p95 < goal_ms else "MISSES"
    print(f"{label:<34} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   ({verdict} the p95 goal of {goal_ms:.0f} ms)")
    print(f"  peer: {peer_label:<27} p50 {peer50:7.2f} ms   p95 {peer95:7.2f} ms   "
          f"ratio p50 {p50 / peer50:5.1f}x  p95 {p95 / peer95:5.1f}x")


def random_name(rng: random.Random, kind: str) -> str:
    size = 2 if rng.random() < 0.8 else 3
    return "".join(rng.choice(CHARACTERS) for _ in range(size)) + rng.choice(GENERICS[kind])


def ensure_areas():
    from boundaries.demo import build_area_specs
    from boundaries.models import AdminArea
    from boundaries.services import save_demo_areas

    if not AdminArea.objects.filter(level="county").exists():
        save_demo_areas([s for s in build_area_specs(0.6) if s.level != "village"])
    return list(AdminArea.objects.filter(level="county").order_by("code"))


def populate(count: int, rng: random.Random, counties) -> list:
    """``count`` in-use places spread over the counties, with their search keys (no PlaceName rows: the
    rules and search read the place's current name)."""
    from django.contrib.gis.geos import LineString, Point

    from placenames.models import Place, PlaceKind, PlaceStatus
    from placenames.pinyin import initials_key, pinyin_key

    kinds = {k.code: k for k in PlaceKind.objects.filter(code__in=GENERICS)}
    keys: dict[str, tuple[str, str]] = {}
    rows = []
    for i in range(count):
        county = counties[i % len(counties)]
        kind = "road" if i % 4 else rng.choice(["residential", "building"])
        name = random_name(rng, kind)
        if name not in keys:
            keys[name] = (pinyin_key(name), initials_key(name))
        centre = county.geom.point_on_surface
        x, y = centre.x + rng.uniform(-0.02, 0.02), centre.y + rng.uniform(-0.02, 0.02)
        geom = (LineString((x, y), (x + 0.005, y + 0.002), srid=4490) if kind == "road"
                else Point(x, y, srid=4490))
        rows.append(Place(kind=kinds[kind], geom=geom, area=county, status=PlaceStatus.IN_USE, name=name,
                          pinyin_key=keys[name][0], initials=keys[name][1], location_description="bench"))
    Place.objects.bulk_create(rows, batch_size=5000)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=env_count("BENCH_NAMES", 50_000))
    parser.add_argument("--runs", type=int, default=env_count("BENCH_RUNS", 300))
    args = parser.parse_args(argv)
    old = throwaway_database("placenames")
    try:
        measure(args.names, args.runs)
    finally:
        drop_database(old)
    return 0


def measure(names: int, runs: int) -> None:
    from django.db import connection

    rng = random.Random(20260501)
    counties = ensure_areas()
    started = time.perf_counter()
    existing = populate(names, rng, counties)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE placenames_place")
    print(f"{len(existing):,} existing names in {len(counties)} counties "
          f"(built in {time.perf_counter() - started:.1f} s)")
    measure_check(existing, counties, runs, rng)
    measure_search(existing, runs, rng)


def measure_check(existing, counties, runs: int, rng: random.Random) -> None:
    from placenames.models import Place, PlaceKind
    from placenames.pinyin import split_name
    from placenames.rules import Proposal, check

    road = PlaceKind.objects.get(code="road")
    # Half the new names are homophones or duplicates of existing ones: the rules then have findings to build.
    candidates = [rng.choice(existing).name if i % 2 else random_name(rng, "road") for i in range(runs)]
    proposals = []
    for i, name in enumerate(candidates):
        specific, generic = split_name(name)
        proposals.append(Proposal(name=name, specific=specific, generic=generic, kind=road,
                                  county_prefix=counties[i % len(counties)].code12[:6],
                                  geometry_type="LineString"))
    check_ms = timed(check, proposals)
    floor_ms = timed(lambda p: Place.objects.filter(name=p.name, area__code12__startswith=p.county_prefix)
                     .exists(), proposals)
    findings = sum(1 for p in proposals[:50] if check(p))
    print(f"{findings} of the first {min(50, len(proposals))} checked names had findings")
    report("rule check (all rules)", check_ms, "one indexed name lookup", floor_ms, 50)


def measure_search(existing, runs: int, rng: random.Random) -> None:
    from placenames.models import Place
    from placenames.search import search_places

    picks = [rng.choice(existing) for _ in range(runs)]
    queries = [[pick.name, pick.name[:2], pick.initials, pick.pinyin_key][i % 4] for i, pick in enumerate(picks)]
    search_ms = timed(lambda q: list(search_places(q, limit=20)), queries)
    like_ms = timed(lambda q: list(Place.objects.filter(name__contains=q)[:20]), queries)
    report("name search (name/pinyin/initials)", search_ms, "LIKE '%q%' on name", like_ms, 30)

if __name__ == "__main__":
    sys.exit(main())
