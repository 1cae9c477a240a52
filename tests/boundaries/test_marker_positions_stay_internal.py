"""Precise marker positions are internal: never in a public tile, an OGC response for the public, an export or the
change feed. The boundary line itself is public."""

import json

import pytest
from django.contrib.gis.geos import Point

from boundaries import lines
from exports.services import export_file
from gis.errors import NotFound
from gis.layers import exportable_layers
from tests.base import administrator, lucheng_officer
from tests.boundaries.lines_base import county_line
from tests.tiles.builders import decode, tile_at, url

MARKER = (120.61234567, 27.98765432)


@pytest.fixture
def marker(wenzhou_counties):
    admin = administrator()
    line = county_line(admin)
    lines.register_markers(admin, line, [{"points": [Point(*MARKER, srid=4490)]}])
    return line


def test_no_public_tile_carries_markers_and_the_line_layer_is_public(client, marker):
    z, x, y = tile_at(*MARKER, 14)
    assert client.get(url("boundary_markers", z, x, y)).status_code == 404
    response = client.get(url("boundary_lines", z, x, y))
    assert response.status_code == 200
    [feature] = decode(response)["boundary_lines"]
    assert feature["properties"]["name"] == "鹿瓯线"


def test_the_public_ogc_api_has_no_marker_collection_but_an_officer_has(client, marker):
    collections = client.get("/ogc/collections", {"f": "json"}).json()
    names = {c["id"] for c in collections["collections"]}
    assert "boundary_lines" in names and "boundary_markers" not in names
    assert client.get("/ogc/collections/boundary_markers/items", {"f": "json"}).status_code == 404
    client.force_login(lucheng_officer())
    items = client.get("/ogc/collections/boundary_markers/items", {"f": "json"}).json()
    assert items["features"][0]["geometry"]["coordinates"] == pytest.approx(list(MARKER), abs=1e-7)


@pytest.mark.parametrize("profile", ["geojson", "csv", "amap"])
def test_no_export_carries_markers_even_for_an_officer_or_the_operator(marker, tmp_path, profile):
    for user in (None, lucheng_officer()):
        with pytest.raises(NotFound):
            export_file(profile=profile, layer="boundary_markers", out=tmp_path / "m", user=user)
    assert "boundary_markers" not in {layer.name for layer in exportable_layers()}
    result = export_file(profile="geojson", layer="boundary_lines", out=tmp_path / "lines.geojson")
    text = result.files[0].read_text(encoding="utf-8")
    assert json.loads(text)["features"][0]["properties"]["name"] == "鹿瓯线"
    assert "120.6123" not in text
