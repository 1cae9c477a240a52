"""The numbering check of a whole road: duplicates, wrong-parity plates, numbers out of order, plates too far."""

import pytest

from doorplates import services
from tests.doorplates.builders import make_plate, make_road, numbering

pytestmark = pytest.mark.django_db

LEFT, RIGHT = 10.0, -10.0


@pytest.fixture
def road(wenzhou_counties):
    return make_road("解放街")


def findings(road, kind):
    return [f for f in services.check_road(road).findings if f.kind == kind]


def test_a_well_numbered_road_has_no_findings(road):
    for i, n in enumerate((1, 3, 5, 7)):
        make_plate(road, n, 20 + 30 * i, LEFT)
    for i, n in enumerate((2, 4, 6)):
        make_plate(road, n, 25 + 30 * i, RIGHT)
    make_plate(road, "3号之一", 62, LEFT)
    make_plate(road, 3, 50, LEFT + 2, plate_type="building", building="1")  # 3号1幢 is not a second 3号
    assert services.check_road(road).findings == []


def test_two_plates_with_the_same_number_are_a_duplicate(road):
    first = make_plate(road, 11, 40, LEFT)
    second = make_plate(road, 11, 400, LEFT)
    make_plate(road, 13, 500, LEFT)
    [duplicate] = findings(road, "duplicate")
    assert set(duplicate.keys) == {first, second}
    assert "11号" in duplicate.message


def test_88_1_and_88_zhi_yi_are_the_same_number(road):
    make_plate(road, "87-1号", 100, LEFT)
    make_plate(road, "87号之一", 102, LEFT)
    assert len(findings(road, "duplicate")) == 1


def test_a_retired_plate_does_not_count(road):
    make_plate(road, 11, 40, LEFT)
    make_plate(road, 11, 40, LEFT, status="retired")
    assert findings(road, "duplicate") == []


def test_an_even_number_on_the_left_is_on_the_wrong_side(road):
    make_plate(road, 1, 20, LEFT)
    wrong = make_plate(road, 8, 60, LEFT)
    make_plate(road, 2, 20, RIGHT)
    [finding] = findings(road, "wrong_side")
    assert finding.keys == [wrong]
    assert finding.detail == {"side": "left", "expected_parity": "odd"}


def test_the_side_follows_the_road_setting(road):
    numbering(road, odd_side="right")
    plate = make_plate(road, 1, 20, LEFT)
    assert [f.keys for f in findings(road, "wrong_side")] == [[plate]]


def test_a_number_lower_than_the_one_before_it_is_out_of_order(road):
    for i, n in enumerate((1, 3, 5, 7, 9)):
        make_plate(road, n, 20 + 30 * i, LEFT)
    stray = make_plate(road, 41, 65, LEFT)  # between 3 and 5 on the ground
    [finding] = findings(road, "out_of_order")
    assert finding.keys == [stray]


def test_order_is_checked_per_side(road):
    make_plate(road, 1, 20, LEFT)
    make_plate(road, 3, 60, LEFT)
    make_plate(road, 2, 80, RIGHT)
    make_plate(road, 4, 90, RIGHT)
    assert findings(road, "out_of_order") == []


def test_a_plate_far_from_its_road_is_flagged(road):
    far = make_plate(road, 5, 100, 150.0)
    make_plate(road, 7, 120, 30.0)
    [finding] = findings(road, "too_far")
    assert finding.keys == [far]
    assert finding.detail["offset_m"] == pytest.approx(150.0, abs=0.5)


def test_the_allowed_distance_is_set_per_road(road):
    numbering(road, max_offset_m=200)
    make_plate(road, 5, 100, 150.0)
    assert findings(road, "too_far") == []
