"""Where the next canteens should go: greedy maximal coverage of the uncovered elderly population.

Each candidate site (by default the service point of every village in scope; or points given by the caller)
reaches the uncovered villages whose service point lies within *their* walking radius of it, the same rule a
new, non-delivering open canteen would meet in canteens.coverage. The greedy step picks the site that adds the
most uncovered elderly people (then the most villages, then the lowest code), marks what it reaches as covered,
and repeats. The first pick is therefore the best single site; greedy maximal coverage is within 1 - 1/e of the
best set of N sites.

Coordinates come in metres from PostGIS (EPSG:4549); the candidate-to-village pairs are found with a shapely
STRtree, because neither side has a stored, indexed metric column to join on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from django.utils.translation import gettext as _

from canteens import sql
from canteens.coverage import CoverageReport, Tally, compute_coverage, walk_radii
from gis.errors import InputError

MAX_SUGGESTIONS = 50


@dataclass(frozen=True)
class Candidate:
    key: str  # a village code, or "P1", "P2"... for points given by the caller
    label: str
    x: float  # EPSG:4549 metres
    y: float


@dataclass
class Suggestion:
    rank: int
    candidate: Candidate
    reached: list[str]  # codes of the villages this site newly covers
    added_villages: int
    added_elderly: int
    after: Tally  # the scope's coverage once this site and the ones ranked before it are added


@dataclass
class _Target:
    code: str
    elderly: int
    walk_m: float
    x: float
    y: float


@dataclass
class SitingPlan:
    suggestions: list[Suggestion] = field(default_factory=list)
    candidates: int = 0
    uncovered_villages: int = 0
    uncovered_elderly: int = 0


def suggest_sites(n: int, prefixes: tuple[str, ...] | None = None, *, points=None,
                  report: CoverageReport | None = None) -> SitingPlan:
    """The next ``n`` canteen sites in the scope of ``prefixes``.

    ``points`` are candidate GEOS points with an SRID (labelled P1, P2...); without them every village service
    point in scope is a candidate. ``report`` reuses a coverage already computed for the same scope.
    """
    if not 1 <= n <= MAX_SUGGESTIONS:
        raise InputError(_("The number of suggestions must lie between 1 and %(most)d.") % {"most": MAX_SUGGESTIONS}, where={"n": n})
    report = report or compute_coverage(prefixes)
    urban_m, rural_m = walk_radii()
    rows = sql.village_points(prefixes, walk_urban_m=urban_m, walk_rural_m=rural_m)
    uncovered = {v.code for v in report.uncovered}
    targets = [_Target(code, int(elderly), float(walk), x, y)
               for _id, code, _name, _t, _c, elderly, walk, x, y in rows if code in uncovered]
    candidates = _candidates(rows, points)
    reach = _reach(candidates, targets)
    plan = SitingPlan(candidates=len(candidates), uncovered_villages=len(targets),
                      uncovered_elderly=sum(t.elderly for t in targets))
    plan.suggestions = _greedy(n, candidates, targets, reach, report)
    return plan


def _candidates(rows, points) -> list[Candidate]:
    if points:
        metres = sql.points_in_metres(points)
        return [Candidate(f"P{i}", f"P{i}", x, y) for i, (x, y) in enumerate(metres, start=1)]
    return [Candidate(code, f"{county}{township}{name}", x, y)
            for _id, code, name, township, county, _e, _w, x, y in rows]


def _reach(candidates: list[Candidate], targets: list[_Target]) -> list[list[int]]:
    """For each candidate, the indexes of the targets within their own walking radius of it."""
    reach: list[list[int]] = [[] for _ in candidates]
    if not candidates or not targets:
        return reach
    target_xy = np.array([(t.x, t.y) for t in targets])
    target_walk = np.array([t.walk_m for t in targets])
    cand_xy = np.array([(c.x, c.y) for c in candidates])
    tree = shapely.STRtree(shapely.points(target_xy))
    cand_idx, target_idx = tree.query(shapely.points(cand_xy), predicate="dwithin", distance=target_walk.max())
    distance = np.hypot(*(cand_xy[cand_idx] - target_xy[target_idx]).T)
    keep = distance <= target_walk[target_idx]
    for c, t in zip(cand_idx[keep].tolist(), target_idx[keep].tolist(), strict=True):
        reach[c].append(t)
    return reach


def _greedy(n, candidates, targets, reach, report: CoverageReport) -> list[Suggestion]:
    covered = np.zeros(len(targets), dtype=bool)
    elderly = np.array([t.elderly for t in targets], dtype=np.int64)
    covered_villages, covered_elderly = report.total.covered_villages, report.total.covered_elderly
    out: list[Suggestion] = []
    for rank in range(1, n + 1):
        best, best_key = None, (0, 0)
        for i, reached in enumerate(reach):
            fresh = [t for t in reached if not covered[t]]
            key = (int(elderly[fresh].sum()) if fresh else 0, len(fresh))
            # Candidates come ordered by code, so the first of equal gains is kept.
            if key > best_key:
                best, best_key = i, key
        if best is None:
            break
        fresh = [t for t in reach[best] if not covered[t]]
        covered[fresh] = True
        covered_villages += len(fresh)
        covered_elderly += best_key[0]
        after = Tally(villages=report.total.villages, covered_villages=covered_villages,
                      elderly=report.total.elderly, covered_elderly=covered_elderly)
        out.append(Suggestion(rank, candidates[best], sorted(targets[t].code for t in fresh), len(fresh),
                              best_key[0], after))
    return out
