"""A consumer's filters apply to states, not to changes: entering its region or kind is an insert, leaving
it a delete, a change outside them nothing; a TRUNCATE of a layer's table reaches the feed as deletes too. Events
are read from a transaction number on, that transaction included (`next` = the last one read + 1)."""


import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from boundaries.models import AdminArea
from exports import feed, sql
from exports.sources import Filters
from tests.exports.builders import feed_records, place, place_kind

pytestmark = pytest.mark.django_db(transaction=True)

RUIAN = Filters(prefixes=("330381",))


def events(layer, a, b, filters):
    return [(e["op"], e["id"]) for e in feed_records(feed.event_lines(layer, a, b, filters))]


def test_moving_into_a_region_is_an_insert_and_out_of_it_a_delete(wenzhou_counties):
    building = place("五马大厦", kind="building")
    start = sql.latest_txid()
    building.area = AdminArea.objects.get(code="330381")
    building.geom = Point(120.60, 27.80, srid=4490)
    building.save()
    moved_in = sql.latest_txid()
    building.area = AdminArea.objects.get(code="330302")
    building.geom = Point(120.655, 28.015, srid=4490)
    building.save()
    moved_back = sql.latest_txid()

    assert events("places", start + 1, moved_in, RUIAN) == [("insert", str(building.uuid))]
    assert events("places", moved_in + 1, moved_back, RUIAN) == [("delete", str(building.uuid))]
    # A reader who follows sees it come and go, each change with its own transaction.
    assert events("places", start + 1, moved_back, RUIAN) == [("insert", str(building.uuid)),
                                                               ("delete", str(building.uuid))]
    assert events("places", start + 1, moved_back, Filters()) == [("update", str(building.uuid))] * 2
    assert events("places", start + 1, moved_back, Filters(prefixes=("330324",))) == []  # never in 永嘉


def test_changing_kind_leaves_a_kind_filter(wenzhou_counties):
    building = place("五马大厦", kind="building")
    start = sql.latest_txid()
    building.kind = place_kind("residential")
    building.save()

    assert events("places", start + 1, sql.latest_txid(), Filters(kinds=("building",))) == \
        [("delete", str(building.uuid))]
    assert events("places", start + 1, sql.latest_txid(), Filters(kinds=("residential",))) == \
        [("insert", str(building.uuid))]


def test_a_truncated_table_reaches_the_feed_as_deletes(wenzhou_counties):
    kept = [place("五马大厦", kind="building"), place("信河大厦", kind="building", shift=2)]
    start = sql.latest_txid()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE placenames_place CASCADE")

    assert sorted(events("places", start + 1, sql.latest_txid(), Filters())) == \
        sorted(("delete", str(p.uuid)) for p in kept)
    assert feed_records(feed.snapshot_lines("places", sql.latest_txid(), Filters())) == []


def test_a_rolled_back_transaction_leaves_no_trace(wenzhou_counties):
    from django.db import transaction

    start = sql.latest_txid()
    with pytest.raises(RuntimeError), transaction.atomic():
        place("五马大厦", kind="building")
        raise RuntimeError
    assert sql.latest_txid() == start
    assert events("places", 0, start, Filters()) == []
