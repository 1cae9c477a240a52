"""Visibility from the road (issue 17): cemeteries.viewshed against gdal_viewshed, side by side in one run.

Run: .venv/bin/python -m bench.cemeteries   (knobs: BENCH_OBSERVERS=20, BENCH_CORRIDOR_KM=30, BENCH_SPACING=50,
     BENCH_RADIUS=5000; BENCH_SYNTHETIC_DEM=1 for a made-up terrain instead of the SRTM tile; BENCH_GRAVES=15000,
     BENCH_DASHBOARD_RUNS=40, BENCH_RUNS=3; BENCH_VIEWSHED=0 for the register's figures only)

The terrain is the SRTM clip of western Wenzhou in ../shared/data (EPSG:4326), reprojected once to EPSG:4549 at its
own cell size (about 93 m) and written to a temporary GeoTIFF that both tools read; without ../shared/data (or with
BENCH_SYNTHETIC_DEM=1) a synthetic terrain of hills stands in and the figures say so.
- 20 single observers (1.6 m eye, 0 m target): ours end to end (read, compute, write a GeoTIFF) and compute only,
  against a gdal_viewshed run each; agreement = share of the cells within the radius that both call the same.
- a corridor with an observer every 50 m (1.2 m eye, 1 m target: a grave mound): ours (one read of the DEM, the
  counts summed in memory) against gdal_viewshed run once per observer, each output read and summed.
Goals: >= 97% agreement for both; the corridor >= 3x faster than gdal_viewshed.

Then, on a throwaway database holding the demo's areas and BENCH_GRAVES demo graves (15,000: the 2023 figure) along
its expressway and national road with their zones:
- tagging every grave against every corridor band and zone (cemeteries.tagging.retag_all, set-based SQL in EPSG:4549)
  against a peer that computes the same tags in Python with shapely 2's vectorised distance and contains, the
  geometries read once; both must find the same inside tags;
- the campaign dashboard (progress, burn-down, townships: the whole page through Django's test client) for the city
  and for one township, BENCH_DASHBOARD_RUNS times each, p50/p95; its burn-down (one grouped query over the steps)
  against replaying every step of the campaign's graves in Python, the naive way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from bench._common import env_count, env_number, p50_p95, run_on_throwaway, timed

SHARED_DEM = Path(__file__).resolve().parents[1].parent / "shared" / "data" / (
    "wenzhou_west_srtm3_119.6-120.0E_27.2-28.0N.tif")
AGREEMENT_GOAL = 0.97
SPEED_GOAL = 3.0


def _metric_dem(folder: Path) -> tuple[Path, str]:
    import rasterio

    from cemeteries.viewshed import METRIC_CRS, Terrain, load_terrain, to_metric

    if SHARED_DEM.is_file() and os.environ.get("BENCH_SYNTHETIC_DEM") != "1":
        with rasterio.open(SHARED_DEM) as src:
            west, south, east, north = src.bounds
        xs, ys = to_metric([west, east, west, east], [south, south, north, north])
        terrain = load_terrain(SHARED_DEM, (max(xs[0], xs[2]), max(ys[0], ys[1]), min(xs[1], xs[3]),
                                            min(ys[2], ys[3])))
        what = f"SRTM 3\" of western Wenzhou ({SHARED_DEM.name}), reprojected to EPSG:4549"
    else:
        from affine import Affine

        rows, cols = 400, 400
        yy, xx = np.mgrid[0:rows, 0:cols] / 40.0
        heights = 300 + 200 * np.sin(xx) * np.cos(yy * 0.7) + 80 * np.sin(xx * 3.1 + yy * 2.3)
        terrain = Terrain(heights, Affine(92.0, 0, 480_000, 0, -92.0, 3_060_000), 92.0)
        what = "a synthetic terrain of hills (../shared/data absent or BENCH_SYNTHETIC_DEM=1)"
    path = folder / "dem_4549.tif"
    rows, cols = terrain.heights.shape
    with rasterio.open(path, "w", driver="GTiff", width=cols, height=rows, count=1, dtype="float32", crs=METRIC_CRS,
                       transform=terrain.transform, nodata=-32768.0) as dst:
        dst.write(np.nan_to_num(terrain.heights, nan=-32768.0).astype("float32"), 1)
    return path, what


def _gdal(dem: Path, x: float, y: float, eye: float, target: float, radius: float, out: Path):
    import rasterio

    subprocess.run(["gdal_viewshed", "-q", "-oz", str(eye), "-tz", str(target), "-md", str(radius), "-ox", f"{float(x):.6f}",
                    "-oy", f"{float(y):.6f}", str(dem), str(out)], check=True, capture_output=True)
    with rasterio.open(out) as src:
        return src.read(1) == 255, src.transform


def _add(into: np.ndarray, seen: np.ndarray, transform, terrain) -> None:
    """Adds gdal_viewshed's output (its own window of the DEM) into an array on the terrain's grid, clipped to it."""
    col, row = (round(v) for v in ~terrain.transform @ (transform.c, transform.f))
    r0, c0 = max(row, 0), max(col, 0)
    r1, c1 = min(row + seen.shape[0], into.shape[0]), min(col + seen.shape[1], into.shape[1])
    if r1 > r0 and c1 > c0:
        into[r0:r1, c0:c1] += seen[r0 - row:r1 - row, c0 - col:c1 - col]


def main() -> None:
    if os.environ.get("BENCH_VIEWSHED", "1") != "0":  # 0: the register's figures only
        viewsheds()
    graves, runs = env_count("BENCH_GRAVES", 15_000), env_count("BENCH_DASHBOARD_RUNS", 40)
    run_on_throwaway("cemeteries", lambda: _register(graves), lambda: _tagging(), lambda: _dashboard(runs))


def viewsheds() -> None:
    import rasterio

    from cemeteries.viewshed import (
        OUTSIDE,
        VISIBLE,
        corridor_points,
        corridor_terrain,
        corridor_visibility,
        load_terrain,
        viewshed,
        visible_cells,
    )

    observers = env_count("BENCH_OBSERVERS", 20)
    corridor_m = env_number("BENCH_CORRIDOR_KM", 30) * 1000
    spacing = env_number("BENCH_SPACING", 50)
    radius = env_number("BENCH_RADIUS", 5000)
    gdal = shutil.which("gdal_viewshed")
    with tempfile.TemporaryDirectory(prefix="bench_cemeteries_") as folder:
        folder = Path(folder)
        dem, what = _metric_dem(folder)
        with rasterio.open(dem) as src:
            full = load_terrain(dem, src.bounds)
        print(f"terrain: {what}: {full.heights.shape[1]} x {full.heights.shape[0]} cells of {full.cell:.2f} m; "
              f"radius {radius:.0f} m; {os.cpu_count()} cores; gdal_viewshed: {gdal or 'absent'}")
        rng = np.random.default_rng(17)
        rows, cols = full.heights.shape
        margin = int(radius / full.cell) + 1
        cells = []
        while len(cells) < observers:
            r, c = rng.integers(margin, rows - margin), rng.integers(margin, cols - margin)
            if not np.isnan(full.heights[r, c]):
                cells.append((int(r), int(c)))
        from pyproj import Transformer

        to_lonlat = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True)
        ours_s, compute_s, theirs_s, agree, total = 0.0, 0.0, 0.0, 0, 0
        for r, c in cells:
            x, y = full.transform @ (c + 0.5, r + 0.5)
            lon, lat = to_lonlat.transform(x, y)
            started = time.perf_counter()
            viewshed(dem, lon, lat, 1.6, 0.0, radius, folder / "ours.tif")
            ours_s += time.perf_counter() - started
            started = time.perf_counter()
            out, rs, cs = visible_cells(full, r, c, 1.6, 0.0, radius)
            compute_s += time.perf_counter() - started
            if gdal:
                started = time.perf_counter()
                seen, transform = _gdal(dem, x, y, 1.6, 0.0, radius, folder / "gdal.tif")
                theirs_s += time.perf_counter() - started
                theirs = np.zeros(full.heights.shape, dtype=np.uint8)
                _add(theirs, seen, transform, full)
                inside = out != OUTSIDE
                agree += int(((out == VISIBLE) == (theirs[rs, cs] > 0))[inside].sum())
                total += int(inside.sum())
        n = len(cells)
        print(f"\n{n} single observers (eye 1.6 m, target 0 m, radius {radius:.0f} m):")
        print(f"  ours end to end (read, reproject if needed, compute, write): {1000 * ours_s / n:8.1f} ms/observer")
        print(f"  ours compute only:                                            {1000 * compute_s / n:8.1f} ms/observer")
        if gdal:
            print(f"  gdal_viewshed (a process each):                               {1000 * theirs_s / n:8.1f} ms/observer"
                  f"  -> ours {theirs_s / ours_s:.1f}x faster end to end, {theirs_s / compute_s:.0f}x compute only")
            share = agree / total
            print(f"  agreement: {100 * share:.3f}% of {total:,} cells within the radius")
            print(f"  goal >= {100 * AGREEMENT_GOAL:.0f}% agreement: {'met' if share >= AGREEMENT_GOAL else 'NOT met'}")

        # the corridor: a straight road through the middle, 70 degrees from east
        cx, cy = full.transform @ (cols / 2, rows / 2)
        half = corridor_m / 2
        dx, dy = np.cos(np.radians(70)) * half, np.sin(np.radians(70)) * half
        points = corridor_points(np.array([[cx - dx, cy - dy], [cx + dx, cy + dy]]), spacing)
        started = time.perf_counter()
        terrain = corridor_terrain(dem, points, radius)
        counts = corridor_visibility(terrain, points, target_height=1.0, radius=radius, observer_height=1.2)
        ours_corridor = time.perf_counter() - started
        print(f"\ncorridor of {corridor_m / 1000:.1f} km, an observer every {spacing:.0f} m ({len(points)} observers; "
              f"eye 1.2 m, target 1 m, radius {radius:.0f} m):")
        print(f"  ours (one read, counts summed in memory): {ours_corridor:8.2f} s "
              f"({1000 * ours_corridor / len(points):.1f} ms/observer); "
              f"cells seen by at least one: {(counts > 0).sum():,}, most observers on one cell: {counts.max()}")
        if not gdal:
            print("  gdal_viewshed absent: no comparison")
            return
        theirs = np.zeros(terrain.heights.shape, dtype=np.uint16)
        reach = np.zeros(terrain.heights.shape, dtype=bool)  # cells within the radius of some observer
        started = time.perf_counter()
        for x, y in points:
            seen, transform = _gdal(dem, x, y, 1.2, 1.0, radius, folder / "gdal.tif")
            _add(theirs, seen, transform, terrain)
        theirs_corridor = time.perf_counter() - started
        for x, y in points:
            out, rs, cs = visible_cells(terrain, *terrain.cell_of(x, y), 1.2, 1.0, radius)
            reach[rs, cs] |= out != OUTSIDE
        same = (counts == theirs)[reach].mean()
        same_any = ((counts > 0) == (theirs > 0))[reach].mean()
        pairs_off = np.abs(counts.astype(int) - theirs.astype(int))[reach].sum() / max(1, int(counts[reach].sum()))
        ratio = theirs_corridor / ours_corridor
        print(f"  gdal_viewshed x {len(points)} (a process each, outputs read and summed): {theirs_corridor:8.2f} s "
              f"-> ours {ratio:.1f}x faster")
        print(f"  agreement over the {int(reach.sum()):,} cells within reach: same count {100 * same:.3f}%, "
              f"same seen/unseen {100 * same_any:.3f}%; |count difference| / our sightings {100 * pairs_off:.3f}%")
        print(f"  goal >= {SPEED_GOAL:.0f}x faster: {'met' if ratio >= SPEED_GOAL else 'NOT met'}; "
              f"goal >= {100 * AGREEMENT_GOAL:.0f}% agreement (same count): "
              f"{'met' if same >= AGREEMENT_GOAL else 'NOT met'}")


# -- the register at the city's scale ------------------------------------------------------------------------------
def _register(count: int) -> None:
    from django.utils.module_loading import autodiscover_modules

    from boundaries.demo import DemoContext, builders
    from cemeteries.demo import build_demo_graves

    autodiscover_modules("demo")
    ctx = DemoContext(scale=1.0, seed=330300, log=lambda m: print("  " + m, flush=True))
    started = time.perf_counter()
    for builder in builders():
        if builder.name in ("boundaries.areas", "accounts.users"):
            builder.fn(ctx)
    build_demo_graves(ctx, count, visibility=False)
    print(f"\nregister: {count:,} demo graves, their steps, zones and a campaign in {time.perf_counter() - started:.1f} s",
          flush=True)
    from django.db import connection

    with connection.cursor() as cursor:  # the planner's statistics, as autovacuum keeps them on a database in use
        cursor.execute("ANALYZE")


def _inside_tags_sql() -> set[tuple]:
    from cemeteries.models import GraveTag

    return {(t[0], "c", t[1]) if t[1] else (t[0], "z", t[2])
            for t in GraveTag.objects.filter(inside=True).values_list("grave_id", "corridor_id", "zone_id")}


def _inside_tags_shapely() -> set[tuple]:
    """The peer: the same inside tags from the geometries read once, with shapely 2's vectorised predicates."""
    import shapely

    from cemeteries.models import Corridor, Grave, Zone

    ids, xy = zip(*((pk, (g.x, g.y)) for pk, g in Grave.objects.values_list("pk", "geom_4549")), strict=True)
    ids, xy = np.array(ids), np.array(xy)
    points = shapely.points(xy)
    found = set()
    for corridor in Corridor.objects.all():
        line = shapely.from_wkb(bytes(corridor.geom_4549.wkb))
        inside = shapely.dwithin(line, points, corridor.band_m)
        found |= {(int(pk), "c", corridor.pk) for pk in ids[inside]}
    for zone in Zone.objects.all():
        area = shapely.from_wkb(bytes(zone.geom_4549.wkb))
        shapely.prepare(area)
        inside = shapely.intersects_xy(area, xy[:, 0], xy[:, 1])
        found |= {(int(pk), "z", zone.pk) for pk in ids[inside]}
    return found


def _tagging() -> None:
    from cemeteries.models import Corridor, Grave, Zone
    from cemeteries.tagging import retag_all

    graves, corridors, zones = Grave.objects.count(), Corridor.objects.count(), Zone.objects.count()
    runs = env_count("BENCH_RUNS", 3)
    ours, _best, _r = timed(retag_all, runs)
    theirs, _best, peer = timed(_inside_tags_shapely, runs)
    same = _inside_tags_sql() == peer
    print(f"\ntagging {graves:,} graves against {corridors} corridors and {zones} zones (median of {runs}):")
    print(f"  ours, retag_all (set-based SQL, distances to every road within reach too): {1000 * ours:8.1f} ms")
    print(f"  peer, shapely 2 vectorised (inside tags only, geometries read once):   {1000 * theirs:8.1f} ms"
          f"  -> ours {theirs / ours:.2f}x the peer's speed")
    print(f"  the same inside tags: {'yes' if same else 'NO'} ({len(peer):,})")


def _naive_burndown(campaign) -> list[int]:
    """The peer: every step of the campaign's graves replayed in Python, week by week."""
    import datetime as dt

    from cemeteries.campaigns import DONE
    from cemeteries.models import GraveStep

    steps = list(GraveStep.objects.filter(grave__in=campaign.graves.all()).order_by("at", "pk")
                 .values_list("grave_id", "to_state", "at"))
    ends = [campaign.starts_on + dt.timedelta(days=d) for d in range(0, (campaign.deadline - campaign.starts_on).days, 7)]
    out = []
    for end in [*ends, campaign.deadline]:
        state = {}
        for grave, to_state, at in steps:
            if at.date() <= end:
                state[grave] = to_state
        out.append(campaign.target - sum(1 for s in state.values() if s in DONE))
    return out


def _dashboard(runs: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from cemeteries.campaign_models import Campaign
    from cemeteries.campaigns import burndown, township_choices

    campaign = Campaign.objects.get()
    user = get_user_model().objects.get(username="city_reviewer")
    client = Client()
    client.force_login(user)
    township = township_choices(campaign, user)[0][0]
    url = reverse("cemeteries:campaign", args=[campaign.pk])
    print(f"\ncampaign dashboard: {campaign.graves.count():,} graves, {runs} requests each:")
    for label, query in (("the city", ""), ("one township", f"?township={township}")):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url + query)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        p50, p95 = p50_p95(times)
        print(f"  {label:13s} page (progress, burn-down, townships, rendered): p50 {1000 * p50:7.1f} ms, "
              f"p95 {1000 * p95:7.1f} ms")
    ours, _best, chart = timed(lambda: burndown(campaign, user), max(3, runs // 4))
    theirs, _best, naive = timed(lambda: _naive_burndown(campaign), max(3, runs // 4))
    actual = [a for a in chart["actual"] if a is not None]
    print(f"  burn-down: ours (one grouped query over the steps) {1000 * ours:7.1f} ms; peer (every step replayed in "
          f"Python) {1000 * theirs:7.1f} ms -> ours {theirs / ours:.1f}x faster; same figures: "
          f"{'yes' if actual == naive[:len(actual)] else 'NO'}")


if __name__ == "__main__":
    main()
