import json
from unittest.mock import ANY

import pytest
from django.contrib.gis.geos import Point

from accounts.models import ApiToken
from boundaries.models import AdminArea
from exports.models import ExportLog
from tests.base import make_user, ruian_officer
from tests.exports.builders import consumer, ndjson, place

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def amap(wenzhou_counties):
    user = make_user("amap", "platform_consumer")
    platform = consumer(user, layers=("places",), areas=("330302",), per_minute=8)
    _token, raw = ApiToken.issue(user, "amap feed")
    return platform, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_platform_follows_latest_snapshot_and_events_with_its_token(client, amap):
    platform, auth = amap
    inside = place("五马大厦", kind="building")
    place("瑞安大厦", kind="building", county="330381")
    first = client.get("/api/v1/feed/latest", **auth).json()["txid"]

    snapshot = client.get(f"/api/v1/feed/snapshot?layer=places&txid={first}", **auth)
    assert snapshot["Content-Type"].startswith("application/x-ndjson")
    assert [r["id"] for r in ndjson(snapshot)] == [str(inside.uuid)]  # only its region

    inside.name = "五马中心大厦"
    inside.save()
    inside.area = AdminArea.objects.get(code="330381")
    inside.geom = Point(120.60, 27.80, srid=4490)
    inside.save()
    latest = client.get("/api/v1/feed/latest", **auth).json()["txid"]
    events = ndjson(client.get(f"/api/v1/feed/events?layer=places&from={first + 1}&to={latest}", **auth))
    # renamed inside the platform's region, then it left it: an update, then a delete
    assert [(e["op"], e["id"]) for e in events] == [("update", str(inside.uuid)), ("delete", str(inside.uuid))]

    logged = ExportLog.objects.filter(consumer=platform).order_by("at")
    assert [entry.kind for entry in logged] == ["latest", "snapshot", "latest", "events"]
    assert [entry.records for entry in logged if entry.kind != "latest"] == [1, 2]
    assert all(entry.finished for entry in logged)


def test_a_platform_that_asks_for_ndjson_gets_it_and_its_refusals_as_a_json_line(client, amap):
    _platform, auth = amap
    inside = place("五马大厦", kind="building")
    ndjson_only = {**auth, "HTTP_ACCEPT": "application/x-ndjson"}

    snapshot = client.get("/api/v1/feed/snapshot?layer=places", **ndjson_only)
    assert snapshot.status_code == 200 and snapshot["Content-Type"].startswith("application/x-ndjson")
    assert [r["id"] for r in ndjson(snapshot)] == [str(inside.uuid)]
    latest = client.get("/api/v1/feed/latest", **ndjson_only)
    assert latest.status_code == 200 and latest["Content-Type"].startswith("application/x-ndjson")
    assert [json.loads(line) for line in latest.content.decode().splitlines()] == [{"txid": ANY}]
    refused = client.get("/api/v1/feed/events?layer=places", **ndjson_only)
    assert refused.status_code == 400 and refused.content.endswith(b"\n")
    assert json.loads(refused.content)["error"]["code"] == "missing_parameter"


def test_a_platform_cannot_read_other_layers_or_regions(client, amap):
    _platform, auth = amap
    assert client.get("/api/v1/feed/snapshot?layer=roads", **auth).status_code == 403
    response = client.get("/api/v1/feed/snapshot?layer=places&area=330381", **auth)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "outside_region"
    assert response.json()["error"]["where"] == {"area": "330381"}  # as sent (before, the internal prefix)


def test_a_platform_over_its_rate_is_refused(client, amap):
    _platform, auth = amap
    answers = [client.get("/api/v1/feed/latest", **auth) for _ in range(10)]
    assert [a.status_code for a in answers[:8]] == [200] * 8
    assert [a.status_code for a in answers[8:]] == [429, 429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 60  # when the oldest read of the minute leaves it


def test_without_a_token_or_a_role_the_feed_is_closed(client, wenzhou_counties):
    assert client.get("/api/v1/feed/latest").status_code in (401, 403)
    client.force_login(make_user("nobody"))
    assert client.get("/api/v1/feed/latest").status_code == 403
    client.force_login(ruian_officer())
    assert client.get("/api/v1/feed/latest").status_code == 200


def test_coordinates_can_be_read_in_gcj02(client, amap):
    from gis.coords import wgs84_to_gcj02

    _platform, auth = amap
    building = place("五马大厦", kind="building")
    [record] = ndjson(client.get("/api/v1/feed/snapshot?layer=places&coords=gcj02", **auth))
    lon, lat = wgs84_to_gcj02(building.geom.x, building.geom.y)
    assert abs(record["geometry"]["coordinates"][0] - lon) < 1e-9
    assert abs(record["label"][1] - lat) < 1e-9


def test_a_baidu_account_reads_bd09_unless_it_asks_otherwise(client, wenzhou_counties):
    from gis.coords import wgs84_to_bd09

    user = make_user("baidu", "platform_consumer", "330300")
    platform = consumer(user, layers=("places",), name="百度地图")
    platform.profile = "baidu"
    platform.save()
    _token, raw = ApiToken.issue(user, "baidu feed")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    building = place("五马大厦", kind="building")

    [record] = ndjson(client.get("/api/v1/feed/snapshot?layer=places", **auth))
    lon, lat = wgs84_to_bd09(building.geom.x, building.geom.y)
    assert abs(record["label"][0] - lon) < 1e-9 and abs(record["label"][1] - lat) < 1e-9
    [plain] = ndjson(client.get("/api/v1/feed/snapshot?layer=places&coords=wgs84", **auth))
    assert plain["geometry"]["coordinates"] == [building.geom.x, building.geom.y]


def test_an_officer_over_the_feed_rate_is_refused_too(client, wenzhou_counties, settings):
    settings.FEED_READS_PER_MINUTE = 3
    client.force_login(ruian_officer())

    statuses = [client.get(path).status_code for path in
                ("/api/v1/feed/latest", "/api/v1/feed/snapshot?layer=places", "/api/v1/feed/latest",
                 "/api/v1/feed/snapshot?layer=places", "/api/v1/feed/latest")]

    assert statuses == [200, 200, 200, 429, 429]


def test_a_parameter_the_feed_does_not_read_is_refused_not_ignored(client, amap):
    """Before, crs=bogus (OGC's word for coords) and any other stray parameter answered 200 in the default."""
    _platform, auth = amap
    for query in ("layer=places&crs=EPSG:4326", "layer=places&bogus=1", "layer=places&from=1"):
        response = client.get(f"/api/v1/feed/snapshot?{query}", **auth)
        assert response.status_code == 400, query
        assert response.json()["error"]["code"] == "unknown_parameter"
    assert client.get("/api/v1/feed/events?layer=places&from=1&txid=3", **auth).status_code == 400
    assert client.get("/api/v1/feed/snapshot?layer=places&coords=gcj02&kind=road", **auth).status_code == 200
