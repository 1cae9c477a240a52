import gzip

import pytest

from tests.base import LUCHENG_POINT
from tests.tiles.builders import decode, tile_at, url

pytestmark = pytest.mark.django_db


def test_a_repeated_request_with_the_etag_answers_304_without_a_body(client, wenzhou_counties):
    first = client.get(url("counties", 0, 0, 0))
    again = client.get(url("counties", 0, 0, 0), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_a_stale_etag_gets_the_tile(client, wenzhou_counties):
    response = client.get(url("counties", 0, 0, 0), HTTP_IF_NONE_MATCH='"0123456789abcdef01234567"')

    assert response.status_code == 200
    assert decode(response)["counties"]


def test_the_second_request_is_served_from_the_cache_with_the_same_bytes(client, wenzhou_counties):
    z, x, y = tile_at(*LUCHENG_POINT, 9)
    first = client.get(url("counties", z, x, y))
    second = client.get(url("counties", z, x, y))

    assert (first["X-Tile-Cache"], second["X-Tile-Cache"]) == ("miss", "hit")
    assert first.content == second.content and first["ETag"] == second["ETag"]


def test_a_client_that_accepts_gzip_gets_gzip_and_the_same_tile(client, wenzhou_counties):
    plain = client.get(url("counties", 0, 0, 0))
    zipped = client.get(url("counties", 0, 0, 0), HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content)
    assert "Accept-Encoding" in zipped["Vary"]
    # The gzip body has its own entity tag, and either form revalidates the tile.
    assert zipped["ETag"] != plain["ETag"]
    assert client.get(url("counties", 0, 0, 0), HTTP_IF_NONE_MATCH=zipped["ETag"],
                      HTTP_ACCEPT_ENCODING="gzip").status_code == 304


def test_public_tiles_may_be_kept_by_shared_caches_but_are_revalidated(client, wenzhou_counties):
    response = client.get(url("counties", 0, 0, 0))

    assert response["Cache-Control"] == "public, no-cache"
