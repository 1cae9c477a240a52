"""Topology checks over the whole demo city: the set-based PostGIS statements against a naive shapely peer, in the
same run.

Run: .venv/bin/python -m bench.boundaries   (BENCH_BOUNDARIES_SCALE=42 is a full Wenzhou, the default)

Builds its own throwaway database ``diming_bench_boundaries`` holding the demo city's areas at the scale asked
(every county, township and village), plants a few problems (a village grown into its neighbours, one shrunk away
from them, a township pushed out of its county), then times (BENCH_RUNS, 3 by default):

- boundaries.topology.find_problems(): gaps and overlaps between siblings and areas sticking out of their parent:
  one statement finds the parents that their children tile exactly (their outlines cancel out where they meet) and
  their gaps; the other parents' children are tested pair by pair over the GiST-indexed && join;
- the naive peer: every area fetched, densified and projected as ours measures, and each pair of sibling areas
  tested in Python with shapely (intersects, then the intersection's area), each parent against the union of its
  children, each child against its parent.

Both must find the same problems. Goal (issue 16): at least 20x faster than the peer.
"""

from __future__ import annotations

import time
from collections import defaultdict

from bench._common import env_count, env_number, run_on_throwaway, timed

SCALE = env_number("BENCH_BOUNDARIES_SCALE", 42)
RUNS = env_count("BENCH_RUNS", 3)
GOAL = 20.0


def _build() -> None:
    from boundaries.demo import build_area_specs
    from boundaries.services import save_demo_areas

    started = time.perf_counter()
    save_demo_areas(build_area_specs(SCALE))
    _plant()
    print(f"built scale {SCALE} areas in {time.perf_counter() - started:.1f} s")


def _plant() -> None:
    """A village grown 40 m into its neighbours, another shrunk 40 m away from them, a township pushed out."""
    from django.contrib.gis.geos import GEOSGeometry, MultiPolygon

    from boundaries.models import AdminArea
    from gis.crs import METRIC_SRID, STORAGE_SRID, transform_geometry

    villages = list(AdminArea.objects.at_level("village").filter(code12__startswith="330302").order_by("code12"))
    township = AdminArea.objects.at_level("township").filter(code12__startswith="330329").order_by("code12").first()
    for area, metres in ((villages[len(villages) // 3], 40), (villages[2 * len(villages) // 3], -40), (township, 0)):
        metric = transform_geometry(area.geom, dst=METRIC_SRID)
        if metres:
            changed = metric.buffer(metres)
        else:
            from django.contrib.gis.geos import Point

            west = min(metric[0].exterior_ring.coords, key=lambda c: c[0])
            changed = metric.union(Point(west[0] - 300, west[1], srid=METRIC_SRID).buffer(250))
        geom = transform_geometry(changed, dst=STORAGE_SRID)
        area.geom = geom if geom.geom_type == "MultiPolygon" else MultiPolygon(GEOSGeometry(geom.wkt, srid=4490))
        area.save()


def _ours() -> set[tuple]:
    from boundaries.topology import find_problems

    return {_key(p.kind, p.parent_id, p.area_a_id, p.area_b_id) for p in find_problems(lines=[])}


def _key(kind, parent, a, b) -> tuple:
    if kind == "gap":
        return (kind, parent)
    if kind == "overlap":
        return (kind, parent, *sorted((a, b)))
    return (kind, parent, a)


def _naive() -> set[tuple]:
    """Each pair of sibling areas in Python with shapely, no spatial index, no set-based SQL."""
    import shapely

    from boundaries.models import AdminArea
    from boundaries.topology import MIN_AREA_M2
    from gis.crs import METRIC_SRID, transform_geometry

    shapes, parent_of = {}, {}
    for pk, parent, geom in AdminArea.objects.exclude(geom=None).values_list("pk", "parent_id", "geom"):
        dense = shapely.segmentize(shapely.from_wkb(bytes(geom.wkb)), 0.0005)
        shapes[pk] = transform_geometry(dense, src=4490, dst=METRIC_SRID)
        parent_of[pk] = parent
    children = defaultdict(list)
    for pk, parent in parent_of.items():
        if parent is not None:
            children[parent].append(pk)
    found = set()
    for parent, kids in children.items():
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                if shapes[a].intersects(shapes[b]) and shapes[a].intersection(shapes[b]).area > MIN_AREA_M2:
                    found.add(_key("overlap", parent, a, b))
        if parent in shapes:
            rest = shapes[parent].difference(shapely.union_all([shapes[k] for k in kids]))
            if any(piece.area > MIN_AREA_M2 for piece in getattr(rest, "geoms", [rest])):
                found.add(_key("gap", parent, None, None))
            for kid in kids:
                if shapes[kid].difference(shapes[parent]).area > MIN_AREA_M2:
                    found.add(_key("outside_parent", parent, kid, None))
    return found


def _measure() -> None:
    from boundaries.models import AdminArea

    counts = {level: AdminArea.objects.at_level(level).count() for level in ("county", "township", "village")}
    print("areas: " + ", ".join(f"{n} {level}" for level, n in counts.items()))
    _ours()  # warm the caches once
    ours_s, _best, ours = timed(_ours, RUNS)
    print(f"PostGIS, set-based statements: median {ours_s:.2f} s over {RUNS} runs; "
          f"{len(ours)} problems: {sorted({k[0] for k in ours})}")
    naive_s, _best, naive = timed(_naive, 1)
    print(f"naive peer, each pair of siblings with shapely: {naive_s:.2f} s")
    if ours != naive:
        raise AssertionError(f"the peers disagree: only ours {sorted(ours - naive)[:5]}, "
                             f"only the peer {sorted(naive - ours)[:5]}")
    print("both find the same problems")
    ratio = naive_s / ours_s
    print(f"ratio: naive / PostGIS = {ratio:.1f}x; goal >= {GOAL:.0f}x: {'meets' if ratio >= GOAL else 'MISSES'}")


def main():
    run_on_throwaway("boundaries", _build, _measure)


if __name__ == "__main__":
    main()
