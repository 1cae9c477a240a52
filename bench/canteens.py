"""Full-city meal-service coverage: the one PostGIS statement against two peers, in the same run.

Run: .venv/bin/python -m bench.canteens

Builds its own throwaway database ``diming_bench_canteens`` (Django's test-database machinery: created, migrated,
and dropped at the end) holding the demo Wenzhou at scale 25 (about 5,600 villages and communities; or
BENCH_CANTEENS_SCALE) and 1,010 canteens (BENCH_CANTEENS), then times (BENCH_RUNS runs, 5 by default):

- canteens.coverage.compute_coverage(): the whole city in one statement (GiST index on canteen.geom_4549),
  with the rollup to townships, counties and the city;
- peer 1, the naive loop: one ST_DWithin query per village from Python;
- peer 2, shapely: canteens and villages fetched in metres, an STRtree queried in Python.

All three must agree village by village. Goal (issue 6): the full-city computation in under 1 second.
"""

from __future__ import annotations

import random
import time

from bench._common import env_count, env_number, run_on_throwaway, timed

SCALE = env_number("BENCH_CANTEENS_SCALE", 25)
CANTEENS = env_count("BENCH_CANTEENS", 1010)
RUNS = env_count("BENCH_RUNS", 5)
GOAL_S = 1.0


def _build():
    from boundaries.demo import build_area_specs
    from boundaries.services import save_demo_areas
    from canteens.demo import create_demo_canteens

    started = time.perf_counter()
    save_demo_areas(build_area_specs(SCALE))
    canteens = create_demo_canteens(CANTEENS, random.Random("bench:canteens"))
    print(f"built scale {SCALE} areas and {len(canteens)} canteens in {time.perf_counter() - started:.1f} s")


def _naive_loop() -> set[str]:
    """Peer 1: what a per-village loop asks, one query each."""
    from boundaries.models import AdminArea
    from canteens import sql
    from canteens.coverage import walk_radii

    urban_m, rural_m = walk_radii()
    covered = set()
    villages = AdminArea.objects.at_level("village").exclude(service_point=None).values_list(
        "code", "service_point", "urban_rural_code")
    for code, point, urban_code in villages:
        if sql.village_is_covered(point.ewkt, urban_m if urban_code.startswith("1") else rural_m):
            covered.add(code)
    return covered


def _shapely_peer() -> set[str]:
    """Peer 2: every point in metres from PostGIS, the distance tests in Python with an STRtree."""
    import numpy as np
    import shapely

    from canteens import sql
    from canteens.coverage import walk_radii

    urban_m, rural_m = walk_radii()
    rows = sql.village_points(None, walk_urban_m=urban_m, walk_rural_m=rural_m)
    canteens = np.array(sql.open_canteen_points(), dtype=float)
    codes = [r[1] for r in rows]
    vxy = np.array([(r[7], r[8]) for r in rows])
    walk = np.array([r[6] for r in rows], dtype=float)
    reach = np.maximum(canteens[:, 2], 0)
    tree = shapely.STRtree(shapely.points(canteens[:, :2]))
    v_idx, c_idx = tree.query(shapely.points(vxy), predicate="dwithin", distance=max(walk.max(), reach.max()))
    distance = np.hypot(*(vxy[v_idx] - canteens[c_idx, :2]).T)
    ok = (distance <= walk[v_idx]) | (distance <= reach[c_idx])
    return {codes[i] for i in np.unique(v_idx[ok])}


def _plan_uses_the_index() -> bool:
    from django.db import connection

    from canteens import sql
    from canteens.coverage import walk_radii

    urban_m, rural_m = walk_radii()
    params = sql._radius_params(urban_m, rural_m, None)
    params["max_delivery_m"] = 5000.0
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql._render(sql._COVERAGE), params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    from canteens.models import Canteen

    names = [i.name for i in Canteen._meta.indexes if "geom_4549" in i.fields]
    return any(name in plan for name in names)


def _measure():
    from boundaries.models import AdminArea
    from canteens.coverage import compute_coverage
    from canteens.models import Canteen
    from canteens.siting import suggest_sites

    villages = AdminArea.objects.at_level("village").count()
    print(f"{villages} villages and communities, {Canteen.objects.count()} canteens "
          f"({Canteen.objects.open().count()} open, {Canteen.objects.open().delivering().count()} delivering)")
    compute_coverage()  # warm the caches once
    median, best, report = timed(compute_coverage, RUNS)
    ours = {v.code for v in report.villages if v.covered}
    print(f"one statement (compute_coverage): median {median * 1000:.0f} ms, best {best * 1000:.0f} ms "
          f"over {RUNS} runs; covered {len(ours)} ({report.total.rate_by_count:.2%} by count, "
          f"{report.total.rate_by_population:.2%} by elderly population); GiST index used: {_plan_uses_the_index()}")
    loop_s, _b, loop = timed(_naive_loop, 1)
    print(f"peer 1, one query per village: {loop_s * 1000:.0f} ms")
    shp_s, shp_best, shp = timed(_shapely_peer, RUNS)
    print(f"peer 2, shapely STRtree in Python: median {shp_s * 1000:.0f} ms")
    if not (ours == loop == shp):
        raise AssertionError(f"the peers disagree: {len(ours ^ loop)} villages vs the loop, "
                             f"{len(ours ^ shp)} vs shapely")
    print("all three agree village by village")
    print(f"ratio: per-village loop / one statement = {loop_s / median:.1f}x; "
          f"shapely / one statement = {shp_s / median:.2f}x (the shapely peer computes neither the nearest "
          f"canteen of uncovered villages nor the rollup by township and county)")
    siting_s, _b, plan = timed(lambda: suggest_sites(10, report=report), 3)
    print(f"siting, 10 greedy sites over {plan.candidates} candidates: median {siting_s * 1000:.0f} ms "
          f"(+{sum(s.added_elderly for s in plan.suggestions)} elderly people)")
    verdict = "meets" if median < GOAL_S else "MISSES"
    print(f"goal: full-city coverage under {GOAL_S:.0f} s: {verdict} ({median:.3f} s)")


def main():
    run_on_throwaway("canteens", _build, _measure)


if __name__ == "__main__":
    main()
