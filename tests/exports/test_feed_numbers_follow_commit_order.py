"""Transaction numbers are drawn at commit: a reader never sees txid N+1 before N, and a long transaction that
started first but commits last gets the larger number."""

import threading

import pytest
from django.db import connection, connections, transaction

from exports import feed, sql
from exports.sources import Filters
from tests.exports.builders import feed_records, place, place_kind

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot_ids(txid):
    return {record["id"] for record in feed_records(feed.snapshot_lines("places", txid, Filters()))}


def test_a_transaction_that_commits_last_gets_the_later_number(wenzhou_counties):
    place_kind("building")  # created now: the worker's open transaction would otherwise hold its row
    started, other_committed = threading.Event(), threading.Event()
    made = {}

    def long_transaction():
        try:
            with transaction.atomic():
                made["long"] = place("先开始的大厦", kind="building")
                started.set()
                other_committed.wait(10)
        finally:
            connections.close_all()

    worker = threading.Thread(target=long_transaction)
    worker.start()
    started.wait(10)
    short = place("后开始的大厦", kind="building", shift=2)
    short_txid = sql.latest_txid()
    assert snapshot_ids(short_txid) == {str(short.uuid)}  # the open transaction is not in the feed yet
    other_committed.set()
    worker.join(10)

    long_txid = sql.latest_txid()
    assert long_txid > short_txid
    assert snapshot_ids(long_txid) == {str(short.uuid), str(made["long"].uuid)}


def test_immediate_constraints_still_stamp_the_whole_transaction(wenzhou_counties):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        first = place("五马大厦", kind="building")
        second = place("信河大厦", kind="building", shift=2)
        first.name = "五马中心"
        first.save()

    latest = sql.latest_txid()
    lines = feed_records(feed.event_lines("places", latest, latest, Filters()))
    assert {(r["id"], r["properties"]["name"]) for r in lines} == {(str(first.uuid), "五马中心"),
                                                                   (str(second.uuid), "信河大厦")}
    assert {r["txid"] for r in lines} == {latest}  # one transaction, one number
