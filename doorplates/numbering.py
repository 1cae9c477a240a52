"""Numbering along a road (门牌编号): chainage, side, parity, suggested numbers, road checks, renumbering.

All measuring happens in EPSG:4549 (CGCS2000 Gauss-Kruger CM 120E), in metres. The chainage of an entrance is
its distance along the road from the numbering start (ST_LineLocatePoint times the length); its side is the
sign of the cross product of the road's direction on the nearest segment and the vector to the entrance:
positive is the left. Common practice is 左单右双 (odd numbers on the left facing the numbering direction),
but direction and parity are set per road (``RoadNumbering``). One number is reserved per ``spacing_m`` metres
of frontage on each side, so later entrances find a free number between their neighbours; when none is left an
infill number (88号之一) follows the lower neighbour.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from doorplates.addresses import HouseNumber
from gis.crs import METRIC_SRID, STORAGE_SRID, transform_xy


@dataclass(frozen=True)
class RoadLine:
    """A road line in metres, oriented in its numbering direction."""

    line: shapely.LineString
    coords: np.ndarray  # (n, 2) vertices
    cumulative: np.ndarray  # chainage at each vertex

    @classmethod
    def of(cls, geom, reverse: bool = False) -> RoadLine:
        """From a GEOS or shapely line in EPSG:4490 (a multi-line is merged; its longest piece is used)."""
        shape = shapely.from_wkb(bytes(geom.wkb)) if hasattr(geom, "srid") and hasattr(geom, "ewkt") else geom
        shape = shapely.line_merge(shape) if shape.geom_type == "MultiLineString" else shape
        if shape.geom_type == "MultiLineString":
            shape = max(shape.geoms, key=lambda g: g.length)
        if shape.geom_type != "LineString":
            raise ValueError(f"a road must be a line, not {shape.geom_type}")
        xy = np.asarray(shape.coords)[:, :2]
        x, y = transform_xy(xy[:, 0], xy[:, 1], STORAGE_SRID, METRIC_SRID)
        coords = np.column_stack([x, y])
        if reverse:
            coords = coords[::-1].copy()
        steps = np.hypot(*np.diff(coords, axis=0).T)
        keep = np.concatenate([[True], steps > 0])  # repeated vertices make zero-length segments
        coords = coords[keep]
        cumulative = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(coords, axis=0).T))])
        return cls(shapely.LineString(coords), coords, cumulative)

    @property
    def length(self) -> float:
        return float(self.cumulative[-1])

    def locate(self, x, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Chainage (m), side (+1 left, -1 right) and distance (m) of metric points (arrays)."""
        x, y = np.atleast_1d(np.asarray(x, dtype=float)), np.atleast_1d(np.asarray(y, dtype=float))
        points = shapely.points(x, y)
        chainage = shapely.line_locate_point(self.line, points)
        distance = shapely.distance(self.line, points)
        segment = np.clip(np.searchsorted(self.cumulative, chainage, side="right") - 1, 0, len(self.coords) - 2)
        segment = self._nearest_of_neighbours(segment, chainage, x, y)
        start, end = self.coords[segment], self.coords[segment + 1]
        cross = (end[:, 0] - start[:, 0]) * (y - start[:, 1]) - (end[:, 1] - start[:, 1]) * (x - start[:, 0])
        return chainage, np.where(cross >= 0, 1, -1), distance

    def _nearest_of_neighbours(self, segment, chainage, x, y):
        """At a vertex the point may belong to the segment before it: take the nearer of the two."""
        at_vertex = np.isclose(chainage, self.cumulative[segment]) & (segment > 0)
        if not at_vertex.any():
            return segment
        prev = segment - 1
        d_this = _segment_distance(self.coords[segment], self.coords[segment + 1], x, y)
        d_prev = _segment_distance(self.coords[prev], self.coords[prev + 1], x, y)
        return np.where(at_vertex & (d_prev < d_this), prev, segment)

    def locate_lonlat(self, lon, lat):
        x, y = transform_xy(lon, lat, STORAGE_SRID, METRIC_SRID)
        return self.locate(x, y)

    def point_at(self, chainage: float, offset: float) -> tuple[float, float]:
        """The metric point ``offset`` metres left (positive) of the road at ``chainage``."""
        i = int(np.clip(np.searchsorted(self.cumulative, chainage, side="right") - 1, 0, len(self.coords) - 2))
        start, end = self.coords[i], self.coords[i + 1]
        direction = (end - start) / np.hypot(*(end - start))
        base = start + direction * (chainage - self.cumulative[i])
        normal = np.array([-direction[1], direction[0]])
        return tuple(base + normal * offset)


def _segment_distance(a, b, x, y):
    ab = b - a
    t = np.clip(((x - a[:, 0]) * ab[:, 0] + (y - a[:, 1]) * ab[:, 1]) / np.maximum((ab ** 2).sum(axis=1), 1e-12), 0, 1)
    return np.hypot(a[:, 0] + t * ab[:, 0] - x, a[:, 1] + t * ab[:, 1] - y)


SIDE_NAMES = {1: "left", -1: "right"}


@dataclass(frozen=True)
class Rules:
    """A road's numbering settings as plain values (from RoadNumbering)."""

    reversed: bool = False
    odd_side: str = "left"
    spacing_m: float = 4.0
    max_offset_m: float = 60.0
    infill_style: str = "zhi"

    @classmethod
    def of(cls, numbering) -> Rules:
        return cls(numbering.reversed, numbering.odd_side, numbering.spacing_m, numbering.max_offset_m,
                   numbering.infill_style)

    def parity(self, side: str) -> int:
        return 1 if side == self.odd_side else 0

    def reserve_number(self, chainage: float, parity: int) -> int:
        """The number reserved for an entrance at ``chainage`` when numbers follow frontage: 1, 3, 5 ... every spacing."""
        k = max(0, math.floor((chainage + 1e-3) / self.spacing_m))  # a millimetre short of 100 m is 100 m
        return 2 * k + (1 if parity else 2)


@dataclass
class Position:
    """Where a plate stands on its road."""

    key: object  # the plate (or any caller's handle)
    number: HouseNumber
    chainage_m: float
    side: str
    offset_m: float
    is_door: bool = True


def positions_of(line: RoadLine, items: list[tuple[object, HouseNumber, float, float, bool]]) -> list[Position]:
    """Positions for (key, number, lon, lat, is_door) items, in one vectorised call."""
    if not items:
        return []
    lon = np.array([i[2] for i in items])
    lat = np.array([i[3] for i in items])
    chainage, side, offset = line.locate_lonlat(lon, lat)
    return [Position(item[0], item[1], float(c), SIDE_NAMES[int(s)], float(o), item[4])
            for item, c, s, o in zip(items, chainage, side, offset, strict=True)]


# --- suggested numbers -------------------------------------------------------------------------------

@dataclass
class Suggestion:
    number: HouseNumber
    side: str
    chainage_m: float
    offset_m: float
    reason: str  # first_on_side, after_last, before_first, between, infill, annex
    before: Position | None = None
    after: Position | None = None


def suggest(line: RoadLine, rules: Rules, existing: list[Position], lon: float, lat: float) -> Suggestion:
    """A number for a new entrance at (lon, lat) consistent with the numbers already on the road."""
    chainage, side, offset = (float(v[0]) for v in line.locate_lonlat(lon, lat))
    side_name = SIDE_NAMES[int(side)]
    parity = rules.parity(side_name)
    taken = {p.number.key for p in existing}
    sequence = sorted((p for p in existing if p.is_door and p.number.sub == 0 and not p.number.annex
                       and p.number.number % 2 == parity), key=lambda p: p.chainage_m)
    before = next((p for p in reversed(sequence) if p.chainage_m <= chainage), None)
    after = next((p for p in sequence if p.chainage_m > chainage), None)
    number, reason = _choose(rules, parity, chainage, before, after, taken)
    return Suggestion(number, side_name, chainage, offset, reason, before, after)


def _choose(rules: Rules, parity: int, c: float, before: Position | None, after: Position | None,
            taken: set) -> tuple[HouseNumber, str]:
    step = rules.spacing_m
    if before is None and after is None:
        return _free_upwards(rules.reserve_number(c, parity), taken), "first_on_side"
    if after is None:
        gap = max(1, round((c - before.chainage_m) / step))
        return _free_upwards(before.number.number + 2 * gap, taken), "after_last"
    low = before.number.number if before else (1 if parity else 2) - 2
    free = [n for n in range(low + 2, after.number.number, 2) if (n, 0, False) not in taken]
    if free:
        if before is None:
            gap = max(1, round((after.chainage_m - c) / step))
            target = after.number.number - 2 * gap
            return HouseNumber(min(free, key=lambda n: (abs(n - target), -n))), "before_first"
        share = (c - before.chainage_m) / max(after.chainage_m - before.chainage_m, 1e-9)
        target = before.number.number + share * (after.number.number - before.number.number)
        return HouseNumber(min(free, key=lambda n: (abs(n - target), n))), "between"
    if before is None:
        return HouseNumber(after.number.number, annex=True), "annex"
    sub = next(s for s in range(1, 1000) if (before.number.number, s, False) not in taken)
    return HouseNumber(before.number.number, sub, rules.infill_style), "infill"


def _free_upwards(n: int, taken: set) -> HouseNumber:
    while (n, 0, False) in taken:
        n += 2
    return HouseNumber(n)


# --- checking a road ---------------------------------------------------------------------------------

@dataclass
class Finding:
    kind: str  # duplicate, wrong_side, out_of_order, too_far
    keys: list  # the plates concerned
    message: str
    detail: dict = field(default_factory=dict)


KINDS = ("duplicate", "wrong_side", "out_of_order", "too_far")


def check(rules: Rules, positions: list[Position], identities: dict) -> list[Finding]:
    """Findings over a road's plates; ``identities`` maps each key to its full identity (number, building ...)."""
    findings = _duplicates(positions, identities)
    doors = [p for p in positions if p.is_door]
    for p in doors:
        expected = rules.parity(p.side)
        if p.number.number % 2 != expected:
            findings.append(Finding("wrong_side", [p.key],
                                    _("%(number)s is on the road's %(side)s side, which takes %(parity)s numbers")
                                    % {"number": p.number.label, "side": _side_name(p.side),
                                       "parity": pgettext("parity", "odd") if expected else pgettext("parity", "even")},
                                    {"side": p.side, "expected_parity": "odd" if expected else "even"}))
    for parity in (0, 1):
        sequence = sorted((p for p in doors if p.number.number % 2 == parity), key=lambda p: p.chainage_m)
        for p in _out_of_order(sequence):
            findings.append(Finding("out_of_order", [p.key], _("%(number)s is out of order with the plates around it")
                                    % {"number": p.number.label},
                                    {"chainage_m": round(p.chainage_m, 1)}))
    for p in positions:
        if p.offset_m > rules.max_offset_m:
            findings.append(Finding("too_far", [p.key],
                                    _("%(number)s is %(offset).0f m from the road, more than %(limit).0f m")
                                    % {"number": p.number.label, "offset": p.offset_m, "limit": rules.max_offset_m},
                                    {"offset_m": round(p.offset_m, 1)}))
    return findings


def _side_name(side: str) -> str:
    return pgettext("road side", "left") if side == "left" else pgettext("road side", "right")


def _duplicates(positions: list[Position], identities: dict) -> list[Finding]:
    groups = defaultdict(list)
    for p in positions:
        groups[identities[p.key]].append(p)
    return [Finding("duplicate", [p.key for p in group], _("%(number)s is repeated %(count)s times")
                    % {"number": group[0].number.label, "count": len(group)},
                    {"count": len(group)})
            for group in groups.values() if len(group) > 1]


def _out_of_order(sequence: list[Position]) -> list[Position]:
    """The fewest plates whose removal leaves the numbers increasing along the road (outside a longest
    increasing subsequence of (number, infill) in chainage order)."""
    keys = [(p.number.number, p.number.sub) for p in sequence]
    if len(keys) < 2:
        return []
    tails: list[int] = []  # index in `keys` of the smallest tail of an increasing run of each length
    parent = [-1] * len(keys)
    for i, k in enumerate(keys):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if keys[tails[mid]] < k:
                lo = mid + 1
            else:
                hi = mid
        parent[i] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(i)
        else:
            tails[lo] = i
    keep, i = set(), tails[-1]
    while i >= 0:
        keep.add(i)
        i = parent[i]
    return [p for i, p in enumerate(sequence) if i not in keep]


# --- renumbering -------------------------------------------------------------------------------------

@dataclass
class Renumbered:
    key: object
    old: HouseNumber
    new: HouseNumber
    side: str
    chainage_m: float

    @property
    def changed(self) -> bool:
        return self.old.key != self.new.key


def renumber(rules: Rules, doors: list[Position]) -> list[Renumbered]:
    """Fresh numbers for every door plate of a (new or re-routed) road: per side in chainage order, each the
    larger of its reserve number and two above its predecessor, so numbers rise along the road with reserve."""
    out = []
    for side in ("left", "right"):
        parity = rules.parity(side)
        previous = -1
        for p in sorted((p for p in doors if p.side == side), key=lambda p: p.chainage_m):
            n = max(rules.reserve_number(p.chainage_m, parity), previous + 2)
            previous = n
            out.append(Renumbered(p.key, p.number, HouseNumber(n), side, p.chainage_m))
    return sorted(out, key=lambda r: (r.side, r.chainage_m))
