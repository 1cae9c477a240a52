"""A parent whose children share their outlines exactly is checked without testing its children pair by pair
(boundaries.sql.TILINGS); whatever is not so tiled is checked pair by pair. Either way the same problems are found:
a child inside another, a child twice, two children laid over each other without a shared stretch, a gap, a child
sticking out; and nothing where children meet at a vertex lying on the other's edge."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from boundaries import sql, topology
from boundaries.models import AdminArea, Level
from boundaries.topology_models import ProblemKind

pytestmark = pytest.mark.django_db

X, Y, D = 120.60, 28.00, 0.01  # a 1 km square near Wenzhou, in degrees (EPSG:4490)


def _box(x0, y0, x1, y1) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((X + x0 * D, Y + y0 * D, X + x1 * D, Y + y1 * D)), srid=4490)


def _ring(*points) -> MultiPolygon:
    corners = [(X + x * D, Y + y * D) for x, y in points]
    return MultiPolygon(Polygon([*corners, corners[0]]), srid=4490)


def _family(number: int, *children):
    parent = AdminArea.objects.create(code=f"3399{number:02d}", name=f"测试{number}", level=Level.COUNTY,
                                      geom=_box(0, 0, 2, 2))
    kids = [AdminArea.objects.create(code=f"3399{number:02d}{i:03d}", name=f"测试{number}-{i}", level=Level.TOWNSHIP,
                                     parent=parent, geom=geom) for i, geom in enumerate(children, 1)]
    return parent, kids


def _found(parent):
    return {(p.kind, p.area_a_id, p.area_b_id) for p in topology.find_problems(parents=[parent.pk], lines=[])}


def _tiled(parent) -> bool:
    params = {"parents": [parent.pk], "lines": [], "min_m2": 1.0, "min_m": 1.0, "min_deg2": 1e-10}
    return next(row[1] for row in sql.topology_rows(sql.TILINGS, params))


def test_children_sharing_their_outlines_are_tiled_and_a_vertex_on_an_edge_is_checked_pair_by_pair():
    grid, _ = _family(1, _box(0, 0, 1, 1), _box(1, 0, 2, 1), _box(0, 1, 1, 2), _box(1, 1, 2, 2))
    assert _tiled(grid) and _found(grid) == set()
    # The left half is one child; the right half two: their meeting point lies on the left child's edge.
    t_junction, _ = _family(2, _box(0, 0, 1, 2), _box(1, 0, 2, 1), _box(1, 1, 2, 2))
    assert not _tiled(t_junction) and _found(t_junction) == set()


def test_a_child_inside_another_is_an_overlap():
    parent, (whole, inner) = _family(3, _box(0, 0, 2, 2), _box(0.5, 0.5, 1, 1))
    assert not _tiled(parent)
    assert _found(parent) == {(ProblemKind.OVERLAP, whole.pk, inner.pk)}


def test_a_child_twice_is_an_overlap():
    parent, (left, twin, _right) = _family(4, _box(0, 0, 1, 2), _box(0, 0, 1, 2), _box(1, 0, 2, 2))
    assert not _tiled(parent)
    assert _found(parent) == {(ProblemKind.OVERLAP, left.pk, twin.pk)}


def test_two_children_laid_over_each_other_without_a_shared_stretch_overlap():
    # Each outline alone is a ring: taken as an area without checking, they would read as a valid-looking cover.
    parent, (west, east) = _family(5, _box(0, 0, 1.2, 2), _box(0.8, 0, 2, 2))
    assert not _tiled(parent)
    assert _found(parent) == {(ProblemKind.OVERLAP, west.pk, east.pk)}


def test_a_gap_in_a_tiled_parent_is_found_with_its_area():
    # The north-east quarter is nobody's; the west half has a vertex where the south-east quarter's edge ends.
    parent, _ = _family(6, _ring((0, 0), (1, 0), (1, 1), (1, 2), (0, 2)), _box(1, 0, 2, 1))
    assert _tiled(parent)
    (gap,) = topology.find_problems(parents=[parent.pk], lines=[])
    assert (gap.kind, gap.parent_id) == (ProblemKind.GAP, parent.pk)
    assert 0.9e6 < gap.measure < 1.1e6  # m², a quarter of a 2 km x 2 km square at 28°N (~0.98 km²)


def test_a_child_sticking_out_of_a_tiled_parent_is_found_and_no_other():
    parent, (west, east) = _family(7, _box(0, 0, 1, 2), _box(1, 0, 2.3, 2))
    assert _tiled(parent)
    assert _found(parent) == {(ProblemKind.OUTSIDE_PARENT, east.pk, parent.pk)}
