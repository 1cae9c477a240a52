"""A server process remembers the tags of the tiles it found in the cache (tiles.memory), so that an anonymous hit
needs no database round trip. The database tells every process, at each commit, which kept tiles went; what it says
is applied before any answer, an edit at any zoom is never served from memory, memory never answers past its trust
after the last round trip, and whenever the process cannot be sure or must not guess (signed-in viewers, inside a
transaction, a client asking to revalidate, a lost listening connection) the database answers."""

import select
import time

import psycopg
import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection, transaction

from boundaries.models import AdminArea
from tests.base import LUCHENG_POINT, TAISHUN_POINT, make_user
from tests.tiles.builders import decode, tile_at, url
from tiles import services
from tiles.memory import CHANNEL, MEMORY, Remembered, TagMemory
from tiles.models import CachedTile

pytestmark = pytest.mark.django_db(transaction=True)
ZOOMS = range(0, 23)


@pytest.fixture(autouse=True)
def trusted_for_a_minute(settings):
    """Memory answers for 20 ms after each round trip; a test between two requests may take longer on a busy
    machine, so here a round trip is trusted for a minute (notices still arrive at once)."""
    settings.TILES_MEMORY_TRUST_MS = 60_000


def names(response) -> set[str]:
    return {f["properties"]["name"] for f in decode(response)["counties"]}


def other_session():
    return psycopg.connect(**connection.get_connection_params(), autocommit=True)


def remembered(client, path):
    """Draws the tile, then looks it up once in the database, which the process then remembers."""
    assert MEMORY.sync()  # listening
    assert client.get(path)["X-Tile-Cache"] == "miss"
    assert client.get(path)["X-Tile-Cache"] == "hit"
    z, x, y = (int(part) for part in path.removesuffix(".mvt").split("/")[-3:])
    assert any(key[2:5] == (z, x, y) for key in MEMORY.entries)


def without_notice(sql, *params):
    """Changes the cache behind the triggers' back (replica mode fires no trigger): no process is told."""
    with other_session() as session:
        session.execute("SET session_replication_role = replica")
        session.execute(sql, params)


@pytest.fixture
def no_database_for_lookups(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the database was asked for a tile this process remembers")

    def apply():
        monkeypatch.setattr(services, "_lookup_cursor", refuse)

    return apply


def test_a_remembered_hit_asks_the_database_nothing(client, wenzhou_counties, no_database_for_lookups):
    path = url("counties", *tile_at(*LUCHENG_POINT, 9))
    remembered(client, path)
    first = client.get(path)

    no_database_for_lookups()
    again = client.get(path)
    not_modified = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again["X-Tile-Cache"] == "hit" and again.content == first.content and "鹿城区" in names(again)
    assert not_modified.status_code == 304


def test_healthz_tells_whether_the_process_listens_and_what_it_holds(client, wenzhou_counties):
    assert client.get("/healthz").json()["tile_memory"] == {"started": False}
    path = url("counties", *tile_at(*LUCHENG_POINT, 9))
    remembered(client, path)

    state = client.get("/healthz").json()["tile_memory"]

    assert state["listening"] and state["trusted"] and state["on"]
    assert state["remembered"] >= 1 and state["trust_ms"] == 60_000


def test_an_edit_committed_elsewhere_is_never_served_from_memory_at_any_zoom(client, wenzhou_counties):
    paths = [url("counties", *tile_at(*LUCHENG_POINT, z)) for z in ZOOMS]
    for path in paths:
        remembered(client, path)
    far = url("counties", *tile_at(*TAISHUN_POINT, 12))
    remembered(client, far)

    with other_session() as editor:
        editor.execute("UPDATE boundaries_adminarea SET name = '鹿城新区' WHERE code = '330302'")
    assert MEMORY.sync()

    for z, path in zip(ZOOMS, paths, strict=True):
        response = client.get(path)
        assert response["X-Tile-Cache"] == "miss", f"zoom {z} was served from memory after the edit"
        assert "鹿城新区" in names(response) and "鹿城区" not in names(response)
    assert client.get(far)["X-Tile-Cache"] == "hit"


def test_a_notice_that_reached_the_socket_is_applied_before_the_answer(client, wenzhou_counties):
    path = url("counties", *tile_at(*LUCHENG_POINT, 12))
    remembered(client, path)

    with MEMORY.lock:  # no other thread can read the notice first
        AdminArea.objects.filter(code="330302").update(name="鹿城新区")
        deadline = time.monotonic() + 10
        while not select.select((MEMORY._fd,), (), (), 0.05)[0]:
            assert time.monotonic() < deadline, "PostgreSQL sent no notice"
    response = client.get(path)  # no sync: the notice is applied by whichever thread reads the socket first

    assert response["X-Tile-Cache"] == "miss" and "鹿城新区" in names(response)


def test_memory_never_answers_past_its_trust_after_the_last_round_trip(client, wenzhou_counties):
    path = url("counties", *tile_at(*LUCHENG_POINT, 9))
    remembered(client, path)
    without_notice("DELETE FROM tiles_tilecache")  # only the trust now stands between memory and a stale answer

    with MEMORY.lock:  # no round trip can come in meanwhile
        MEMORY.trusted_until = time.monotonic() - 0.001
        late = client.get(path)
    assert late["X-Tile-Cache"] == "miss"  # the database answered

    without_notice("DELETE FROM tiles_tilecache")
    assert MEMORY.sync()
    assert client.get(path)["X-Tile-Cache"] == "hit"  # trusted again: memory answers (from the remembered tag)


def test_a_signed_in_viewer_is_always_answered_by_the_database(client, wenzhou_counties):
    path = url("counties", *tile_at(*LUCHENG_POINT, 10))
    remembered(client, path)
    client.force_login(make_user("officer-memory", "officer", "330302"))

    without_notice("DELETE FROM tiles_tilecache")
    signed_in = client.get(path)

    assert signed_in["X-Tile-Cache"] == "miss" and "鹿城区" in names(signed_in)


def test_a_client_asking_to_revalidate_is_answered_by_the_database(client, wenzhou_counties):
    path = url("counties", *tile_at(*LUCHENG_POINT, 10))
    remembered(client, path)

    for asks in ({"HTTP_CACHE_CONTROL": "no-cache"}, {"HTTP_CACHE_CONTROL": "max-age=0"}, {"HTTP_PRAGMA": "no-cache"}):
        without_notice("DELETE FROM tiles_tilecache")  # the process still remembers the tile
        assert client.get(path)["X-Tile-Cache"] == "hit"
        assert client.get(path, **asks)["X-Tile-Cache"] == "miss", asks


def test_inside_a_transaction_the_database_answers(client, wenzhou_counties):
    path = url("counties", *tile_at(*LUCHENG_POINT, 11))
    remembered(client, path)

    with transaction.atomic():
        AdminArea.objects.filter(code="330302").update(name="鹿城新区")  # not committed: nobody is told yet
        inside = client.get(path)
        transaction.set_rollback(True)

    assert inside["X-Tile-Cache"] == "miss" and "鹿城新区" in names(inside)
    assert MEMORY.sync()
    assert "鹿城区" in names(client.get(path))


def test_a_lost_listening_connection_forgets_everything_until_it_is_back(client, wenzhou_counties):
    path = url("counties", *tile_at(*LUCHENG_POINT, 13))
    remembered(client, path)
    listener = MEMORY._conn.info.backend_pid

    with other_session() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [listener])
    deadline = time.monotonic() + 10
    while MEMORY._conn is not None and MEMORY._conn.info.backend_pid == listener:
        assert time.monotonic() < deadline, "the lost connection went unnoticed"
        time.sleep(0.01)
    without_notice("DELETE FROM tiles_tilecache")
    assert client.get(path)["X-Tile-Cache"] == "miss"  # forgotten: the database answered

    assert MEMORY.sync()  # listening again, on a new connection
    assert MEMORY._conn.info.backend_pid != listener
    client.get(path)
    assert MEMORY.sync()
    without_notice("DELETE FROM tiles_tilecache")
    assert client.get(path)["X-Tile-Cache"] == "hit"  # remembered again


def test_the_cache_table_names_every_row_that_goes():
    heard: list[str] = []
    square = Polygon(((0, 0), (1, 0), (1, 1), (0, 1), (0, 0)), srid=3857)
    rows = [CachedTile(layerset="t", variant="public", z=18, x=n, y=0, etag=f"e{n}", data=b"x", envelope=square,
                       sources=["t"]) for n in range(2600)]
    with other_session() as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        listener.add_notify_handler(lambda notice: heard.append(notice.payload))

        def told():
            listener.execute("SELECT 1")  # pending notices arrive before the answer
            said = list(heard)
            heard.clear()
            return said

        CachedTile.objects.bulk_create(rows[:800])
        ids = sorted(CachedTile.objects.values_list("id", flat=True))
        CachedTile.objects.filter(id__in=ids).delete()
        said = told()
        assert sorted(int(i) for notice in said for i in notice.split(",")) == ids
        assert len(said) == 3 and all(len(notice) < 8000 for notice in said)

        CachedTile.objects.bulk_create(rows)
        CachedTile.objects.all().delete()  # a prune or a clear: more than 2,000 rows
        assert told() == ["*"]

        kept = CachedTile.objects.create(**{f: getattr(rows[0], f) for f in ("layerset", "variant", "z", "x", "y",
                                                                             "etag", "data", "envelope", "sources")})
        CachedTile.objects.filter(id=kept.id).update(created=kept.created)  # same tile: nothing to say
        assert told() == []
        CachedTile.objects.filter(id=kept.id).update(etag="other")  # replaced by another drawing
        assert told() == [str(kept.id)]

        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE tiles_tilecache")
        assert told() == ["*"]


def test_an_answer_the_database_gave_before_a_notice_is_not_remembered():
    memory = TagMemory(limit=3)
    memory.limit = 3
    key = ("counties@x", "public", 9, 1, 2, True)

    mark = memory.mark()
    with memory.lock:
        memory._apply("41")  # a notice came in while the database was answering
    memory.remember(key, Remembered(41, "old", True), mark)
    assert memory.entries == {}

    memory.remember(key, Remembered(42, "new", True), memory.mark())
    assert memory.entries[key].etag == "new"


def test_memory_keeps_at_most_its_limit_and_forgets_by_row_or_all():
    memory = TagMemory(limit=3)
    memory.limit = 3
    keys = [("counties@x", "public", 9, n, 0, gz) for n in range(4) for gz in (True, False)]
    for n, key in enumerate(keys):
        memory.remember(key, Remembered(100 + n // 2, f"tag{n}", key[-1]), memory.mark())

    assert list(memory.entries) == keys[-3:] and set(memory.by_row) == {102, 103}

    with memory.lock:
        memory._apply("103,999")
    assert list(memory.entries) == [keys[5]] and set(memory.by_row) == {102}

    with memory.lock:
        memory._apply("*")
    assert memory.entries == {} and memory.by_row == {}

    memory.remember(keys[0], Remembered(1, "a", True), memory.mark())
    with memory.lock:
        memory._apply("not a row")  # unreadable: forget everything rather than guess
    assert memory.entries == {}


@pytest.mark.parametrize("setting", ["TILES_MEMORY_TAGS", "TILES_MEMORY_TRUST_MS"])
def test_with_memory_turned_off_every_hit_asks_the_database(client, wenzhou_counties, settings, setting):
    setattr(settings, setting, 0)
    path = url("counties", *tile_at(*LUCHENG_POINT, 9))
    client.get(path)
    client.get(path)
    without_notice("DELETE FROM tiles_tilecache")

    assert client.get(path)["X-Tile-Cache"] == "miss"
    assert MEMORY.sync() is False
