"""A consumer's filters apply to states, not to changes: entering its region or kind is an insert, leaving
it a delete; a TRUNCATE of a layer's table reaches the feed as deletes too."""

import json

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from boundaries.models import AdminArea
from exports import feed, sql
from exports.sources import Filters
from tests.exports.builders import place, place_kind

pytestmark = pytest.mark.django_db(transaction=True)

RUIAN = Filters(prefixes=("330381",))


def events(layer, a, b, filters):
    return [(e["op"], e["id"]) for e in map(json.loads, "".join(feed.event_lines(layer, a, b, filters)).splitlines())]


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

    assert events("places", start, moved_in, RUIAN) == [("insert", str(building.uuid))]
    assert events("places", moved_in, moved_back, RUIAN) == [("delete", str(building.uuid))]
    assert events("places", start, moved_back, RUIAN) == []  # never there at either end
    assert events("places", start, moved_back, Filters()) == []  # back exactly where it was: nothing to do


def test_changing_kind_leaves_a_kind_filter(wenzhou_counties):
    building = place("五马大厦", kind="building")
    start = sql.latest_txid()
    building.kind = place_kind("residential")
    building.save()

    assert events("places", start, sql.latest_txid(), Filters(kinds=("building",))) == \
        [("delete", str(building.uuid))]
    assert events("places", start, sql.latest_txid(), Filters(kinds=("residential",))) == \
        [("insert", str(building.uuid))]


def test_a_truncated_table_reaches_the_feed_as_deletes(wenzhou_counties):
    kept = [place("五马大厦", kind="building"), place("信河大厦", kind="building", shift=2)]
    start = sql.latest_txid()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE placenames_place CASCADE")

    assert sorted(events("places", start, sql.latest_txid(), Filters())) == \
        sorted(("delete", str(p.uuid)) for p in kept)
    assert list(feed.snapshot_lines("places", sql.latest_txid(), Filters())) == []


def test_a_rolled_back_transaction_leaves_no_trace(wenzhou_counties):
    from django.db import transaction

    start = sql.latest_txid()
    with pytest.raises(RuntimeError), transaction.atomic():
        place("五马大厦", kind="building")
        raise RuntimeError
    assert sql.latest_txid() == start
    assert events("places", 0, start, Filters()) == []
