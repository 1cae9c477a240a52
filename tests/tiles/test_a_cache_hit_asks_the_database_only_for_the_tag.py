"""A cache hit asks the database which tag is current and takes the bytes from this process's memory when it sent
that very tag lately (tiles.services.BODIES). The database still decides on every request, so an edit that drops a
tile is seen at once; the tile and cache queries run as prepared statements."""

import pytest
from django.db import connection, transaction

from boundaries.models import AdminArea
from tests.base import LUCHENG_POINT, build_wenzhou
from tests.tiles.builders import body_of, decode, tile_at, url
from tiles import services
from tiles.models import CachedTile

pytestmark = pytest.mark.django_db
TILE = url("counties", *tile_at(*LUCHENG_POINT, 9))


@pytest.fixture(autouse=True)
def empty_memory():
    services.BODIES.clear()
    yield
    services.BODIES.clear()


def names(response) -> set[str]:
    return {f["properties"]["name"] for f in decode(response)["counties"]}


def test_a_hit_takes_the_bytes_from_memory_and_only_the_tag_from_the_database(client, wenzhou_counties):
    drawn = client.get(TILE, HTTP_ACCEPT_ENCODING="gzip")
    first_hit = client.get(TILE, HTTP_ACCEPT_ENCODING="gzip")
    # The kept row's bytes are spoiled behind the cache's back, its tag left as it was: a hit that still sends the
    # real tile did not read them.
    CachedTile.objects.update(data=b"spoiled", data_gz=b"spoiled")

    second_hit = client.get(TILE, HTTP_ACCEPT_ENCODING="gzip")

    assert (drawn["X-Tile-Cache"], first_hit["X-Tile-Cache"], second_hit["X-Tile-Cache"]) == ("miss", "hit", "hit")
    assert second_hit.content == first_hit.content == drawn.content
    assert second_hit["ETag"] == drawn["ETag"]


def test_without_the_bytes_in_memory_a_hit_reads_them_from_the_database(client, wenzhou_counties):
    client.get(TILE)
    services.BODIES.clear()

    hit = client.get(TILE)

    assert hit["X-Tile-Cache"] == "hit" and "鹿城区" in names(hit)
    assert services.BODIES.size == len(hit.content)


def test_bytes_in_memory_are_never_sent_once_an_edit_has_dropped_the_tile(client, wenzhou_counties):
    client.get(TILE)
    old = client.get(TILE)
    assert old["X-Tile-Cache"] == "hit"

    AdminArea.objects.filter(code="330302").update(name="鹿城新区")
    fresh = client.get(TILE)

    assert fresh["X-Tile-Cache"] == "miss" and fresh["ETag"] != old["ETag"]
    assert "鹿城新区" in names(fresh) and "鹿城区" not in names(fresh)
    assert client.get(TILE).content == fresh.content  # and the new tile is the one kept from now on


def test_a_client_holding_the_tile_gets_304_and_one_holding_an_old_one_gets_the_tile(client, wenzhou_counties):
    client.get(TILE)
    held = client.get(TILE)

    same = client.get(TILE, HTTP_IF_NONE_MATCH=held["ETag"])
    AdminArea.objects.filter(code="330302").update(name="鹿城新区")
    changed = client.get(TILE, HTTP_IF_NONE_MATCH=held["ETag"])

    assert same.status_code == 304 and same.content == b""
    assert changed.status_code == 200 and "鹿城新区" in names(changed)


def test_memory_for_tile_bytes_stays_within_its_limit_oldest_out():
    bodies = services._Bodies(limit=1600)

    for n in range(12):
        bodies.put((f"tag{n}", True), bytes([n]) * 100)
    bodies.put(("huge", False), b"x" * 101)  # over a sixteenth of the limit: never kept
    assert (bodies.size, bodies.get(("tag11", True)), bodies.get(("huge", False))) == (1200, bytes([11]) * 100, None)

    for n in range(13, 30):
        bodies.put((f"tag{n}", True), bytes([n]) * 100)

    assert bodies.size == 1600
    assert [tag for tag, _gz in bodies.items] == [f"tag{n}" for n in range(14, 30)]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def is_tag_lookup(text: str) -> bool:
    return "FROM tiles_tilecache" in text and "SELECT etag" in text


# Out of a transaction, as a server's connections run (autocommit): a test transaction would send the lookup whole.
@pytest.mark.django_db(transaction=True)
def test_the_tile_and_cache_queries_run_as_prepared_statements(client):
    build_wenzhou(villages=False)
    client.get(TILE)
    client.get(TILE)

    prepared = prepared_statements()

    assert any("ST_AsMVT" in text for text in prepared), "the tile query is planned afresh for every tile"
    assert any(is_tag_lookup(text) for text in prepared)
    assert len(body_of(client.get(TILE))) > 0


@pytest.mark.django_db(transaction=True)
def test_a_hit_after_psycopg_deallocated_every_statement_prepares_the_lookup_again(client):
    build_wenzhou(villages=False)
    drawn = client.get(TILE)
    assert client.get(TILE)["X-Tile-Cache"] == "hit"
    # A rolled-back transaction on the connection: psycopg then deallocates all its prepared statements, ours too.
    with transaction.atomic():
        AdminArea.objects.filter(code="330302").update(name="鹿城新区")
        transaction.set_rollback(True)
    assert not any(is_tag_lookup(text) for text in prepared_statements())

    hit = client.get(TILE)

    assert (hit.status_code, hit["X-Tile-Cache"], hit.content) == (200, "hit", drawn.content)
    assert any(is_tag_lookup(text) for text in prepared_statements())
