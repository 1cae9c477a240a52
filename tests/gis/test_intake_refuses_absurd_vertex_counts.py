"""A configurable vertex budget (100,000 by default) stops absurd inputs before any geometry is built."""

import pytest

from gis.errors import GeometryError
from gis.intake import DEFAULT_MAX_VERTICES, intake_geometry


def test_a_line_over_the_budget_is_refused():
    line = {"type": "LineString", "coordinates": [[120.7 + i * 1e-6, 28.0] for i in range(11)]}
    with pytest.raises(GeometryError) as caught:
        intake_geometry(line, max_vertices=10)
    assert caught.value.code == "too_many_vertices"
    assert caught.value.where == {"limit": 10}


def test_the_budget_counts_every_ring_of_every_part():
    ring = [[120.6, 28.0], [120.7, 28.0], [120.7, 28.1], [120.6, 28.0]]
    geojson = {"type": "MultiPolygon", "coordinates": [[ring], [ring], [ring]]}
    with pytest.raises(GeometryError):
        intake_geometry(geojson, max_vertices=11)


def test_an_oversized_text_is_refused_before_parsing():
    text = "LINESTRING (" + ", ".join(["120.7 28.0"] * 2000) + ")"
    with pytest.raises(GeometryError) as caught:
        intake_geometry(text, crs=4490, max_vertices=10)
    assert caught.value.code == "too_many_vertices"


def test_the_default_budget_is_100k():
    assert DEFAULT_MAX_VERTICES == 100_000
