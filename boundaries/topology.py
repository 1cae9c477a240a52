"""Topology checks of the areas and boundary lines: gaps and overlaps between sibling areas, areas sticking out of
their parent, lines that no longer follow their areas' shared edge, markers farther from their line than their
class tolerates. Found problems are kept as TopologyProblem rows (a report page and an internal map layer), replaced
on each run: the whole city on demand (``manage.py check_topology``, the report page), and the parents and lines
an edit touched after each boundary edit (``schedule_after_edit``, at commit)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, transaction
from django.db.models import Q

from boundaries import sql
from boundaries.line_models import BoundaryLine
from boundaries.models import AdminArea
from boundaries.topology_models import ProblemKind, TopologyProblem

MIN_AREA_M2 = 1.0  # smaller gaps and overlaps are the noise of floating-point overlay
MIN_LENGTH_M = 1.0  # a line within this of its edge follows it
# A square degree holds at most this many square metres (at the equator, 111.32 km x 111.32 km, with a margin):
# pieces below MIN_AREA_M2 / this in square degrees are noise for sure and are not measured in the plane.
SQUARE_METRES_PER_SQUARE_DEGREE_AT_MOST = 1.3e10


@dataclass
class TopologyReport:
    counts: Counter
    checked_parents: int | None  # None: every parent
    checked_lines: int | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _geom(ewkb) -> GEOSGeometry:
    return GEOSGeometry(memoryview(ewkb))


def find_problems(parents: list[int] | None = None, lines: list[int] | None = None) -> list[TopologyProblem]:
    """The problems among the children of ``parents`` and on ``lines`` (None: all), as unsaved rows."""
    params = {"parents": parents, "lines": lines, "min_m2": MIN_AREA_M2, "min_m": MIN_LENGTH_M,
              "min_deg2": MIN_AREA_M2 / SQUARE_METRES_PER_SQUARE_DEGREE_AT_MOST}
    found, untiled, sticking_out = [], set(), set()
    # Parents tiled exactly by their children: their gaps at once; the others pair by pair (sql.TILINGS).
    for parent, tiled, sticks_out, ewkb, m2 in sql.topology_rows(sql.TILINGS, params):
        if not tiled:
            untiled.add(parent)
        if sticks_out:
            sticking_out.add(parent)
        if ewkb is not None:
            found.append(TopologyProblem(kind=ProblemKind.GAP, parent_id=parent, area_a_id=parent, geom=_geom(ewkb),
                                         measure=m2))
    pairwise = {**params, "parents": sorted(untiled)}
    for parent, a, b, ewkb, m2 in sql.topology_rows(sql.OVERLAPS, pairwise) if untiled else ():
        found.append(TopologyProblem(kind=ProblemKind.OVERLAP, parent_id=parent, area_a_id=a, area_b_id=b,
                                     geom=_geom(ewkb), measure=m2))
    for parent, ewkb, m2 in sql.topology_rows(sql.GAPS, pairwise) if untiled else ():
        found.append(TopologyProblem(kind=ProblemKind.GAP, parent_id=parent, area_a_id=parent, geom=_geom(ewkb),
                                     measure=m2))
    one_by_one = {**params, "parents": sorted(untiled | sticking_out)}
    for parent, child, ewkb, m2 in sql.topology_rows(sql.OUTSIDE_PARENT, one_by_one) if untiled | sticking_out else ():
        found.append(TopologyProblem(kind=ProblemKind.OUTSIDE_PARENT, parent_id=parent, area_a_id=child,
                                     area_b_id=parent, geom=_geom(ewkb), measure=m2))
    for line, a, b, ewkb, metres in sql.topology_rows(sql.LINES_OFF_EDGE, params):
        found.append(TopologyProblem(kind=ProblemKind.LINE_OFF_EDGE, line_id=line, area_a_id=a, area_b_id=b,
                                     geom=_geom(ewkb), measure=metres))
    for marker, line, a, b, ewkb, metres in sql.topology_rows(sql.MARKERS_OFF_LINE, params):
        found.append(TopologyProblem(kind=ProblemKind.MARKER_OFF_LINE, marker_id=marker, line_id=line,
                                     area_a_id=a, area_b_id=b, geom=_geom(ewkb), measure=metres))
    return found


@transaction.atomic
def run_checks(parents: list[int] | None = None, lines: list[int] | None = None) -> TopologyReport:
    """Replaces the kept problems of ``parents`` and ``lines`` (None: every one) with what the checks find now."""
    found = find_problems(parents, lines)
    stale = TopologyProblem.objects.all()
    if parents is not None or lines is not None:
        stale = stale.filter(Q(parent_id__in=parents or []) | Q(line_id__in=lines or []))
    stale.delete()
    TopologyProblem.objects.bulk_create(found)
    return TopologyReport(Counter(p.kind for p in found), None if parents is None else len(parents),
                          None if lines is None else len(lines))


# -- after each boundary edit -------------------------------------------------------------------------------------
def schedule_after_edit(area: AdminArea | None = None, line: BoundaryLine | None = None) -> None:
    """Checks, once at commit, the parents and lines that the edits of this transaction touched.

    Only edits inside a transaction (the admin, imports, the services) are checked this way; a script saving areas
    one by one in autocommit mode (a test's builder) would check after every row: run ``check_topology`` after."""
    if not connection.in_atomic_block:
        return
    pending = getattr(connection, "_diming_topology_pending", None)
    if pending is None or not any(entry[1] is _run_pending for entry in connection.run_on_commit):
        # No check is waiting for this transaction's commit (none yet, or a rollback dropped it).
        pending = connection._diming_topology_pending = {"parents": set(), "areas": set(), "lines": set()}
        transaction.on_commit(_run_pending)
    if area is not None:
        pending["areas"].add(area.pk)
        pending["parents"].add(area.pk)  # its children may now stick out
        if area.parent_id:
            pending["parents"].add(area.parent_id)
    if line is not None:
        pending["lines"].add(line.pk)


def _run_pending() -> None:
    pending = getattr(connection, "_diming_topology_pending", None)
    connection._diming_topology_pending = None
    if not pending:
        return
    lines = set(pending["lines"])
    if pending["areas"]:
        lines |= set(BoundaryLine.objects.filter(Q(side_a_id__in=pending["areas"]) | Q(side_b_id__in=pending["areas"]))
                     .values_list("pk", flat=True))
    run_checks(sorted(pending["parents"]), sorted(lines))


def on_area_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or "geom" in update_fields or "parent" in update_fields:
        schedule_after_edit(area=instance)


def on_line_or_marker_saved(sender, instance, **kwargs):
    schedule_after_edit(line=getattr(instance, "line", None) or instance)
