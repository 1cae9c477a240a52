"""GB/T 17796 numbers: per line from 001 along the line (west to east, or north to south), Q/A-B/C-D-E types."""

import pytest
from django.contrib.gis.geos import LineString, MultiLineString, Point

from borders import lines
from boundaries.line_models import BoundaryLine
from gis.errors import InputError
from tests.base import administrator, area


def _line(coords, code="3335") -> BoundaryLine:
    return BoundaryLine.objects.create(
        name="测试线", level="county", side_a=area("330302"), side_b=area("330304"), line_code=code,
        geom=MultiLineString(LineString(coords, srid=4490), srid=4490))


def _numbers(line):
    return [m.number for m in line.markers.order_by("sequence", "type_code")]


def test_markers_are_numbered_from_001_west_to_east_whatever_the_order_they_were_registered(wenzhou_counties):
    admin = administrator()
    line = _line([(120.70, 28.0), (120.60, 28.0)])  # drawn east to west: numbering still starts in the west
    east, west, middle = Point(120.69, 28.0, srid=4490), Point(120.61, 28.0, srid=4490), Point(120.65, 28.0, srid=4490)
    lines.register_markers(admin, line, [{"points": [east]}, {"points": [west]}, {"points": [middle]}])
    assert lines.renumber(admin, line) == 3
    by_number = {m.number: m.geom.x for m in line.markers.all()}
    assert by_number == {"3335001Q": 120.61, "3335002Q": 120.65, "3335003Q": 120.69}


def test_a_line_running_north_south_is_numbered_from_the_north(wenzhou_counties):
    admin = administrator()
    line = _line([(120.60, 27.90), (120.61, 28.10)], code="0204")
    south, north = Point(120.601, 27.92, srid=4490), Point(120.609, 28.08, srid=4490)
    lines.register_markers(admin, line, [{"points": [south]}, {"points": [north]}])
    lines.renumber(admin, line)
    assert [(m.number, m.geom.y) for m in line.markers.order_by("sequence")] == [("0204001Q", 28.08),
                                                                                 ("0204002Q", 27.92)]


def test_pairs_are_a_and_b_and_triples_c_d_e_under_one_number(wenzhou_counties):
    admin = administrator()
    line = _line([(120.60, 28.0), (120.70, 28.0)])
    pair = [Point(120.68, 28.0001, srid=4490), Point(120.68, 27.9999, srid=4490)]
    triple = [Point(120.62, 28.0, srid=4490), Point(120.6201, 28.0, srid=4490), Point(120.6202, 28.0, srid=4490)]
    lines.register_markers(admin, line, [{"points": pair}, {"points": triple}])
    lines.renumber(admin, line)
    assert _numbers(line) == ["3335001C", "3335001D", "3335001E", "3335002A", "3335002B"]
    assert {m.type_code: m.maintained_by for m in line.markers.filter(sequence=2)} == {"A": "a", "B": "b"}
    with pytest.raises(InputError) as error:
        lines.register_markers(admin, line, [{"points": pair + triple}])
    assert error.value.code == "bad_marker_group"


def test_renumbering_is_audited_per_marker(wenzhou_counties):
    from audit.services import history

    admin = administrator()
    line = _line([(120.60, 28.0), (120.70, 28.0)])
    lines.register_markers(admin, line, [{"points": [Point(120.69, 28.0, srid=4490)]},
                                         {"points": [Point(120.61, 28.0, srid=4490)]}])
    lines.renumber(admin, line)
    marker = line.markers.get(geom=Point(120.69, 28.0, srid=4490))
    change = history(marker).first()
    assert (change.before["sequence"], change.after["sequence"], change.actor) == (1, 2, admin)
