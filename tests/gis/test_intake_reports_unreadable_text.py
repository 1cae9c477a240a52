"""Text that is neither GeoJSON nor WKT is refused with the place where reading stopped."""

import pytest
from django.utils import translation

from gis.errors import GeometryError, InputError
from gis.intake import intake_geometry


def test_broken_json_names_line_and_column():
    with pytest.raises(GeometryError) as caught:
        intake_geometry('{"type": "Point", "coordinates": [120.7, 28.0')
    assert caught.value.code == "unparseable"
    assert caught.value.where == {"line": 1, "column": 46}
    with translation.override("zh-hans"):
        assert str(caught.value) == "GeoJSON 无法读取：第 1 行第 46 列有误。"  # not Python's "Expecting ',' delimiter"


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


@pytest.mark.parametrize("value", [42, [120.7, 28.0, 5.0], True])
def test_something_that_is_not_a_geometry_at_all_is_refused_in_words(value):
    with pytest.raises(InputError) as caught:
        intake_geometry(value, crs=4490)
    assert caught.value.code == "unsupported_input"
    with translation.override("zh-hans"):
        said = str(caught.value)
    assert "GeoJSON" in said and type(value).__name__ not in said


@pytest.mark.parametrize("text", ['{"a":' * 1000 + "1" + "}" * 1000,
                                  '{"type": "Point", "coordinates": ' + "[" * 1000 + "]" * 1000 + "}"])
def test_geojson_nested_a_thousand_levels_deep_is_refused_not_a_crash(text):
    """A geometry typed into a form or sent as a JSON string escapes the request body's depth limit."""
    with pytest.raises(GeometryError) as caught:
        intake_geometry(text)
    assert caught.value.code == "unparseable"
    with translation.override("zh-hans"):
        assert str(caught.value) == "GeoJSON 嵌套层级过深，不是有效的几何。"
