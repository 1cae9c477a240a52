"""Empty geometries, empty text and features without geometry are refused."""

import pytest

from gis.errors import GeometryError
from gis.intake import intake_geometry


@pytest.mark.parametrize("value", [
    "POINT EMPTY", "MULTIPOLYGON EMPTY", "   ", {"type": "Polygon", "coordinates": []},
    {"type": "Feature", "properties": {}, "geometry": None},
])
def test_empty_input_is_refused(value):
    with pytest.raises(GeometryError) as caught:
        intake_geometry(value, crs=4326)
    assert caught.value.code == "empty_geometry"


def test_a_multipolygon_with_an_empty_part_names_the_part(wenzhou_square):
    with pytest.raises(GeometryError) as caught:
        intake_geometry({"type": "MultiPolygon", "coordinates": [wenzhou_square, []]})
    assert caught.value.code == "empty_geometry" and caught.value.where == {"part": 1}
