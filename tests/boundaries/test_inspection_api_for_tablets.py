"""The tablets' API: JSON records with positions, Idempotency-Key replays, versions, sides and photos."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boundaries.inspection_models import MarkerRecord
from tests.base import image_bytes
from tests.boundaries.lines_base import line_with_markers, officers

API = "/boundaries/api"


def post(client, path, body, key=None, method="post"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return getattr(client, method)(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def field(wenzhou_counties, client):
    lucheng, ouhai, city, taishun = officers()
    line = line_with_markers(lucheng)
    client.force_login(lucheng)
    response = post(client, f"{API}/campaigns/", {"line": str(line.uuid), "year": 2026, "plan": "逐桩检查",
                                                  "members": [{"side": "a", "name": "张三"}, {"side": "b", "name": "李四"}]})
    assert response.status_code == 201, response.content
    return client, line, response.json(), lucheng, ouhai, taishun


def test_a_tablet_records_a_marker_and_a_resend_with_the_same_key_is_done_once(field):
    client, line, campaign, *_ = field
    marker = line.markers.order_by("sequence").first()
    body = {"marker": str(marker.uuid), "state": "displaced", "method": "gnss", "accuracy_m": 0.02,
            "measured": {"type": "Point", "coordinates": [marker.geom.x + 0.00005, marker.geom.y]}, "crs": "EPSG:4490"}
    first = post(client, f"{API}/campaigns/{campaign['uuid']}/records/", body, key="tablet-7-0001")
    again = post(client, f"{API}/campaigns/{campaign['uuid']}/records/", body, key="tablet-7-0001")
    assert first.status_code == 200 and again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    data = first.json()
    assert data["beyond_tolerance"] is True and 4.5 < data["displacement_m"] < 5.5 and data["tolerance_m"] == 1.0
    assert MarkerRecord.objects.count() == 1


def test_signing_through_the_api_checks_the_side_and_the_version(field, client):
    client, line, campaign, lucheng, ouhai, _ = field
    marker = line.markers.first()
    rec = post(client, f"{API}/campaigns/{campaign['uuid']}/records/", {"marker": str(marker.uuid), "state": "intact"}).json()
    refused = post(client, f"{API}/records/{rec['uuid']}/sign/", {"side": "b", "version": 1})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_your_side"
    assert post(client, f"{API}/records/{rec['uuid']}/sign/", {"side": "a", "version": 1}).status_code == 200
    changed = post(client, f"{API}/campaigns/{campaign['uuid']}/records/",
                   {"marker": str(marker.uuid), "state": "damaged", "version": 1}).json()
    assert changed["version"] == 2 and changed["signatures"]["a"]["by"] is None
    client.force_login(ouhai)
    stale = post(client, f"{API}/records/{rec['uuid']}/sign/", {"side": "b", "version": 1})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    signed = post(client, f"{API}/records/{rec['uuid']}/sign/", {"side": "b", "version": 2}).json()
    assert signed["signatures"]["b"]["by"] == "ouhai_officer" and signed["locked"]


def test_a_line_the_user_is_no_side_of_does_not_exist_for_him(field):
    client, line, campaign, _lucheng, _ouhai, taishun = field
    client.force_login(taishun)
    assert client.get(f"{API}/lines/").json() == []
    assert client.get(f"{API}/lines/{line.uuid}/").status_code == 404
    assert client.get(f"{API}/campaigns/{campaign['uuid']}/").status_code == 404
    assert post(client, f"{API}/campaigns/", {"line": str(line.uuid), "year": 2027}).status_code == 404


def test_a_line_read_carries_the_markers_registered_positions_for_its_sides(field):
    client, line, *_ = field
    data = client.get(f"{API}/lines/{line.uuid}/").json()
    assert data["my_sides"] == ["a"]
    assert [m["number"] for m in data["markers"]] == [f"{line.line_code}{n:03d}Q" for n in (1, 2, 3)]
    assert data["markers"][0]["position"] == [pytest.approx(line.markers.get(sequence=1).geom.x, abs=1e-9),
                                              pytest.approx(line.markers.get(sequence=1).geom.y, abs=1e-9)]


def test_a_photo_is_attached_to_the_current_record(field):
    client, line, campaign, *_ = field
    rec = post(client, f"{API}/campaigns/{campaign['uuid']}/records/",
               {"marker": str(line.markers.first().uuid), "state": "damaged"}).json()
    photo = SimpleUploadedFile("m.jpg", image_bytes("JPEG", size=(1, 1)), content_type="image/jpeg")
    response = client.post(f"{API}/records/{rec['uuid']}/photos/", {"image": photo, "caption": "桩身裂缝"})
    assert response.status_code == 201
    detail = client.get(f"{API}/campaigns/{campaign['uuid']}/").json()
    assert detail["records"][0]["photos"][0]["caption"] == "桩身裂缝"


def test_a_new_marker_s_record_is_changed_by_its_record_id(field):
    """A marker found that the register lacks has a record with no marker: it is changed by naming the record. The
    lookup of that record used to lock the marker's side of an outer join as well, which PostgreSQL refuses (a 500)."""
    client, line, campaign, *_ = field
    marker = line.markers.order_by("sequence").first()
    where = {"type": "Point", "coordinates": [marker.geom.x + 0.001, marker.geom.y]}
    found = post(client, f"{API}/campaigns/{campaign['uuid']}/records/",
                 {"marker": None, "state": "new", "new_sequence": 9, "method": "gnss", "measured": where})
    assert found.status_code == 200, found.content

    changed = post(client, f"{API}/campaigns/{campaign['uuid']}/records/",
                   {"record": found.json()["uuid"], "note": "桩身完好，油漆脱落", "version": 1})

    assert changed.status_code == 200, changed.content
    rec = MarkerRecord.objects.get(uuid=found.json()["uuid"])
    assert (rec.marker_id, rec.new_sequence, rec.note, rec.version) == (None, 9, "桩身完好，油漆脱落", 2)


def test_a_signer_who_read_a_record_before_an_unsigned_change_is_refused(field, client):
    """Before: a change to a record no side had signed kept its version, so a side could sign, on the version it had
    read, what the other side had written since."""
    client, line, campaign, lucheng, ouhai, _ = field
    marker = line.markers.first()
    records = f"{API}/campaigns/{campaign['uuid']}/records/"
    read = post(client, records, {"marker": str(marker.uuid), "state": "intact"}).json()
    client.force_login(ouhai)
    changed = post(client, records, {"marker": str(marker.uuid), "state": "lost", "version": read["version"]})
    assert changed.status_code == 200 and changed.json()["version"] == read["version"] + 1

    client.force_login(lucheng)
    stale = post(client, f"{API}/records/{read['uuid']}/sign/", {"side": "a", "version": read["version"]})

    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert MarkerRecord.objects.get(uuid=read["uuid"]).signed_a_at is None
    again = post(client, records, {"marker": str(marker.uuid), "state": "damaged", "version": read["version"]})
    assert again.status_code == 409  # an editor who read it before the change is refused as well


def test_a_change_to_the_unsigned_report_makes_the_version_read_before_it_stale(field, client):
    client, line, campaign, *_ = field
    report = f"{API}/campaigns/{campaign['uuid']}/report/"
    first = post(client, report, {"summary": "界线清楚"}, method="put").json()
    changed = post(client, report, {"summary": "界线清楚，一处界桩移位", "version": first["version"]}, method="put")
    assert changed.status_code == 200 and changed.json()["version"] == first["version"] + 1

    stale = post(client, report, {"summary": "界线清楚", "version": first["version"]}, method="put")

    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"


def test_a_change_of_members_is_kept_in_the_history_with_who_was_there_before_and_after(field):
    """Before, the history said only "replaced" of the members (who took part is part of the record)."""
    from audit.services import history
    from boundaries.inspection_models import InspectionCampaign

    client, _line, campaign, *_ = field
    changed = post(client, f"{API}/campaigns/{campaign['uuid']}/", method="patch",
                   body={"members": [{"side": "a", "name": "王五", "role": "组长"}], "version": campaign["version"]})
    assert changed.status_code == 200, changed.content
    made, updated = reversed(history(InspectionCampaign.objects.get(uuid=campaign["uuid"]))[:2])
    assert [m["name"] for m in made.after["members"]] == ["张三", "李四"]
    assert [m["name"] for m in updated.before["members"]] == ["张三", "李四"]
    assert updated.after["members"] == [{"side": "a", "name": "王五", "role": "组长"}]
