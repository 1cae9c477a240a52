"""Precise marker positions are internal: never in a public tile, an OGC response for the public, an export or the
change feed. The boundary line itself is public."""

import json

import pytest
from django.contrib.gis.geos import Point

from accounts.roles import Role
from borders import lines
from exports.services import export_file
from gis.errors import NotFound
from gis.layers import exportable_layers
from tests.base import administrator, city_reviewer, lucheng_officer, make_user
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


def test_a_marker_is_seen_by_either_side_of_its_line_and_the_city_never_by_another_county(client, marker):
    """On the OGC API and on tiles: the 鹿城 and 瓯海 officers and the city's reviewer see the 鹿瓯线 marker, the
    泰顺 officer and crew do not (the line belongs to both its sides, and to no one else)."""
    z, x, y = tile_at(*MARKER, 14)
    seen = {}
    for user in (lucheng_officer(), make_user("ouhai_officer", Role.OFFICER, "330304"), city_reviewer(),
                 make_user("taishun_officer", Role.OFFICER, "330329"),
                 make_user("taishun_field", Role.FIELD_CREW, "330329")):
        client.force_login(user)
        items = client.get("/ogc/collections/boundary_markers/items", {"f": "json"}).json()["features"]
        tile = client.get(url("boundary_markers", z, x, y))
        on_tile = decode(tile).get("boundary_markers", []) if tile.status_code == 200 else []
        seen[user.username] = (len(items), len(on_tile))
    assert seen == {"lucheng_officer": (1, 1), "ouhai_officer": (1, 1), "city_reviewer": (1, 1),
                    "taishun_officer": (0, 0), "taishun_field": (0, 0)}
