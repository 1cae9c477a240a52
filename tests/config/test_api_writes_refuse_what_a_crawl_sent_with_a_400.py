"""What a crawl of the JSON APIs as the city's officer sent and got a 500 for, or saw stored as Python writes it:
each is now a 400 that names the member, and nothing is written."""

import json

import pytest
from rest_framework.test import APIClient

from boundaries.inspection_models import CampaignMember, InspectionCampaign, MarkerRecord
from canteens.models import Canteen
from doorplates.models import Doorplate
from tests.base import lucheng_officer
from tests.boundaries.lines_base import line_with_markers, officers
from tests.canteens.builders import known_canteens, known_geography
from tests.doorplates.builders import lonlat_at, make_plate, make_road

pytestmark = pytest.mark.django_db
PLATES = "/doorplates/api/plates/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def send(client, method, path, body):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def plate_scene(wenzhou_counties):
    road = make_road("解放街", [(120.650, 28.015), (120.652, 28.015)])
    return client_for(lucheng_officer()), road, make_plate(road, 1, 20, 15)


@pytest.mark.parametrize(("member", "value"), [
    ("number", 10**30), ("number", 2**63), ("number", "100000"),
    ("building", "x" * 17), ("unit", 10**30), ("room", {"a": {"b": 1}}), ("building", True), ("unit", [1, 2]),
])
def test_a_plate_s_number_or_part_out_of_its_column_is_refused(plate_scene, member, value):
    client, road, plate = plate_scene
    lon, lat = lonlat_at(road, 60, 15)
    made = send(client, "post", PLATES, {"road": str(road.uuid), "number": "3", "lon": lon, "lat": lat,
                                         "plate_type": "door", member: value})
    changed = send(client, "patch", f"{PLATES}{plate.uuid}/", {member: value, "version": plate.version})

    assert [made.status_code, changed.status_code] == [400, 400], (made.content, changed.content)
    assert Doorplate.objects.count() == 1 and Doorplate.objects.get().version == plate.version


def test_a_reissue_written_false_does_not_reissue_and_a_version_is_a_whole_number(plate_scene):
    client, _road, plate = plate_scene
    odd = [send(client, "patch", f"{PLATES}{plate.uuid}/", {"number": "2", "version": v}) for v in
           (1.5, {"a": {"b": 1}}, True, "２", 10**30)]
    revoked = send(client, "post", f"{PLATES}{plate.uuid}/revoke-token/", {"reissue": "false", "version": plate.version})

    assert [r.status_code for r in odd] == [400] * 5
    assert all("{'a'" not in r.content.decode() for r in odd)  # nothing sent comes back as Python writes it
    assert revoked.status_code == 200
    assert Doorplate.objects.get().token is None  # "false" is false: the code stops resolving, no new one is made


def test_a_blank_or_huge_numbering_setting_is_no_500(plate_scene):
    client, road, _plate = plate_scene
    numbering = f"/doorplates/api/roads/{road.uuid}/numbering/"

    blank = send(client, "post", numbering, {"spacing_m": " ", "max_offset_m": " "})
    huge = send(client, "post", numbering, {"max_offset_m": 1e30})

    assert blank.status_code == 200 and huge.status_code == 400


@pytest.mark.parametrize("geometry", ["POINT EMPTY", "POINT(nan nan)"])
def test_an_empty_canteen_position_is_refused(db, geometry):
    known_geography()
    canteen = known_canteens()["C1"]
    client = client_for(lucheng_officer())

    response = send(client, "patch", f"/canteens/api/canteens/{canteen.uuid}/",
                    {"type": "Feature", "geometry": geometry, "properties": {"version": canteen.version}})

    assert response.status_code == 400
    assert Canteen.objects.get(pk=canteen.pk).geom == canteen.geom


@pytest.fixture
def campaign(wenzhou_counties):
    lucheng, *_ = officers()
    line = line_with_markers(lucheng)
    client = client_for(lucheng)
    made = send(client, "post", "/boundaries/api/campaigns/", {
        "line": str(line.uuid), "year": 2026, "plan": "逐桩检查",
        "members": [{"side": "a", "name": "张三"}, {"side": "b", "name": "李四"}]})
    assert made.status_code == 201, made.content
    return client, line, made.json()


def test_a_campaign_s_members_and_plan_are_refused_in_a_shape_they_cannot_take(campaign):
    client, _line, made = campaign
    path = f"/boundaries/api/campaigns/{made['uuid']}/"
    version = InspectionCampaign.objects.get().version

    not_objects = send(client, "patch", path, {"members": [1, 2, 3], "version": version})
    a_list = send(client, "patch", path, {"plan": [1, 2, 3], "version": version})
    cleared = send(client, "patch", path, {"plan": None, "version": version})

    assert [not_objects.status_code, a_list.status_code] == [400, 400]
    assert CampaignMember.objects.count() == 2  # before: every member deleted, silently
    assert cleared.status_code == 200 and InspectionCampaign.objects.get().plan == ""  # null is no text, not "None"


def test_a_record_s_and_a_finding_s_texts_must_be_text_within_their_columns(campaign):
    client, line, made = campaign
    marker = line.markers.order_by("sequence").first()
    base = f"/boundaries/api/campaigns/{made['uuid']}"
    where = {"type": "Point", "coordinates": [marker.geom.x + 0.001, marker.geom.y]}

    long_code = send(client, "post", f"{base}/records/", {"marker": None, "state": "new", "new_sequence": 9,
                                                          "method": "gnss", "measured": where, "new_type_code": "NaN"})
    listed = send(client, "post", f"{base}/records/", {"marker": str(marker.uuid), "state": "intact", "note": ["a"]})
    finding = send(client, "post", f"{base}/findings/", {"kind": "clear", "description": None, "action": False})
    report = send(client, "put", f"{base}/report/", {"summary": None})

    assert [r.status_code for r in (long_code, listed, finding, report)] == [400, 400, 400, 400]
    assert not MarkerRecord.objects.exists()


def test_a_justification_that_is_not_text_is_refused(wenzhou_counties):
    from tests.placenames.builders import draft

    officer = lucheng_officer()
    app = draft(officer)
    client = client_for(officer)
    path = f"/placenames/api/applications/{app.pk}/justify/"

    answers = [send(client, "post", path, {"finding": 1, "justification": value, "version": app.version})
               for value in (1.5, 10**30, True, [1, 2, 3], {})]

    assert [a.status_code for a in answers] == [400] * 5


@pytest.mark.parametrize("geometry", [10**30, {}, [1, 2, 3], "not a place"])
def test_a_canteen_position_that_is_no_geometry_is_told_without_python(db, geometry):
    known_geography()
    canteen = known_canteens()["C1"]
    client = client_for(lucheng_officer())

    response = send(client, "patch", f"/canteens/api/canteens/{canteen.uuid}/",
                    {"type": "Feature", "geometry": geometry, "properties": {"version": canteen.version}})

    assert response.status_code == 400
    text = response.content.decode()
    assert "python" not in text.lower() and "class '" not in text and "OGR_G" not in text


@pytest.mark.parametrize("value", ["2026-02-30", "NaN", "①", True])
def test_a_plate_s_installation_date_is_read_as_a_date_before_django_sees_it(plate_scene, value, caplog):
    client, _road, plate = plate_scene

    response = send(client, "patch", f"{PLATES}{plate.uuid}/", {"installed_on": value, "version": plate.version})

    assert response.status_code == 400 and response.json()["error"]["where"]["parameter"] == "installed_on"
    assert "unchecked" not in caplog.text  # read by the view, not caught by the net under it
    assert Doorplate.objects.get().installed_on == plate.installed_on


def test_a_value_sent_back_in_an_error_is_written_as_json_not_as_python_prints_it(plate_scene):
    client, road, plate = plate_scene
    lon, lat = lonlat_at(road, 60, 15)
    answers = [
        send(client, "post", PLATES, {"road": str(road.uuid), "number": "3", "lon": lon, "lat": lat, "crs": ["a", "b"]}),
        send(client, "post", PLATES, {"road": str(road.uuid), "number": "3", "lon": ["a", "b"], "lat": lat}),
        send(client, "post", PLATES, {"road": str(road.uuid), "number": "3",
                                      "geometry": {"type": ["a", "b"], "coordinates": [lon, lat]}}),
        send(client, "post", f"{PLATES}{plate.uuid}/status/", {"status": ["a"], "version": plate.version}),
    ]

    assert [a.status_code for a in answers] == [400, 400, 400, 400]
    for answer in answers:
        text = answer.content.decode()
        assert "['a'" not in text and "True" not in text, text
    assert '["a", "b"]' in answers[0].json()["error"]["message"]
