"""A tablet's change to an inspection, a marker's record or the report names the version it was made on; without it
the change is refused (428), so it cannot overwrite a change made meanwhile by the other side."""

import json

import pytest

from boundaries.inspection_models import MarkerRecord
from tests.boundaries.lines_base import line_with_markers, officers

API = "/boundaries/api"


def post(client, path, body, method="post"):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def campaign(wenzhou_counties, client):
    lucheng, *_ = officers()
    line = line_with_markers(lucheng)
    client.force_login(lucheng)
    created = post(client, f"{API}/campaigns/", {"line": str(line.uuid), "year": 2026, "plan": "逐桩检查",
                                                 "members": [{"side": "a", "name": "张三"}]}).json()
    return line, created


def test_changes_without_a_version_are_refused(campaign, client):
    line, created = campaign
    marker = line.markers.first()
    url = f"{API}/campaigns/{created['uuid']}/"
    rec = post(client, url + "records/", {"marker": str(marker.uuid), "state": "intact"}).json()  # new: no version

    patched = post(client, url, {"plan": "改"}, method="patch")
    changed = post(client, url + "records/", {"marker": str(marker.uuid), "state": "damaged"})
    signed = post(client, f"{API}/records/{rec['uuid']}/sign/", {"side": "a"})

    assert [r.status_code for r in (patched, changed, signed)] == [428, 428, 428]
    assert changed.json()["error"]["code"] == "version_required"
    assert MarkerRecord.objects.get(uuid=rec["uuid"]).state == "intact"
    assert post(client, url, {"plan": "改", "version": created["version"]}, method="patch").status_code == 200
