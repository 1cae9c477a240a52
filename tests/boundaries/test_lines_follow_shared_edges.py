import pytest
from django.db import connection

from audit.services import history
from borders import lines
from boundaries.line_models import BoundaryLine, LineVersion
from gis.errors import Conflict, InputError
from tests.base import administrator, area
from tests.boundaries.lines_base import LUCHENG, OUHAI, county_line


def _off_edge_m(line: BoundaryLine, code: str) -> float:
    # SELECT ST_Length(ST_Difference(l.geom, ST_Buffer(ST_Boundary(a.geom), 1e-9))::geography) ...
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Length(ST_Difference(l.geom, ST_Buffer(ST_Boundary(a.geom), 1e-9))::geography)"
            "  FROM boundaries_boundaryline l, boundaries_adminarea a WHERE l.id = %s AND a.code = %s",
            [line.pk, code])
        return cursor.fetchone()[0]


def _shared_length_m(a: str, b: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Length(ST_CollectionExtract(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)), 2)"
            "::geography) FROM boundaries_adminarea a, boundaries_adminarea b WHERE a.code = %s AND b.code = %s",
            [a, b])
        return cursor.fetchone()[0]


def test_a_derived_line_lies_on_both_areas_edges_and_covers_all_they_share(wenzhou_counties):
    line = county_line(administrator())
    assert _off_edge_m(line, LUCHENG) < 0.01
    assert _off_edge_m(line, OUHAI) < 0.01
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Length(geom::geography) FROM boundaries_boundaryline WHERE id = %s", [line.pk])
        length = cursor.fetchone()[0]
    assert length > 1000
    assert length == pytest.approx(_shared_length_m(LUCHENG, OUHAI), rel=1e-9)


def test_side_a_is_the_smaller_code_and_the_line_code_defaults_to_the_sides_digits(wenzhou_counties):
    line = lines.derive_line(administrator(), area(OUHAI), area(LUCHENG))
    assert (line.side_a.code, line.side_b.code) == (LUCHENG, OUHAI)
    assert line.line_code == "0204"
    assert line.level == "county"
    assert line.name == "鹿城区-瓯海区"


def test_areas_that_share_no_edge_or_differ_in_level_make_no_line(wenzhou_counties):
    admin = administrator()
    with pytest.raises(InputError) as error:
        lines.derive_line(admin, area("330302"), area("330329"))  # 鹿城 and 泰顺 are far apart
    assert error.value.code == "no_shared_edge"
    with pytest.raises(InputError) as error:
        lines.derive_line(admin, area("330302"), area("330300"))
    assert error.value.code == "levels_differ"
    county_line(admin)
    with pytest.raises(Conflict):
        county_line(admin)


def test_an_agreed_change_keeps_the_old_version_with_its_validity(wenzhou_counties):
    import datetime as dt

    admin = administrator()
    line = county_line(admin)
    old = line.geom.clone()
    from django.contrib.gis.geos import MultiLineString

    moved = MultiLineString(*[type(p)([(x + 0.0001, y) for x, y in p.coords]) for p in line.geom], srid=4490)
    line = lines.agreed_change(admin, line, moved, agreement_number="温民〔2024〕3号",
                               agreement_date=dt.date(2024, 5, 1), version=1, reason="road realigned")
    assert line.version == 2 and line.agreement_number == "温民〔2024〕3号"
    version = LineVersion.objects.get(line=line)
    assert version.number == 1 and version.agreement_number == "温民〔2003〕12号"
    assert version.valid_to == dt.date(2024, 4, 30)
    assert version.geom.equals_exact(old, 1e-12)
    changes = list(history(line))
    assert [c.action for c in changes] == ["update", "create"]
    assert changes[0].actor == admin and changes[0].before["version"] == 1 and changes[0].after["version"] == 2


def test_an_agreed_line_is_imported_from_a_csv_of_vertices(wenzhou_counties):
    csv = b"part,lon,lat\n1,120.60,27.99\n1,120.62,27.995\n1,120.64,28.0\n"
    geom = lines.read_line_file(csv, "line.csv")
    line = lines.import_line(administrator(), area(LUCHENG), area(OUHAI), geom, name="鹿瓯线")
    assert line.source == "imported"
    assert line.geom.num_points == 3
    with pytest.raises(InputError) as error:
        lines.read_line_file(b"part,lon,lat\n1,120.6,128.3\n", "bad.csv")
    assert error.value.where["row"] == 2


@pytest.mark.parametrize("content", [b"[1, 2]", b'{"type": "FeatureCollection", "features": [1]}',
                                     b'{"a":' * 1000 + b"1" + b"}" * 1000, b"\xff\xfe"])
def test_a_line_file_that_is_no_geojson_is_refused_in_words(content):
    """Before, each was a server error (a list has no .get; the reader's recursion; the reader's English)."""
    with pytest.raises(InputError) as error:
        lines.read_line_file(content, "line.geojson")
    assert error.value.code == "bad_file" and "line.geojson" in error.value.message
