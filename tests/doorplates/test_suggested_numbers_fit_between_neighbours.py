"""A new entrance gets a number consistent with its neighbours on the same side of the road."""

import pytest

from doorplates import services
from doorplates.addresses import HouseNumber
from tests.doorplates.builders import make_plate, make_road, numbering, point_at

pytestmark = pytest.mark.django_db

LEFT, RIGHT = 10.0, -10.0


@pytest.fixture
def road(wenzhou_counties):
    return make_road("解放街")


def suggest(road, chainage, side):
    return services.suggest_number(road, point_at(road, chainage, side))


def test_the_first_entrance_on_a_side_gets_the_number_reserved_for_its_frontage(road):
    # One number per 4 m of frontage: 100 m along is the 25th pair of numbers, 51 on the left, 52 on the right.
    assert suggest(road, 100, LEFT).number == HouseNumber(51)
    assert suggest(road, 100, RIGHT).number == HouseNumber(52)
    assert suggest(road, 100, LEFT).reason == "first_on_side"


def test_a_number_between_neighbours_is_interpolated_by_chainage(road):
    make_plate(road, 11, 100, LEFT)
    make_plate(road, 31, 200, LEFT)
    # A quarter of the way from 11 to 31 is 16; the nearest odd number is 15 (or 17): never outside 13..29.
    s = suggest(road, 125, LEFT)
    assert s.reason == "between"
    assert s.number.number in (15, 17)
    assert (s.before.number.number, s.after.number.number) == (11, 31)


def test_numbers_on_the_other_side_are_not_neighbours(road):
    make_plate(road, 11, 100, LEFT)
    make_plate(road, 31, 200, LEFT)
    s = suggest(road, 150, RIGHT)
    assert s.number.number % 2 == 0
    assert s.before is None and s.after is None


def test_an_entrance_between_consecutive_numbers_gets_an_infill_number(road):
    make_plate(road, 5, 100, LEFT)
    make_plate(road, 7, 110, LEFT)
    s = suggest(road, 105, LEFT)
    assert s.reason == "infill"
    assert s.number == HouseNumber(5, 1, "zhi")
    assert s.number.label == "5号之一"


def test_a_second_infill_takes_the_next_free_suffix(road):
    make_plate(road, 5, 100, LEFT)
    make_plate(road, "5号之一", 104, LEFT)
    make_plate(road, 7, 110, LEFT)
    s = suggest(road, 107, LEFT)
    assert s.number.label == "5号之二"


def test_a_road_may_write_infill_numbers_with_a_dash(road):
    numbering(road, infill_style="dash")
    make_plate(road, 5, 100, LEFT)
    make_plate(road, 7, 110, LEFT)
    assert suggest(road, 105, LEFT).number.label == "5-1号"


def test_after_the_last_plate_numbers_leave_reserve_for_the_frontage_between(road):
    make_plate(road, 21, 100, LEFT)
    # 40 m further is ten more numbers on that side: 21 + 2 * 10.
    s = suggest(road, 140, LEFT)
    assert s.reason == "after_last"
    assert s.number == HouseNumber(41)


def test_before_the_first_plate_the_numbers_count_down_from_it(road):
    make_plate(road, 41, 200, LEFT)
    s = suggest(road, 160, LEFT)
    assert s.reason == "before_first"
    assert s.number == HouseNumber(21)


def test_a_taken_number_is_never_suggested(road):
    make_plate(road, 21, 100, LEFT)
    make_plate(road, 41, 300, LEFT, status="planned")
    make_plate(road, 31, 900, RIGHT)  # an odd number on the wrong side still holds 31
    s = suggest(road, 150, LEFT)
    assert s.number.number not in (21, 31, 41)
    assert 21 < s.number.number < 41
