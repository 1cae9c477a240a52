"""`manage.py prune_feed` compacts the change feed's old history. From the horizon on nothing changes: the snapshots
and the events read exactly as before. A platform asking for anything older is told so (410), not given a wrong
answer."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import ApiToken
from exports import feed, sql
from exports.models import FeatureVersion, FeedTransaction
from exports.sources import Filters
from gis.errors import Gone
from placenames.models import PlaceStatus
from tests.base import make_user
from tests.exports.builders import consumer, feed_records, place

pytestmark = pytest.mark.django_db(transaction=True)


def lines(generator) -> list[dict]:
    return feed_records(generator)


@pytest.fixture
def history(wenzhou_counties):
    """Five committed transactions on the places layer; the first three are 400 days old."""
    marks = []
    a = place("望江大厦", kind="building")
    b = place("江滨大厦", kind="building")
    marks.append(sql.latest_txid())
    a.name = "望江中心"
    a.save()
    marks.append(sql.latest_txid())
    b.status = PlaceStatus.RETIRED
    b.save()
    marks.append(sql.latest_txid())
    a.name = "望江国际中心"
    a.save()
    marks.append(sql.latest_txid())
    place("滨江大厦", kind="building")
    marks.append(sql.latest_txid())
    FeedTransaction.objects.filter(txid__lte=marks[2]).update(committed_at=timezone.now() - timedelta(days=400))
    return marks


def test_from_the_horizon_on_snapshots_and_events_read_as_before(history):
    t1, t2, t3, t4, t5 = history
    before = {"snapshot3": lines(feed.snapshot_lines("places", t3, Filters())),
              "snapshot5": lines(feed.snapshot_lines("places", t5, Filters())),
              "events35": lines(feed.event_lines("places", t3, t5, Filters())),
              "events45": lines(feed.event_lines("places", t4, t5, Filters()))}
    versions = FeatureVersion.objects.filter(layer="places").count()
    out = io.StringIO()

    call_command("prune_feed", "--keep-days", "365", stdout=out)

    assert out.getvalue().startswith(f"feed horizon txid {t3}:")
    assert FeatureVersion.objects.filter(layer="places").count() < versions
    after = {"snapshot3": lines(feed.snapshot_lines("places", t3, Filters())),
             "snapshot5": lines(feed.snapshot_lines("places", t5, Filters())),
             "events35": lines(feed.event_lines("places", t3, t5, Filters())),
             "events45": lines(feed.event_lines("places", t4, t5, Filters()))}
    assert after == before
    assert [r["properties"]["name"] for r in after["snapshot3"]] == ["望江中心"]  # the retired one is gone


def test_reads_from_before_the_horizon_are_refused_with_what_to_do(client, history):
    t1, t2, t3, _t4, t5 = history
    call_command("prune_feed", "--keep-days", "365", stdout=io.StringIO())

    with pytest.raises(Gone):
        feed.snapshot_lines("places", t2, Filters())
    with pytest.raises(Gone):
        feed.event_lines("places", t1, t5, Filters())
    user = make_user("amap", "platform_consumer")
    consumer(user, layers=("places",))
    _token, raw = ApiToken.issue(user, "amap feed")
    response = client.get(f"/api/v1/feed/events?layer=places&from={t1}", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 410
    error = response.json()["error"]
    assert error["code"] == "feed_pruned" and error["where"]["horizon"] == t3 and "全量快照" in error["message"]
    assert client.get(f"/api/v1/feed/events?layer=places&from={t3}",
                      HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_pruning_again_with_nothing_older_changes_nothing(history):
    call_command("prune_feed", "--keep-days", "365", stdout=io.StringIO())
    versions = FeatureVersion.objects.count()

    done = sql.prune_feed(timezone.now() - timedelta(days=365))

    assert (done.horizon, done.versions, done.transactions) == (history[2], 0, 0)
    assert FeatureVersion.objects.count() == versions
