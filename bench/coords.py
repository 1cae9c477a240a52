"""WGS84 <-> GCJ-02 / BD-09 throughput: gis.coords (numpy) against prcoords (pure Python, per point).

Run: .venv/bin/python -m bench.coords   (BENCH_QUICK=1 for 100,000 points instead of 1,000,000,
     or BENCH_POINTS)

prcoords is timed on a sample and its per-point rate extrapolated, as the output says. Its inverses are
compared with its iterated ("bored") functions, the ones that, like ours, iterate towards an exact answer.
Goals (issue 3): at least 25x prcoords forward and inverse; 1,000,000 points forward, in_china included,
in under a second on the 2-core machine.
"""

from __future__ import annotations

import os
import time

import numpy as np

from bench._common import env_count
from gis import coords
from gis.china import mainland_mask, mainland_points

RUNS = 5  # best of: other work on a 2-core machine makes single runs noisy
RATIO_GOAL = 25.0
FORWARD_GOAL_S = 1.0


def _best_of(runs: int, call) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def _prcoords_rate(function, lon: np.ndarray, lat: np.ndarray) -> float:
    pairs = list(zip(lat.tolist(), lon.tolist(), strict=True))  # prcoords takes (lat, lon)
    seconds = _best_of(2, lambda: [function(p) for p in pairs])
    return len(pairs) / seconds


def _cases(prcoords, lon, lat):
    """(name, our function, its input, prcoords function or None)."""
    gcj = coords.wgs84_to_gcj02(lon, lat)
    bd = coords.wgs84_to_bd09(lon, lat)
    return [
        ("wgs84 -> gcj02", coords.wgs84_to_gcj02, (lon, lat), prcoords and prcoords.wgs_gcj),
        ("wgs84 -> bd09", coords.wgs84_to_bd09, (lon, lat), prcoords and prcoords.wgs_bd),
        ("gcj02 -> wgs84 (exact)", coords.gcj02_to_wgs84, gcj, prcoords and prcoords.gcj_wgs_bored),
        ("bd09 -> wgs84 (exact)", coords.bd09_to_wgs84, bd, prcoords and prcoords.bd_wgs_bored),
    ]


def main() -> None:
    quick = os.environ.get("BENCH_QUICK") == "1"
    count = env_count("BENCH_POINTS", 100_000 if quick else 1_000_000)
    sample = min(count, 20_000 if quick else 50_000)
    try:
        import prcoords
    except ImportError:
        prcoords = None

    started = time.perf_counter()
    mask = mainland_mask()
    print(f"mainland mask built once in {time.perf_counter() - started:.3f} s "
          f"({mask.nx} x {mask.ny} cells of {mask.cell} deg)")
    lon, lat = mainland_points(count, seed=1)
    coords.wgs84_to_gcj02(lon, lat)  # start the worker threads
    peer = f"timed on {sample:,} of them, per-point rate extrapolated" if prcoords else "not installed"
    print(f"{count:,} random points inside the mainland polygon; {os.cpu_count()} cores; "
          f"best of {RUNS} runs; prcoords {peer}")
    print(f"{'':24} {'gis.coords pts/s':>17} {'prcoords pts/s':>15} {'ratio':>7} {'time for all':>13}")
    ratios = []
    for name, ours, args, theirs in _cases(prcoords, lon, lat):
        seconds = _best_of(RUNS, lambda ours=ours, args=args: ours(*args))
        rate = count / seconds
        if theirs:
            their_rate = _prcoords_rate(theirs, args[0][:sample], args[1][:sample])
            ratios.append(rate / their_rate)
            print(f"{name:24} {rate:17,.0f} {their_rate:15,.0f} {rate / their_rate:6.1f}x {seconds:12.3f}s")
        else:
            print(f"{name:24} {rate:17,.0f} {'-':>15} {'-':>7} {seconds:12.3f}s")

    in_china_s = _best_of(RUNS, lambda: coords.in_china(lon, lat))
    forward_s = _best_of(RUNS, lambda: coords.wgs84_to_gcj02(lon, lat))
    w_lon, w_lat = mainland_points(count, box=(119.6, 27.0, 121.3, 28.6), seed=2)
    wenzhou_s = _best_of(RUNS, lambda: coords.wgs84_to_gcj02(w_lon, w_lat))
    back = coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(lon, lat))
    bd_back = coords.bd09_to_wgs84(*coords.wgs84_to_bd09(lon, lat))
    error = max(np.abs(back[0] - lon).max(), np.abs(back[1] - lat).max())
    bd_error = max(np.abs(bd_back[0] - lon).max(), np.abs(bd_back[1] - lat).max())

    per_million = 1_000_000 / count
    print(f"in_china alone: {in_china_s:.3f} s for {count:,} points")
    print(f"{count:,} points wgs84 -> gcj02 forward, in_china included: {forward_s:.3f} s (mainland), "
          f"{wenzhou_s:.3f} s (Wenzhou); per 1,000,000: {forward_s * per_million:.3f} s")
    print(f"max round-trip error on these points: gcj02 {error:.1e} deg, bd09 {bd_error:.1e} deg")
    if ratios:
        verdict = "met" if min(ratios) >= RATIO_GOAL else "NOT met"
        print(f"goal >= {RATIO_GOAL:.0f}x prcoords forward and inverse: {verdict} (lowest {min(ratios):.1f}x)")
    verdict = "met" if forward_s * per_million < FORWARD_GOAL_S else "NOT met"
    print(f"goal 1,000,000 points forward in < {FORWARD_GOAL_S:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
