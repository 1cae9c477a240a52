"""Two things a cache hit no longer works out the long way must come out as the long way would: a tile response's
headers (tiles.replies.TileHeaders) against Django's ResponseHeaders, and a remembered layer list
(tiles.access.resolve) against the layer registry as it is now."""

import pytest
from django.http.response import BadHeaderError, ResponseHeaders

from gis.errors import NotFound
from tests.tiles.builders import point_layer, temporary_layer
from tiles.access import PUBLIC, Viewer, resolve
from tiles.replies import TileHeaders

VALUES = ["public, no-cache", 'W/"abc-gz"', "a\tb", "", "café", "温州", b"bytes", 42, "x\ny", "x\rx", b"x\ny",
          "\x00nul", "~ ok !"]
NAMES = ["ETag", "X-Tile-Cache", "Bad\nName", "Naïve", b"Bytes-Name"]


def outcome(headers, name, value):
    try:
        headers[name] = value
    except (BadHeaderError, UnicodeError) as error:
        return type(error).__name__
    return sorted(headers.items())


@pytest.mark.parametrize("name", NAMES)
def test_a_tile_header_is_stored_or_refused_exactly_as_django_would(name):
    for value in VALUES:
        django = ResponseHeaders({})
        ours = TileHeaders(ResponseHeaders({}))
        assert outcome(ours, name, value) == outcome(django, name, value), (name, value)


def test_tile_headers_answer_membership_and_defaults_as_djangos_own():
    django = ResponseHeaders({"Content-Type": "application/vnd.mapbox-vector-tile"})
    ours = TileHeaders(django)
    for headers in (django, ours):
        headers.setdefault("referrer-policy", "same-origin")
        headers.setdefault("Content-Type", "text/html")
        del headers["CONTENT-TYPE"]
    assert sorted(ours.items()) == sorted(django.items()) == [("referrer-policy", "same-origin")]
    assert ("Referrer-Policy" in ours) and ("content-type" not in ours) and ours["REFERRER-POLICY"] == "same-origin"


def test_a_remembered_layer_list_follows_the_registry():
    with temporary_layer(point_layer("rememberedpoints")) as first:
        found = resolve("rememberedpoints", Viewer())
        assert resolve("rememberedpoints", Viewer()) is found  # remembered
        assert found.views[0].layer is first and found.variant == PUBLIC
        assert found.key.startswith("rememberedpoints@")
    with pytest.raises(NotFound):
        resolve("rememberedpoints", Viewer())  # the layer is gone
    with temporary_layer(point_layer("rememberedpoints", properties=("name",))) as second:
        again = resolve("rememberedpoints", Viewer())
        assert again.views[0].layer is second
        assert again.key != found.key  # another definition: another key, so no tile of the old one is served
