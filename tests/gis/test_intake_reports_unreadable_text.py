"""Text that is neither GeoJSON nor WKT is refused with the place where reading stopped."""

import pytest

from gis.errors import GeometryError, InputError
from gis.intake import intake_geometry


def test_broken_json_names_line_and_column():
    with pytest.raises(GeometryError) as caught:
        intake_geometry('{"type": "Point", "coordinates": [120.7, 28.0')
    assert caught.value.code == "unparseable"
    assert caught.value.where == {"line": 1, "column": 46}


def test_broken_wkt_names_the_offset():
    with pytest.raises(GeometryError) as caught:
        intake_geometry("LINESTRING (120.6 28.0, 120.7 28.1", crs=4490)
    assert caught.value.code == "unparseable"
    assert caught.value.where["offset"] == 34  # the end of the text, where ")" is missing


def test_a_malformed_number_in_wkt_is_not_read_as_two():
    with pytest.raises(GeometryError) as caught:
        intake_geometry("POINT (120.7.1 28.0)", crs=4490)
    assert caught.value.code == "unparseable"


def test_an_unknown_wkt_type_is_refused():
    with pytest.raises(GeometryError) as caught:
        intake_geometry("CIRCLE (120.7 28.0)", crs=4490)
    assert caught.value.code == "unsupported_type"


def test_something_that_is_not_a_geometry_at_all_is_refused():
    with pytest.raises(InputError) as caught:
        intake_geometry(42, crs=4490)
    assert caught.value.code == "unsupported_input"
