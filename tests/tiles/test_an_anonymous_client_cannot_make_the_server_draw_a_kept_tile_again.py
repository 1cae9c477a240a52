"""An anonymous client must not be able to make the server draw a tile it has kept: `Cache-Control: no-store` or
`no-cache` is answered from the cache (never stale: every hit asks the database for the tag) and revalidates with
the ETag, and the same layers asked in another order are the same tile, drawn and kept once. Only a signed-in user
or an API token may have a tile drawn afresh."""

import pytest

from accounts.models import ApiToken
from tests.base import LUCHENG_POINT, make_user
from tests.tiles.builders import tile_at, url
from tiles.models import CachedTile

pytestmark = pytest.mark.django_db
Z, X, Y = tile_at(*LUCHENG_POINT, 9)


@pytest.mark.parametrize("asked", [{"HTTP_CACHE_CONTROL": "no-store"}, {"HTTP_CACHE_CONTROL": "no-cache"},
                                   {"HTTP_CACHE_CONTROL": "max-age=0"}, {"HTTP_PRAGMA": "no-cache"},
                                   {"HTTP_CACHE_CONTROL": "no-cache, no-store"}])
def test_an_anonymous_no_store_or_no_cache_is_answered_from_the_cache(client, wenzhou_counties, asked):
    kept = client.get(url("counties", Z, X, Y))

    again = client.get(url("counties", Z, X, Y), **asked)
    revalidated = client.get(url("counties", Z, X, Y), HTTP_IF_NONE_MATCH=kept["ETag"], **asked)

    assert kept["X-Tile-Cache"] == "miss"
    assert again["X-Tile-Cache"] == "hit" and again.content == kept.content
    assert revalidated.status_code == 304
    assert CachedTile.objects.count() == 1


def test_the_same_layers_in_another_order_are_one_tile_drawn_and_kept_once(client, wenzhou_counties):
    first = client.get(url("counties,townships", Z, X, Y))
    reordered = client.get(url("townships,counties", Z, X, Y))

    assert (first["X-Tile-Cache"], reordered["X-Tile-Cache"]) == ("miss", "hit")
    assert reordered.content == first.content and reordered["ETag"] == first["ETag"]
    assert CachedTile.objects.count() == 1
    assert client.get(url("townships,counties", Z, X, Y), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_an_api_token_may_have_a_tile_drawn_afresh_and_kept_nowhere(client, wenzhou_counties):
    client.get(url("counties", Z, X, Y))
    _token, raw = ApiToken.issue(make_user("gis-desk"), "benchmark")

    fresh = client.get(url("counties", Z, X, Y), HTTP_CACHE_CONTROL="no-store", HTTP_AUTHORIZATION=f"Bearer {raw}")
    cached = client.get(url("counties", Z, X, Y), HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert fresh["X-Tile-Cache"] == "miss" and cached["X-Tile-Cache"] == "hit"
    assert fresh.content == cached.content
    assert CachedTile.objects.count() == 1


def test_a_server_without_the_tile_cache_draws_every_tile_and_keeps_none(client, wenzhou_counties, settings):
    settings.TILES_CACHE = False

    answers = [client.get(url("counties", Z, X, Y)) for _ in range(2)]

    assert [a["X-Tile-Cache"] for a in answers] == ["miss", "miss"]
    assert answers[0].content == answers[1].content
    assert CachedTile.objects.count() == 0
