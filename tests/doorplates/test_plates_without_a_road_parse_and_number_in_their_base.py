"""A plate's base is a road, a village or natural village, or a residential area: the parser reads each in the national
order (area, base, number, building, unit, room), a plate is registered in exactly one base, and numbering is checked
per base (a village: each number once, none skipped; a residential area: building, unit, room)."""

import pytest
from django.db import IntegrityError, transaction

from doorplates import services
from doorplates.addresses import BaseNames, HouseNumber, parse_address
from doorplates.base_numbering import Member, check_residential, check_village, suggest_in_village
from doorplates.models import Doorplate
from gis.errors import Conflict, InputError
from tests.base import lucheng_officer
from tests.doorplates.builders import make_base, make_base_plate, make_road

pytestmark = pytest.mark.django_db


def test_the_parser_reads_a_road_a_village_a_natural_village_and_a_residential_area(wenzhou_counties):
    registry = BaseNames([("下岙", "village"), ("翠微", "residential")])
    road = parse_address("浙江省温州市鹿城区五马街道解放街88号1幢2单元501室", bases=registry)
    assert (road.base_kind, road.base, road.number.label, road.building, road.unit, road.room) == (
        "road", "解放街", "88号", "1", "2", "501")

    village = parse_address("鹿城区苍坡村十二号", bases=registry)  # unknown to the registry: read by its 村
    assert (village.base_kind, village.base, village.number, village.county) == (
        "village", "苍坡村", HouseNumber(12), "鹿城区")
    assert village.road == "" and village.standard == "鹿城区苍坡村12号"

    natural = parse_address("鹿城区下岙12号之一", bases=registry)  # a natural village known by its name alone
    assert (natural.base_kind, natural.base, natural.number.label) == ("village", "下岙", "12号之一")

    flat = parse_address("温州市鹿城区翠微小区三幢2单元501室", bases=registry)
    assert (flat.base_kind, flat.base, flat.number, flat.building, flat.unit, flat.room, flat.rest) == (
        "residential", "翠微小区", None, "3", "2", "501", "")
    assert flat.standard == "温州市鹿城区翠微小区3幢2单元501室"  # area, base, building, unit, room

    numbered = parse_address("翠微花园5号2幢", bases=registry)
    assert (numbered.base_kind, numbered.base, numbered.number.label, numbered.building) == (
        "residential", "翠微花园", "5号", "2")
    assert parse_address("翠微新村8号", bases=registry).base_kind == "residential"  # 新村 is a residential area
    assert parse_address("苍坡村", bases=registry).rest == "苍坡村"  # a base without a number is not an address


def test_plates_are_registered_in_exactly_one_base_with_their_standard_address(wenzhou_counties):
    officer = lucheng_officer()
    village = make_base("苍坡村", kind="village")
    estate = make_base("翠微小区", (120.660, 28.020), kind="residential", radius=0.001)
    here, there = village.geom.centroid, estate.geom.centroid

    plate = services.create_plate(officer, base=village, number="12", point=here)
    assert (plate.base_kind, plate.village, plate.road, plate.number_label) == ("village", village, None, "12号")
    assert plate.address.startswith("浙江省温州市鹿城区") and plate.address.endswith("苍坡村12号")

    room = services.create_plate(officer, base=estate, point=there, plate_type="room", building="3", unit="2",
                                 room="501")
    assert (room.number, room.number_label, room.road_name) == (None, "3幢2单元501室", "翠微小区")
    assert room.address.endswith("街道翠微小区3幢2单元501室")
    assert "cuiweixiaoqu3-2-501" in room.search_text

    with pytest.raises(Conflict):
        services.create_plate(officer, base=village, number="12", point=here)
    with pytest.raises(Conflict):
        services.create_plate(officer, base=estate, point=there, plate_type="room", building="3", unit="2",
                              room="501")
    with pytest.raises(InputError) as unnumbered:
        services.create_plate(officer, base=village, point=here)  # a village plate needs its number
    assert unnumbered.value.where == {"field": "number"}
    with pytest.raises(InputError) as far:
        services.create_plate(officer, base=estate, number="1", point=village.geom.centroid)
    assert far.value.code == "base_too_far"

    moved = services.update_plate(officer, plate, version=plate.version, number="13")
    assert moved.address.endswith("苍坡村13号")
    with transaction.atomic(), pytest.raises(IntegrityError):  # the table holds exactly one base
        Doorplate.objects.filter(pk=plate.pk).update(residential_area=estate)


def test_the_api_creates_a_plate_in_a_village_and_checks_its_numbering(client, wenzhou_counties):
    client.force_login(lucheng_officer())
    village = make_base("苍坡村", kind="village")
    here = village.geom.centroid
    created = client.post("/doorplates/api/plates/", {"village": str(village.uuid), "number": "1",
                                                      "lon": here.x, "lat": here.y}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["properties"]["base_kind"] == "village"
    assert created.json()["properties"]["village"] == str(village.uuid)
    make_base_plate(village, 3, offset=(0.0005, 0))
    two = client.post("/doorplates/api/plates/", {"village": str(village.uuid), "road": str(make_road().uuid),
                                                  "number": "2", "lon": here.x, "lat": here.y},
                      content_type="application/json")
    assert two.status_code == 400 and two.json()["error"]["code"] == "base_required"

    check = client.get(f"/doorplates/api/villages/{village.uuid}/check/").json()
    assert check["counts"] == {"duplicate": 0, "gap": 1, "orphan_infill": 0, "too_far": 0}
    assert check["findings"][0]["detail"]["missing"] == [2]
    assert client.get(f"/doorplates/api/villages/{village.uuid}/suggest/").json()["number"] == "4号"


def test_a_villages_numbers_are_each_used_once_none_skipped_and_infills_follow_a_number():
    members = [Member("a", HouseNumber(1)), Member("b", HouseNumber(2)), Member("c", HouseNumber(2)),
               Member("d", HouseNumber(5)), Member("e", HouseNumber(7, 1, "zhi")),
               Member("f", HouseNumber(6), distance_m=1500.0)]
    findings = {f.kind: f for f in check_village(members, max_distance_m=1000)}
    assert set(findings) == {"duplicate", "gap", "orphan_infill", "too_far"}
    assert findings["duplicate"].keys == ["b", "c"]
    assert findings["gap"].detail["missing"] == [3, 4]
    assert findings["orphan_infill"].keys == ["e"]
    assert findings["too_far"].keys == ["f"]
    assert suggest_in_village(members).number == HouseNumber(7)
    assert suggest_in_village([]).number == HouseNumber(1)
    assert check_village([Member("a", HouseNumber(1)), Member("b", HouseNumber(1, 1, "zhi"))], 1000) == []


def test_a_residential_areas_buildings_units_and_rooms_are_checked_in_their_order():
    def plate(key, building, unit="", room=""):
        return Member(key, None, building, unit, room)

    members = [plate("b1", "1"), plate("u1", "1", "1"), plate("r1", "1", "1", "101"), plate("r1bis", "1", "1", "101"),
               plate("b3", "3"), plate("u3-2", "3", "2"), plate("r4", "4", "1", "201"), plate("r3", "3", "3", "301")]
    findings = check_residential(members, max_distance_m=300)
    assert sorted((f.kind, tuple(f.keys)) for f in findings) == [
        ("duplicate", ("r1", "r1bis")), ("gap", ()), ("gap", ()), ("missing_building", ("r4",)),
        ("missing_unit", ("r3",))]
    gaps = [f.detail for f in findings if f.kind == "gap"]
    assert {"missing": [2]} in gaps  # building 2 is skipped
    assert {"missing": [1], "building": "3幢"} in gaps  # building 3 has units 2 and 3 but no unit 1


def test_a_residential_area_is_checked_from_the_registry(wenzhou_counties):
    estate = make_base("翠微小区", kind="residential", radius=0.001)
    make_base_plate(estate, building="1", plate_type="building")
    make_base_plate(estate, building="1", unit="1", plate_type="unit")
    make_base_plate(estate, building="1", unit="1", room="101", plate_type="room")
    make_base_plate(estate, building="2", unit="1", room="101", plate_type="room", offset=(0.01, 0))
    result = services.check_base("residential", estate)
    assert result.counts() == {"duplicate": 0, "gap": 0, "missing_building": 1, "missing_unit": 0, "too_far": 1}
    assert services.check_base("road", make_road()).counts()["duplicate"] == 0  # a road: check_road as before
