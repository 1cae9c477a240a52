"""`manage.py prune_tile_cache` keeps the tile cache within TILES_CACHE_MAX_MB: the newest tiles stay, the oldest go,
and a dropped tile is simply drawn again when next asked for."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.base import LUCHENG_POINT
from tests.tiles.builders import tile_at, url
from tiles import services
from tiles.models import CachedTile

pytestmark = pytest.mark.django_db
ZOOMS = (5, 6, 7, 8)


def kept_in_order(client) -> list[tuple[str, int]]:
    """Asks for the county tile over Lucheng at each zoom, oldest first: [(url, bytes kept)]."""
    urls = [url("counties", *tile_at(*LUCHENG_POINT, z)) for z in ZOOMS]
    for address in urls:
        assert client.get(address)["X-Tile-Cache"] == "miss"
    sizes = [len(bytes(t.data)) + len(bytes(t.data_gz or b"")) for t in CachedTile.objects.order_by("id")]
    return list(zip(urls, sizes, strict=True))


def test_the_oldest_tiles_go_until_the_cache_fits(client, wenzhou_counties):
    tiles = kept_in_order(client)
    newest_two = tiles[2][1] + tiles[3][1]

    done = services.prune_cache(newest_two)

    assert (done.dropped, done.dropped_bytes) == (2, tiles[0][1] + tiles[1][1])
    assert (done.kept, done.kept_bytes) == (2, newest_two)
    assert [client.get(address)["X-Tile-Cache"] for address, _size in tiles] == ["miss", "miss", "hit", "hit"]


def test_a_cache_within_its_size_loses_nothing(client, wenzhou_counties):
    tiles = kept_in_order(client)

    done = services.prune_cache(sum(size for _url, size in tiles))

    assert (done.dropped, done.kept) == (0, len(tiles))


def test_the_command_also_drops_tiles_older_than_asked_and_reports_what_it_did(client, wenzhou_counties):
    tiles = kept_in_order(client)
    oldest = CachedTile.objects.order_by("id").first()
    CachedTile.objects.filter(pk=oldest.pk).update(created=timezone.now() - timedelta(days=10))
    out = io.StringIO()

    call_command("prune_tile_cache", "--max-mb", "100", "--older-than-days", "7", stdout=out)

    assert CachedTile.objects.count() == len(tiles) - 1 and not CachedTile.objects.filter(pk=oldest.pk).exists()
    assert out.getvalue().startswith("dropped 1 tiles") and "kept 3 tiles" in out.getvalue()
    dry = io.StringIO()
    call_command("prune_tile_cache", "--dry-run", stdout=dry)
    assert dry.getvalue().startswith("tile cache: 3 tiles")


def test_a_negative_limit_is_refused_and_drops_nothing(client, wenzhou_counties):
    tiles = kept_in_order(client)

    with pytest.raises(CommandError, match="负数"):
        call_command("prune_tile_cache", "--max-mb", "-1")
    with pytest.raises(CommandError, match="older-than-days"):
        call_command("prune_tile_cache", "--older-than-days", "-2")

    assert CachedTile.objects.count() == len(tiles)
