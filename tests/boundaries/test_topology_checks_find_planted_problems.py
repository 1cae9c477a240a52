"""Topology checks find planted gaps, overlaps, areas sticking out, lines off their edge and stray markers, and
nothing on the clean demo."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from borders import lines
from boundaries import topology
from boundaries.topology_models import ProblemKind, TopologyProblem
from tests.base import administrator, area
from tests.boundaries.lines_base import county_line


def _kinds(report):
    return dict(report.counts)


def test_the_clean_demo_city_has_no_problem(wenzhou):
    admin = administrator()
    line = county_line(admin)
    lines.register_markers(admin, line, [{"points": [Point(*line.geom[0][1], srid=4490)]}])
    report = topology.run_checks()
    assert report.total == 0, list(TopologyProblem.objects.values_list("kind", "measure"))


def _move_vertex_out(code: str, dx: float):
    """Pushes the first vertex of the area's outline ``dx`` degrees east (a hand edit gone wrong)."""
    a = area(code)
    ring = list(a.geom[0].exterior_ring.coords)
    ring[0] = ring[-1] = (ring[0][0] + dx, ring[0][1])
    a.geom = MultiPolygon(Polygon(ring, *[list(r.coords) for r in a.geom[0]][1:]), *list(a.geom)[1:], srid=4490)
    a.save()
    return a


def test_a_county_grown_into_its_neighbour_and_out_of_the_city_is_found(wenzhou_counties):
    admin = administrator()
    line = county_line(admin)
    # Shrink 鹿城 by cutting a square out of it next to 瓯海: a gap; grow 瓯海 into 鹿城 elsewhere: an overlap.
    lucheng, ouhai = area("330302"), area("330304")
    edge_point = line.geom[0].interpolate_normalized(0.5)
    hole = Point(edge_point.x, edge_point.y, srid=4490).buffer(0.003)
    lucheng.geom = MultiPolygon(*[p for p in lucheng.geom.difference(hole)], srid=4490) \
        if lucheng.geom.difference(hole).geom_type == "MultiPolygon" else MultiPolygon(lucheng.geom.difference(hole))
    lucheng.save()
    bite = Point(*line.geom[0].interpolate_normalized(0.15), srid=4490).buffer(0.002)
    grown = ouhai.geom.union(bite)
    ouhai.geom = grown if grown.geom_type == "MultiPolygon" else MultiPolygon(grown, srid=4490)
    ouhai.save()
    stray = Point(edge_point.x + 0.001, edge_point.y, srid=4490)  # ~100 m off the line
    lines.register_markers(admin, line, [{"points": [stray]}])

    report = topology.run_checks()
    kinds = _kinds(report)
    assert kinds[ProblemKind.GAP] >= 1 and kinds[ProblemKind.OVERLAP] == 1
    assert kinds[ProblemKind.LINE_OFF_EDGE] == 1 and kinds[ProblemKind.MARKER_OFF_LINE] == 1
    overlap = TopologyProblem.objects.get(kind=ProblemKind.OVERLAP)
    assert {overlap.area_a.code, overlap.area_b.code} == {"330302", "330304"}
    assert 5_000 < overlap.measure < 200_000  # m², part of a ~200 m disc
    gap = TopologyProblem.objects.filter(kind=ProblemKind.GAP).order_by("-measure").first()
    assert gap.parent.code == "330300" and gap.geom.intersects(hole)
    marker = TopologyProblem.objects.get(kind=ProblemKind.MARKER_OFF_LINE)
    assert 30 < marker.measure < 100  # ~100 m east of a line that runs at a slant


def test_an_area_sticking_out_of_its_parent_is_found(wenzhou_counties):
    township = _move_vertex_out("330302006", 0.0)  # unchanged first: nothing
    assert topology.run_checks(parents=[township.parent_id]).total == 0
    city_edge_county = area("330329")  # 泰顺 on the city's outline
    ring = list(city_edge_county.geom[0].exterior_ring.coords)
    far = max(range(len(ring) - 1), key=lambda i: -ring[i][0])  # the westernmost vertex, on the city's edge
    ring[far] = (ring[far][0] - 0.01, ring[far][1])
    if far == 0:
        ring[-1] = ring[0]
    city_edge_county.geom = MultiPolygon(Polygon(ring), srid=4490)
    city_edge_county.save()
    report = topology.run_checks()
    assert _kinds(report).get(ProblemKind.OUTSIDE_PARENT) == 1
    problem = TopologyProblem.objects.get(kind=ProblemKind.OUTSIDE_PARENT)
    assert (problem.area_a.code, problem.area_b.code) == ("330329", "330300")


@pytest.mark.django_db(transaction=True)
def test_an_edit_inside_a_transaction_is_checked_at_commit(wenzhou_counties):
    from django.db import transaction

    with transaction.atomic():
        county = area("330329")
        ring = list(county.geom[0].exterior_ring.coords)
        i = max(range(len(ring) - 1), key=lambda k: -ring[k][0])
        ring[i] = (ring[i][0] - 0.01, ring[i][1])
        if i == 0:
            ring[-1] = ring[0]
        county.geom = MultiPolygon(Polygon(ring), srid=4490)
        county.save()
        assert not TopologyProblem.objects.exists()
    assert TopologyProblem.objects.filter(kind=ProblemKind.OUTSIDE_PARENT, area_a=county).exists()
