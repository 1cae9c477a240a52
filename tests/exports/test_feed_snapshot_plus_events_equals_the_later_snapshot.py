"""The feed's defining property (Denmark's DAR): snapshot(A) + events(A, B) == snapshot(B), and replaying the
events a second time changes nothing, for random edit histories and for every consumer filter. And a reader whose
stream is cut after any line resumes from the transaction number of the last line it received and loses nothing
(a record leaving a region and edited in another, one leaving and coming back)."""


import pytest
from django.contrib.gis.geos import Point
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boundaries.models import AdminArea
from exports import feed, sql
from exports.sources import Filters
from placenames.models import Place, PlaceStatus
from tests.exports.builders import feed_records, place, place_kind

pytestmark = pytest.mark.django_db(transaction=True)

SLOTS = 4
COUNTIES = {"330302": (120.655, 28.015), "330381": (120.60, 27.80)}
FILTERS = [Filters(), Filters(prefixes=("330302",)), Filters(kinds=("building",)),
           Filters(prefixes=("330381",), kinds=("residential",))]

edits = st.lists(st.tuples(
    st.sampled_from(["create", "rename", "move", "retire", "reinstate", "rekind", "delete", "touch"]),
    st.integers(0, SLOTS - 1),
    st.sampled_from(sorted(COUNTIES)),
    st.integers(0, 9),
    st.booleans(),  # together with the next edit, in one transaction
), min_size=1, max_size=14)


def state_of(lines) -> dict[str, dict]:
    return apply({}, lines)


def apply(state: dict[str, dict], lines) -> dict[str, dict]:
    """The state after the records of a whole read (its end record checked)."""
    return apply_records(state, feed_records(lines))


def apply_records(state: dict[str, dict], records) -> dict[str, dict]:
    state = dict(state)
    for event in records:
        if event["op"] == "delete":
            state.pop(event["id"], None)
        else:
            state[event["id"]] = {k: event[k] for k in ("properties", "geometry", "area_code12", "kind")}
    return state


def cut_and_resumed(state: dict[str, dict], a: int, b: int, filters: Filters):
    """For every place a stream of events a to b can be cut (after each of its records): the state of a reader that
    applied what it received, then resumed from the transaction number of the last record received."""
    records = feed_records(feed.event_lines("places", a, b, filters))
    for cut in range(1, len(records)):
        received = records[:cut]
        yield cut, apply(apply_records(state, received), feed.event_lines("places", received[-1]["txid"], b, filters))


class History:
    def __init__(self):
        self.slots: dict[int, Place] = {}
        self.serial = 0

    def run(self, action, slot, county, n):
        current = self.slots.get(slot)
        if action == "create" and current is None:
            self.serial += 1
            kind = "building" if n % 2 else "residential"
            self.slots[slot] = place(f"测试{self.serial}号楼", county=county, kind=kind, shift=n)
            return
        if current is None:
            return
        current.refresh_from_db()
        lon, lat = COUNTIES[county]
        if action == "rename":
            current.name = f"{current.name[:-2]}{n}楼"
        elif action == "move":
            current.area = AdminArea.objects.get(code=county)
            current.geom = Point(lon + n * 0.001, lat, srid=4490)
        elif action == "retire":
            current.status = PlaceStatus.RETIRED
        elif action == "reinstate":
            current.status = PlaceStatus.IN_USE
        elif action == "rekind":
            current.kind = place_kind("building" if current.kind.code != "building" else "residential")
        elif action == "delete":
            current.delete()
            del self.slots[slot]
            return
        current.save()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=edits, picks=st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), min_size=3, max_size=3))
def test_snapshot_plus_events_is_the_later_snapshot(wenzhou_counties, history, picks):
    log = History()
    txids = [sql.latest_txid()]
    pending = []
    for action, slot, county, n, joined in history:
        pending.append((action, slot, county, n))
        if joined:
            continue
        with transaction.atomic():
            for edit in pending:
                log.run(*edit)
        pending = []
        txids.append(sql.latest_txid())
    assert txids == sorted(txids)
    for (i, j), filters in zip(picks, FILTERS, strict=False):
        a, b = sorted((txids[i % len(txids)], txids[j % len(txids)]))
        before = state_of(feed.snapshot_lines("places", a, filters))
        after = state_of(feed.snapshot_lines("places", b, filters))
        events = list(feed.event_lines("places", a, b, filters))
        assert apply(before, events) == after
        assert apply(apply(before, events), events) == after
        assert apply(before, feed.event_lines("places", a + 1, b, filters)) == after  # from the next one on
    for filters in FILTERS:  # and over the whole run, whole and cut anywhere
        first = state_of(feed.snapshot_lines("places", txids[0], filters))
        last = state_of(feed.snapshot_lines("places", txids[-1], filters))
        assert apply(first, feed.event_lines("places", txids[0], txids[-1], filters)) == last
        for cut, state in cut_and_resumed(first, txids[0] + 1, txids[-1], filters):
            assert state == last, f"cut after {cut} records, resumed from the last one's txid"
