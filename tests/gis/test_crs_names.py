"""One way to say "this input is in X": parse_crs takes every common spelling and refuses anything else."""

import pytest

from gis.crs import CRS, METRIC_SRID, STORAGE_SRID, TILE_SRID, parse_crs
from gis.errors import CoordinateSystemError

SPELLINGS = {
    4490: CRS.CGCS2000, "4490": CRS.CGCS2000, "EPSG:4490": CRS.CGCS2000, "epsg:4490": CRS.CGCS2000,
    "urn:ogc:def:crs:EPSG::4490": CRS.CGCS2000, "http://www.opengis.net/def/crs/EPSG/0/4490": CRS.CGCS2000,
    "CGCS2000": CRS.CGCS2000, 4326: CRS.WGS84, "EPSG:4326": CRS.WGS84, "wgs84": CRS.WGS84, "WGS 84": CRS.WGS84,
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84": CRS.WGS84, "urn:ogc:def:crs:OGC:1.3:CRS84": CRS.WGS84,
    3857: CRS.WEB_MERCATOR, "EPSG:900913": CRS.WEB_MERCATOR, 4549: CRS.CGCS2000_GK_CM120E,
    "urn:ogc:def:crs:EPSG:9.2:4549": CRS.CGCS2000_GK_CM120E,
    "gcj02": CRS.GCJ02, "GCJ-02": CRS.GCJ02, "autonavi": CRS.GCJ02, "bd09": CRS.BD09, "bd09ll": CRS.BD09,
    "BD-09": CRS.BD09, CRS.BD09: CRS.BD09,
}


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_common_spelling_names_its_system(spelling):
    assert parse_crs(spelling) is SPELLINGS[spelling]


@pytest.mark.parametrize("value", [None, "", "  "])
def test_a_missing_system_is_refused_rather_than_defaulted(value):
    with pytest.raises(CoordinateSystemError) as caught:
        parse_crs(value)
    assert caught.value.code == "missing_crs"
    assert "未声明坐标系" in str(caught.value)


@pytest.mark.parametrize(("value", "given"), [("EPSG:4528", "EPSG:4528"), (2000, "2000"), ("mars", "mars"),
                                             (True, "true"), (4490.0, "4490.0"), ("EPSG:", "EPSG:"),
                                             (["a", 1], '["a", 1]')])
def test_an_unknown_system_is_refused_with_the_value_given(value, given):
    """The value is repeated as the caller wrote it in JSON (true, ["a", 1]), never as Python prints it."""
    with pytest.raises(CoordinateSystemError) as caught:
        parse_crs(value)
    assert caught.value.code == "unknown_crs"
    assert caught.value.where == {"value": given}
    assert given in str(caught.value.message)
    assert "EPSG:4490" in str(caught.value.hint)


def test_baidu_mercator_is_refused_by_name():
    with pytest.raises(CoordinateSystemError) as caught:
        parse_crs("bd09mc")
    assert caught.value.code == "unsupported_crs"
    assert "BD09MC" in str(caught.value)


def test_the_srids_the_system_speaks():
    assert (STORAGE_SRID, METRIC_SRID, TILE_SRID) == (4490, 4549, 3857)
    assert [c.srid for c in CRS] == [4326, 4490, 3857, 4549, None, None]
    assert [c for c in CRS if c.is_pseudo] == [CRS.GCJ02, CRS.BD09]
