"""No silent default: WKT and pairs need a declared system; conflicting declarations are refused."""

import pytest

from gis.errors import CoordinateSystemError
from gis.intake import intake_geometry


@pytest.mark.parametrize("value", ["POINT (120.7 28.0)", (120.7, 28.0)])
def test_wkt_and_pairs_without_a_system_are_refused(value):
    with pytest.raises(CoordinateSystemError) as caught:
        intake_geometry(value, field="geom")
    assert caught.value.code == "missing_crs"
    assert caught.value.where == {"field": "geom"}


def test_an_unknown_system_is_refused():
    with pytest.raises(CoordinateSystemError) as caught:
        intake_geometry("POINT (120.7 28.0)", crs="mars")
    assert caught.value.code == "unknown_crs"


def test_a_declared_system_that_contradicts_the_ewkt_srid_is_refused():
    with pytest.raises(CoordinateSystemError) as caught:
        intake_geometry("SRID=4490;POINT (120.7 28.0)", crs="gcj02")
    assert caught.value.code == "crs_conflict"
    assert caught.value.where == {"declared": "gcj02", "embedded": "EPSG:4490"}


def test_a_declared_system_that_contradicts_a_geojson_crs_member_is_refused():
    geojson = {"type": "Point", "coordinates": [120.7, 28.0],
               "crs": {"type": "name", "properties": {"name": "EPSG:4326"}}}
    with pytest.raises(CoordinateSystemError) as caught:
        intake_geometry(geojson, crs="bd09")
    assert caught.value.code == "crs_conflict"


def test_a_declared_system_overrides_the_rfc_7946_default_for_plain_geojson():
    result = intake_geometry({"type": "Point", "coordinates": [120.7, 28.0]}, crs="gcj02")
    assert result.geometry.coords != (120.7, 28.0)


def test_an_unreadable_crs_member_is_refused():
    geojson = {"type": "Point", "coordinates": [120.7, 28.0], "crs": {"type": "link", "properties": {}}}
    with pytest.raises(CoordinateSystemError) as caught:
        intake_geometry(geojson)
    assert caught.value.code == "unknown_crs" and caught.value.where["member"] == "crs"
