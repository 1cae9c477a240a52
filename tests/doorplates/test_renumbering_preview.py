"""A preview of renumbering a whole road (new, or re-routed), without writing anything."""

import pytest
from django.contrib.gis.geos import LineString

from doorplates import services
from doorplates.models import Doorplate
from tests.doorplates.builders import LUCHENG_STRAIGHT, make_plate, make_road

pytestmark = pytest.mark.django_db

LEFT, RIGHT = 10.0, -10.0


@pytest.fixture
def road(wenzhou_counties):
    return make_road("解放街")


def by_old(rows):
    return {r.old.label: r for r in rows}


def test_plates_get_reserve_numbers_by_chainage_and_side(road):
    make_plate(road, 7, 21, LEFT)
    make_plate(road, 3, 41, LEFT)
    make_plate(road, 8, 21, RIGHT)
    rows = by_old(services.renumber_preview(road))
    # 21 m is the sixth pair of numbers (4 m each): 11 on the left and 12 on the right; 41 m gives 21.
    assert rows["7号"].new.label == "11号"
    assert rows["3号"].new.label == "21号"
    assert rows["8号"].new.label == "12号"
    assert Doorplate.objects.filter(number=7).exists()  # nothing written


def test_infill_plates_become_whole_numbers_that_keep_rising(road):
    make_plate(road, 1, 2, LEFT)
    make_plate(road, "1号之一", 2.5, LEFT)
    rows = by_old(services.renumber_preview(road))
    assert rows["1号"].new.label == "1号"
    assert rows["1号之一"].new.label == "3号"
    assert rows["1号"].changed is False and rows["1号之一"].changed is True


def test_a_re_routed_road_reverses_the_numbers_of_a_road_drawn_the_other_way(road):
    west = make_plate(road, 1, 20, LEFT)
    east = make_plate(road, 97, 1900, LEFT)
    reversed_line = LineString(list(reversed(LUCHENG_STRAIGHT)), srid=4490)
    rows = {r.key: r for r in services.renumber_preview(road, reversed_line)}
    # Drawn east to west, the same entrances are on the right and the east one comes first.
    assert rows[east].side == rows[west].side == "right"
    assert rows[east].new.number < rows[west].new.number
    assert rows[east].new.number % 2 == 0
