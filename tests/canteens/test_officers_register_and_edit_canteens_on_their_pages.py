"""Officers register and edit canteens on the office pages, and open, suspend or close them, under the rules of
canteens.services: their region only, the service area, optimistic locking, the status transitions, the doorplate
link; every change is in the record's history."""

import json
import re

import pytest

from audit.models import Action, Change
from canteens.models import Canteen, CanteenStatus
from tests.base import city_reviewer, lucheng_officer, ruian_officer
from tests.canteens.builders import V11, at, lonlat
from tests.doorplates.builders import make_plate, make_road


def point(x, y) -> str:
    return json.dumps({"type": "Point", "coordinates": list(lonlat(x, y))})


def form(**changes) -> dict:
    data = {"name": "东山社区新食堂", "kind": "canteen", "geom": point(100, 100), "address": "", "doorplate": "",
            "operator": "", "operator_phone": "", "seats": "40", "meals_per_sitting": "", "opening_hours": "",
            "delivery_radius_m": "", "opened_on": "", "star_rating": "", "note": ""}
    data.update(changes)
    return data


@pytest.fixture
def officer(client, canteens):
    client.force_login(lucheng_officer())
    return client


def test_an_officer_registers_a_canteen_with_its_doorplate_and_it_is_audited(officer):
    plate = make_plate(make_road("望江东路", coords=[lonlat(-800, 60), lonlat(800, 60)]), 88, point=at(110, 90))
    page = officer.get("/canteens/new/").content.decode()
    assert 'id="canteen-map"' in page and 'name="geom"' in page and 'name="doorplate"' in page
    west, south, east, north = map(float, re.search(r'data-bounds="([^"]+)"', page)[1].split(","))
    lon, lat = lonlat(0, 0)
    assert west < lon < east and south < lat < north  # the map opens over the officer's county

    response = officer.post("/canteens/new/", form(address="望江东路88号"))

    canteen = Canteen.objects.get(name="东山社区新食堂")
    assert response.status_code == 302 and response["Location"] == f"/canteens/{canteen.uuid}/"
    assert (canteen.area.code, canteen.status, canteen.seats) == (V11, CanteenStatus.PLANNED, 40)
    assert (canteen.doorplate_id, canteen.address) == (plate.uuid, plate.address)
    assert Change.objects.for_object(canteen).get().action == Action.CREATE
    assert 'id="doorplate-linked"' in officer.get(response["Location"]).content.decode()


def test_a_location_typed_as_longitude_and_latitude_is_taken(officer):
    lon, lat = lonlat(200, 150)

    response = officer.post("/canteens/new/", form(geom=f"{lon:.7f}, {lat:.7f}"))

    assert response.status_code == 302
    assert Canteen.objects.get(name="东山社区新食堂").geom.distance(at(200, 150)) < 1e-6


def test_a_location_outside_the_service_area_is_shown_on_its_field_and_nothing_is_saved(officer):
    response = officer.post("/canteens/new/", form(geom='{"type": "Point", "coordinates": [116.4, 39.9]}'))

    assert response.status_code == 200
    assert 'class="error"' in response.content.decode() and "服务范围" in response.content.decode()
    assert not Canteen.objects.filter(name="东山社区新食堂").exists()


def test_a_location_nested_a_thousand_levels_deep_is_refused_on_its_field_and_nothing_is_saved(officer):
    """Before, a server error: the request's depth limit sees the form's text, not the GeoJSON inside it."""
    response = officer.post("/canteens/new/", form(geom='{"a":' * 1000 + "1" + "}" * 1000))

    assert response.status_code == 200
    assert 'class="error"' in response.content.decode() and "嵌套层级过深" in response.content.decode()
    assert not Canteen.objects.filter(name="东山社区新食堂").exists()


@pytest.mark.parametrize("field", ["seats", "meals_per_sitting", "delivery_radius_m"])
def test_a_count_beyond_any_canteen_s_is_shown_on_its_field_and_nothing_is_saved(officer, field):
    """Before, 9,999,999,999,999,999,999,999 seats was a server error (found by a crawl of the pages)."""
    response = officer.post("/canteens/new/", form(**{field: "9" * 22, "delivers": "on"}))

    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not Canteen.objects.filter(name="东山社区新食堂").exists()


@pytest.mark.parametrize("opened_on", ["0001-01-01", "9999-12-31"])
def test_an_opening_date_no_canteen_could_have_is_shown_on_its_field_and_nothing_is_saved(officer, opened_on):
    """Before, taken as typed (found by an outside test of hostile input)."""
    response = officer.post("/canteens/new/", form(opened_on=opened_on))

    assert response.status_code == 200 and "开办日期须在" in response.content.decode()
    assert not Canteen.objects.filter(name="东山社区新食堂").exists()


@pytest.mark.parametrize("phone", ["NaN", "1e309", "😀", "12", "请打电话"])
def test_a_phone_that_is_no_phone_number_is_shown_on_its_field_and_nothing_is_saved(officer, phone):
    """Before, "NaN", "1e309" and an emoji were kept as the operator's phone (found by a crawl of the pages)."""
    response = officer.post("/canteens/new/", form(operator_phone=phone))

    assert response.status_code == 200 and "电话号码由数字组成" in response.content.decode()
    assert not Canteen.objects.filter(name="东山社区新食堂").exists()


def test_a_phone_written_as_people_write_them_is_kept(officer):
    phone = "(0577)８８８８1234 转 801，13800000000"
    assert officer.post("/canteens/new/", form(operator_phone=phone)).status_code == 302
    assert Canteen.objects.get(name="东山社区新食堂").operator_phone == phone


def test_an_edit_saves_only_what_changed_and_a_stale_form_is_refused(officer, canteens):
    c1 = canteens["C1"]
    page = officer.get(f"/canteens/{c1.uuid}/edit/").content.decode()
    assert f'value="{c1.version}"' in page and c1.name in page
    fields = form(name=c1.name, kind=c1.kind, geom=json.dumps({"type": "Point", "coordinates": [c1.geom.x,
                                                                                             c1.geom.y]}),
                  address=c1.address, seats="88", version=str(c1.version))

    saved = officer.post(f"/canteens/{c1.uuid}/edit/", fields)
    stale = officer.post(f"/canteens/{c1.uuid}/edit/", {**fields, "seats": "99"})

    c1.refresh_from_db()
    assert saved.status_code == 302 and c1.seats == 88 and c1.version == 2
    change = Change.objects.for_object(c1).get()
    assert change.action == Action.UPDATE and "seats" in change.changed_fields()
    assert set(change.changed_fields()) <= {"seats", "version", "updated_at"}
    assert stale.status_code == 200 and "已被他人修改" in stale.content.decode()
    for version in ({}, {"version": "abc"}):  # before: version 字段或 If-Match 请求头, version 应为整数
        without = {k: v for k, v in fields.items() if k != "version"} | version | {"seats": "77"}
        page = officer.post(f"/canteens/{c1.uuid}/edit/", without).content.decode()
        assert "表单已过期，请刷新页面" in page and "If-Match" not in page
    c1.refresh_from_db()
    assert c1.seats == 88


def test_the_officer_opens_a_planned_canteen_and_cannot_reopen_a_closed_one(officer, canteens):
    c6, c8 = canteens["C6"], canteens["C8"]  # planned and closed, both in 瑞安市: a Lucheng officer sees neither
    assert officer.get(f"/canteens/{c6.uuid}/").status_code == 404
    officer.force_login(ruian_officer())

    opened = officer.post(f"/canteens/{c6.uuid}/status/", {"status": "open", "reason": "已验收",
                                                            "version": c6.version})
    reopened = officer.post(f"/canteens/{c8.uuid}/status/", {"status": "open", "version": c8.version})

    c6.refresh_from_db()
    assert opened.status_code == 302 and c6.status == CanteenStatus.OPEN and c6.opened_on is not None
    assert Change.objects.for_object(c6).get().action == Action.TRANSITION
    assert reopened.status_code == 400 and Canteen.objects.get(pk=c8.pk).status == CanteenStatus.CLOSED
    assert not Change.objects.for_object(c8).exists()

    # A change made on a page read before another was saved is refused, and comes back as it was typed.
    stale = officer.post(f"/canteens/{c6.uuid}/status/", {"status": "closed", "reason": "房屋租约到期",
                                                           "version": c6.version - 1})
    assert stale.status_code == 400 and Canteen.objects.get(pk=c6.pk).status == CanteenStatus.OPEN
    page = stale.content.decode()
    assert 'value="房屋租约到期"' in page and '<option value="closed" selected>' in page


def test_a_reviewer_reads_the_record_but_has_no_forms(client, canteens):
    client.force_login(city_reviewer())
    c1 = canteens["C1"]

    record = client.get(f"/canteens/{c1.uuid}/").content.decode()

    assert c1.name in record and 'id="edit-canteen"' not in record and 'id="status-form"' not in record
    assert client.get("/canteens/new/").status_code == 403
    assert client.get(f"/canteens/{c1.uuid}/edit/").status_code == 403
    assert 'id="register-canteen"' not in client.get("/canteens/list/").content.decode()


def test_the_record_gives_the_operator_s_phone_to_officers_and_reviewers_and_to_no_crew(client, canteens):
    """Before, the record showed the phone to no one, though officers and reviewers look after the canteen."""
    from tests.base import make_user

    c1 = canteens["C1"]
    Canteen.objects.filter(pk=c1.pk).update(operator_phone="0577-88881234")
    for user in (city_reviewer(), lucheng_officer()):
        client.force_login(user)
        assert 'href="tel:0577-88881234"' in client.get(f"/canteens/{c1.uuid}/").content.decode()
    client.force_login(make_user("lucheng_crew", "field_crew", "330302"))
    page = client.get(f"/canteens/{c1.uuid}/")
    assert "0577-88881234" not in page.content.decode()

