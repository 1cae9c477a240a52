"""Meal-service coverage (助餐服务覆盖率) of villages and communities, and where the next canteens should go.

The rule, with radii from settings (read at call time):

- a village or community is *covered* when an **open** canteen (any kind) lies within the walking radius of its
  service point: ``CANTEEN_WALK_URBAN_M`` (default 1,000 m, the 15-minute circle) for urban communities
  (urban_rural_code 1xx) and ``CANTEEN_WALK_RURAL_M`` (default 1,500 m) for rural villages;
- or when its service point lies within the delivery radius of an open canteen that delivers.

Planned, suspended and closed canteens count for nothing. Canteens are not scoped: a canteen across a county line
still serves the villages it reaches. Distances are measured in EPSG:4549 (metres) by PostGIS, for the whole
scope in one statement (canteens.sql).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from canteens import sql


def walk_radii() -> tuple[float, float]:
    """(urban, rural) walking radii in metres."""
    return (float(getattr(settings, "CANTEEN_WALK_URBAN_M", 1000)),
            float(getattr(settings, "CANTEEN_WALK_RURAL_M", 1500)))


def share(part: int, whole: int) -> float | None:
    """part / whole, None for an empty whole (a rate of nothing is no rate, not 0%)."""
    return part / whole if whole else None


@dataclass
class Tally:
    """Counts for one area: villages and elderly people (60+), all and covered."""

    villages: int = 0
    covered_villages: int = 0
    elderly: int = 0
    covered_elderly: int = 0

    @property
    def rate_by_count(self) -> float | None:
        return share(self.covered_villages, self.villages)

    @property
    def rate_by_population(self) -> float | None:
        return share(self.covered_elderly, self.elderly)

    @property
    def fully_covered(self) -> bool:
        return self.villages > 0 and self.covered_villages == self.villages

    @property
    def uncovered_villages(self) -> int:
        return self.villages - self.covered_villages

    @classmethod
    def of(cls, row: dict) -> Tally:
        return cls(int(row["villages"]), int(row["covered_villages"]), int(row["elderly"]),
                   int(row["covered_elderly"]))


@dataclass
class VillageCoverage:
    id: int
    code: str
    name: str
    township: str
    county: str
    elderly: int
    urban: bool
    walk_m: float
    by_walk: bool
    by_delivery: bool
    nearest_m: float | None  # to the nearest open canteen, for uncovered villages; None when there is none

    @property
    def covered(self) -> bool:
        return self.by_walk or self.by_delivery


@dataclass
class TownshipCoverage:
    id: int
    code: str
    name: str
    tally: Tally


@dataclass
class CountyCoverage:
    id: int
    code: str
    name: str
    tally: Tally
    townships: list[TownshipCoverage] = field(default_factory=list)

    @property
    def fully_covered_townships(self) -> list[TownshipCoverage]:
        return [t for t in self.townships if t.tally.fully_covered]

    @property
    def has_fully_covered_township(self) -> bool:
        """The 2024 target: at least one township per county where every village has meal service."""
        return bool(self.fully_covered_townships)


@dataclass
class CoverageReport:
    total: Tally
    counties: list[CountyCoverage]
    villages: list[VillageCoverage]
    walk_urban_m: float
    walk_rural_m: float

    @property
    def uncovered(self) -> list[VillageCoverage]:
        return [v for v in self.villages if not v.covered]

    def county(self, code: str) -> CountyCoverage:
        return next(c for c in self.counties if c.code == code)

    def township(self, code: str) -> TownshipCoverage:
        return next(t for c in self.counties for t in c.townships if t.code == code)

    def village(self, code: str) -> VillageCoverage:
        return next(v for v in self.villages if v.code == code)

    @property
    def counties_meeting_target(self) -> int:
        return sum(1 for c in self.counties if c.has_fully_covered_township)


def compute_coverage(prefixes: tuple[str, ...] | None = None) -> CoverageReport:
    """Coverage of the villages under ``prefixes`` (code12 prefixes, as accounts.scoping.area_prefixes gives;
    ``None`` for the whole installation)."""
    urban_m, rural_m = walk_radii()
    rows = sql.coverage_rows(prefixes, walk_urban_m=urban_m, walk_rural_m=rural_m)
    report = CoverageReport(Tally(), [], [], urban_m, rural_m)
    counties: dict[int, CountyCoverage] = {}
    for row in rows:
        level = row["level"]
        if level == "city":
            report.total = Tally.of(row)
        elif level == "county":
            counties[row["county_id"]] = CountyCoverage(row["county_id"], row["county_code"], row["county_name"],
                                                        Tally.of(row))
        elif level == "township":
            counties[row["county_id"]].townships.append(
                TownshipCoverage(row["township_id"], row["township_code"], row["township_name"], Tally.of(row)))
        else:
            report.villages.append(_village(row))
    report.counties = list(counties.values())
    return report


def _village(row: dict) -> VillageCoverage:
    return VillageCoverage(
        id=row["id"], code=row["code"], name=row["name"], township=row["township_name"],
        county=row["county_name"], elderly=int(row["elderly"]), urban=bool(row["urban"]),
        walk_m=float(row["walk_m"]), by_walk=bool(row["by_walk"]), by_delivery=bool(row["by_delivery"]),
        nearest_m=float(row["nearest_m"]) if row["nearest_m"] is not None else None,
    )
