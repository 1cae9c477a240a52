"""A feed read says which range it used (also when `to` is omitted), before its lines and again in the end record
that closes every whole read; a stream cut by an error, a lost database or its deadline has no end record, so it
never looks complete. Positions after the newest transaction are refused, and a reader that stalls holds no
transaction open."""

import http.client
import json
import threading
import time
from urllib.parse import urlparse

import psycopg
import pytest
from django.db import connection

from accounts.models import ApiToken
from exports import feed, sql
from exports.services import export_file
from exports.sources import Filters
from gis.errors import InputError
from tests.base import make_user
from tests.exports.builders import consumer, feed_records, ndjson, place

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def auth(wenzhou_counties):
    user = make_user("amap", "platform_consumer", "330300")
    consumer(user, layers=("places",), per_minute=100)
    _token, raw = ApiToken.issue(user, "amap feed")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def six_places(wenzhou_counties):
    start = sql.latest_txid()
    made = [place(f"测试{n}号楼", kind="building", shift=n) for n in range(6)]
    return start, made


def lines_of(response) -> list[dict]:
    return [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]


def test_events_without_to_say_the_range_used_before_the_lines_and_in_the_end_record(client, auth, six_places):
    start, made = six_places
    latest = sql.latest_txid()

    response = client.get(f"/api/v1/feed/events?layer=places&from={start + 1}", **auth)

    assert (response["X-Feed-From"], response["X-Feed-To"]) == (str(start + 1), str(latest))
    *records, end = lines_of(response)
    assert end == {"op": "end", "layer": "places", "from": start + 1, "to": latest, "count": 6, "next": latest + 1}
    assert sorted(r["id"] for r in records) == sorted(str(p.uuid) for p in made)
    up_to_date = client.get(f"/api/v1/feed/events?layer=places&from={latest + 1}", **auth)
    assert lines_of(up_to_date) == [{"op": "end", "layer": "places", "from": latest + 1, "to": latest, "count": 0,
                                     "next": latest + 1}]


def test_a_reader_that_takes_gzip_gets_the_same_lines_compressed_and_a_whole_read_is_logged(client, auth, six_places):
    """A whole layer is tens of megabytes of NDJSON (Taishun's plates: 47 MB, 6.9 MB compressed)."""
    import gzip

    from exports.models import ExportLog

    start, _made = six_places
    path = f"/api/v1/feed/events?layer=places&from={start + 1}"
    plain = lines_of(client.get(path, **auth))
    packed = client.get(path, HTTP_ACCEPT_ENCODING="gzip", **auth)
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert [json.loads(line) for line in gzip.decompress(b"".join(packed.streaming_content)).splitlines()] == plain
    logged = ExportLog.objects.filter(kind=ExportLog.Kind.EVENTS).latest("pk")
    assert (logged.records, logged.finished) == (len(plain) - 1, True)


def test_a_snapshot_says_its_transaction_and_ends_with_its_count(client, auth, six_places):
    latest = sql.latest_txid()

    response = client.get("/api/v1/feed/snapshot?layer=places", **auth)

    assert response["X-Feed-Txid"] == str(latest)
    *records, end = lines_of(response)
    assert end == {"op": "end", "layer": "places", "txid": latest, "count": 6, "next": latest + 1}
    assert all("txid" not in r for r in records)  # only a whole read gives a position to go on from


def test_positions_after_the_newest_transaction_are_refused(client, auth, six_places):
    latest = sql.latest_txid()
    for path in (f"snapshot?layer=places&txid={latest + 1}", f"events?layer=places&from={latest + 2}",
                 f"events?layer=places&from={latest}&to={latest + 1}"):
        response = client.get(f"/api/v1/feed/{path}", **auth)
        assert response.status_code == 400, path
        assert response.json()["error"]["code"] == "future_position"
        assert response.json()["error"]["where"]["latest"] == latest, path  # before, latest + 1 for "from"


def test_an_incremental_export_after_the_newest_transaction_is_refused_not_empty(six_places, tmp_path):
    """A platform that typed 500 for 50 got a file of no change, and lost every change in between."""
    latest = sql.latest_txid()
    with pytest.raises(InputError) as refused:
        export_file(profile="amap", layer="places", out=tmp_path / "a.csv", since=latest + 1)
    assert refused.value.code == "future_position" and refused.value.where == {"since": latest + 1, "latest": latest}
    assert export_file(profile="amap", layer="places", out=tmp_path / "b.csv", since=latest).records == 0


def test_a_read_past_its_deadline_stops_without_its_end_record(six_places, monkeypatch):
    monkeypatch.setattr(sql, "FEED_CHUNK_ROWS", 2)
    monkeypatch.setattr(feed, "LINES_PER_CHUNK", 2)
    start, _made = six_places
    stream = feed.event_lines("places", start + 1, sql.latest_txid(), Filters(),
                              bounds=sql.Bounds(statement_ms=5000, deadline=time.monotonic() + 0.3))

    received = next(stream)
    time.sleep(0.4)  # the reader stalls past the stream's deadline
    with pytest.raises(sql.StreamCut):
        next(stream)
    assert len(received.splitlines()) == 2 and '"op":"end"' not in received


def test_a_reader_that_stalls_holds_no_transaction_open(client, auth, six_places, monkeypatch):
    monkeypatch.setattr(sql, "FEED_CHUNK_ROWS", 2)
    monkeypatch.setattr(feed, "LINES_PER_CHUNK", 2)
    start, _made = six_places
    response = client.get(f"/api/v1/feed/events?layer=places&from={start + 1}", **auth)
    stream = iter(response.streaming_content)

    first = next(stream)  # and the reader reads no further for now
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as watcher:
        state = watcher.execute("SELECT state FROM pg_stat_activity WHERE pid = %s",
                                [connection.connection.info.backend_pid]).fetchone()[0]

    assert len(first.decode().splitlines()) == 2
    assert state == "idle"
    rest = b"".join(stream).decode().splitlines()
    assert json.loads(rest[-1])["count"] == 6


def test_a_stream_cut_by_a_database_restart_ends_without_its_end_record_and_the_next_read_works(
        live_server, six_places, monkeypatch):
    """PostgreSQL restarted under a stream: the server's connections to the database are terminated, as a restart
    does, between two chunks of the stream, after its first lines went out (the test's own is spared)."""
    monkeypatch.setattr(sql, "FEED_CHUNK_ROWS", 2)
    monkeypatch.setattr(feed, "LINES_PER_CHUNK", 2)
    start, _made = six_places
    user = make_user("amap", "platform_consumer", "330300")
    consumer(user, layers=("places",), per_minute=100)
    _token, raw = ApiToken.issue(user, "amap feed")
    first_chunk_sent, restarted = threading.Event(), threading.Event()
    chunks = []
    read_chunk = sql._chunk

    def chunk_then_wait(*args):
        chunks.append(1)
        if len(chunks) == 2:  # the first chunk is on its way to the reader
            first_chunk_sent.set()
            restarted.wait(30)
        return read_chunk(*args)

    monkeypatch.setattr(sql, "_chunk", chunk_then_wait)
    server = urlparse(live_server.url)
    reader = http.client.HTTPConnection(server.hostname, server.port, timeout=30)
    reader.request("GET", f"/api/v1/feed/events?layer=places&from={start + 1}",
                   headers={"Authorization": f"Bearer {raw}"})
    response = reader.getresponse()
    assert response.status == 200
    assert first_chunk_sent.wait(30)
    connection.ensure_connection()
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
                      [connection.connection.info.backend_pid])
    restarted.set()
    try:
        body = response.read()
    except http.client.IncompleteRead as cut:
        body = cut.partial
    reader.close()

    received = [json.loads(line) for line in body.decode().splitlines()]
    assert len(received) == 2 and all(r["op"] != "end" for r in received)

    monkeypatch.setattr(sql, "_chunk", read_chunk)
    again = http.client.HTTPConnection(server.hostname, server.port, timeout=30)
    again.request("GET", f"/api/v1/feed/events?layer=places&from={received[-1]['txid']}",
                  headers={"Authorization": f"Bearer {raw}"})
    resumed = again.getresponse()
    *records, end = [json.loads(line) for line in resumed.read().decode().splitlines()]
    again.close()
    assert resumed.status == 200 and end["op"] == "end" and end["count"] == len(records)
    assert {r["id"] for r in received + records} == {r["id"] for r in feed_records(
        feed.event_lines("places", start + 1, sql.latest_txid(), Filters()))}


def test_a_whole_read_through_the_api_is_counted_and_logged_as_finished(client, auth, six_places):
    from exports.models import ExportLog

    start, _made = six_places
    records = ndjson(client.get(f"/api/v1/feed/events?layer=places&from={start + 1}", **auth))

    log = ExportLog.objects.get(kind="events")
    assert len(records) == log.records == 6 and log.finished
