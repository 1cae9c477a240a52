"""Field crews and officers change plates only in their own regions; every change is in the audit log."""

import pytest

from audit.models import Action, Change
from audit.services import history
from doorplates import services
from gis.errors import PermissionDenied
from tests.base import lucheng_officer, point, taishun_field_crew
from tests.doorplates.builders import TAISHUN_STRAIGHT, make_plate, make_road, point_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def lucheng_plate(wenzhou_counties):
    return make_plate(make_road("解放街"), 88, 300, 10)


@pytest.fixture
def taishun_road(wenzhou_counties):
    return make_road("罗阳大道", TAISHUN_STRAIGHT, county="330329", kind="avenue")


def test_a_taishun_field_crew_cannot_edit_a_lucheng_plate(lucheng_plate):
    crew = taishun_field_crew()
    with pytest.raises(PermissionDenied):
        services.set_status(crew, lucheng_plate, "damaged")
    with pytest.raises(PermissionDenied):
        services.update_plate(crew, lucheng_plate, number="90")
    with pytest.raises(PermissionDenied):
        services.revoke_token(crew, lucheng_plate)
    assert history(lucheng_plate).count() == 0


def test_a_taishun_field_crew_cannot_register_a_plate_in_lucheng(lucheng_plate):
    with pytest.raises(PermissionDenied):
        services.create_plate(taishun_field_crew(), road=lucheng_plate.road, number="90",
                              point=point_at(lucheng_plate.road, 320, 10))


def test_a_taishun_field_crew_edits_taishun_plates(taishun_road):
    crew = taishun_field_crew()
    plate = services.create_plate(crew, road=taishun_road, number="5", point=point_at(taishun_road, 10, 10))
    plate = services.set_status(crew, plate, "installed")
    assert plate.status == "installed" and plate.installed_on is not None
    assert [c.action for c in history(plate)] == [Action.TRANSITION, Action.CREATE]


def test_moving_a_plate_into_another_county_is_refused(taishun_road):
    crew = taishun_field_crew()
    plate = services.create_plate(crew, road=taishun_road, number="5", point=point_at(taishun_road, 10, 10))
    with pytest.raises(PermissionDenied):
        services.update_plate(crew, plate, point=point(120.655, 28.015))


def test_the_api_refuses_another_countys_plate(client, lucheng_plate):
    client.force_login(taishun_field_crew())
    url = f"/doorplates/api/plates/{lucheng_plate.pk}/"
    assert client.get(url).status_code == 404  # outside the crew's regions it does not exist for them
    response = client.post(url + "status/", {"status": "damaged"}, content_type="application/json")
    assert response.status_code == 404
    response = client.post("/doorplates/api/plates/", {"road": str(lucheng_plate.road_id), "number": "90",
                                                       "lon": 120.655, "lat": 28.016},
                           content_type="application/json")
    assert response.status_code == 404  # a road of another county does not exist for them either
    assert response.json()["error"]["code"] == "road_not_found"


def test_an_edit_records_before_and_after(lucheng_plate):
    officer = lucheng_officer()
    services.update_plate(officer, lucheng_plate, number="88号之一", building="2", reason="现场核对")
    change = Change.objects.get(action=Action.UPDATE)
    assert change.actor == officer and change.reason == "现场核对"
    assert change.before["sub_number"] == 0 and change.after["sub_number"] == 1
    assert change.after["address"].endswith("解放街88号之一2幢")
    assert change.area_code12.startswith("330302")


def test_a_renumbering_without_an_infill_leaves_the_way_of_writing_one_as_it_was(lucheng_plate):
    """Before, 90号 typed for 88号之一 also logged a change of style (88号之一 -> 88-1号) nobody asked for."""
    officer = lucheng_officer()
    services.update_plate(officer, lucheng_plate, number="88号之一")
    services.update_plate(officer, lucheng_plate, number="90号", reason="重新编号")
    change = Change.objects.filter(action=Action.UPDATE).latest("at")
    assert {k for k in change.after if change.after[k] != change.before.get(k)} >= {"number", "sub_number"}
    assert change.before["sub_style"] == change.after["sub_style"] == "zhi"
    services.update_plate(officer, lucheng_plate, number="90-2号")  # an infill typed says its own way
    lucheng_plate.refresh_from_db()
    assert (lucheng_plate.sub_style, lucheng_plate.number_label) == ("dash", "90-2号")


def test_an_edit_of_a_stale_version_is_refused(lucheng_plate):
    from gis.errors import Conflict

    officer = lucheng_officer()
    services.update_plate(officer, lucheng_plate, building="1")
    with pytest.raises(Conflict):
        services.update_plate(officer, lucheng_plate, building="2", version=1)


def test_a_duplicate_number_is_refused(lucheng_plate):
    from gis.errors import Conflict

    with pytest.raises(Conflict):
        services.create_plate(lucheng_officer(), road=lucheng_plate.road, number="88",
                              point=point_at(lucheng_plate.road, 310, 10))
