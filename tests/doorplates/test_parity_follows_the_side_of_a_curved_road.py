"""On a curved road the side is taken from the nearest segment, not from the line between the road's ends."""

import pytest

from doorplates import services
from tests.base import point
from tests.doorplates.builders import ARC_CENTRE, ARC_RADIUS, arc_coords, make_plate, make_road, numbering

pytestmark = pytest.mark.django_db

CX, CY = ARC_CENTRE
# Just below the level of the road's two ends, beside its west end: outside the curve (left of a clockwise
# road) yet south of the chord, where a start-to-end direction would put it on the right.
OUTSIDE_WEST_END = point(CX - ARC_RADIUS * 1.06, CY - ARC_RADIUS * 0.02)
INSIDE_WEST_END = point(CX - ARC_RADIUS * 0.94, CY - ARC_RADIUS * 0.02)
OUTSIDE_TOP = point(CX, CY + ARC_RADIUS * 1.05)
INSIDE_TOP = point(CX, CY + ARC_RADIUS * 0.95)


@pytest.fixture
def curved(wenzhou):
    return make_road("环城路", arc_coords())


def test_entrances_outside_the_curve_are_on_the_left_and_get_odd_numbers(curved):
    for spot in (OUTSIDE_WEST_END, OUTSIDE_TOP):
        suggestion = services.suggest_number(curved, spot)
        assert suggestion.side == "left"
        assert suggestion.number.number % 2 == 1


def test_entrances_inside_the_curve_are_on_the_right_and_get_even_numbers(curved):
    for spot in (INSIDE_WEST_END, INSIDE_TOP):
        suggestion = services.suggest_number(curved, spot)
        assert suggestion.side == "right"
        assert suggestion.number.number % 2 == 0


def test_the_chainage_is_measured_in_metres_along_the_curve(curved):
    # 0.008 degrees is 887 m north-south and 785 m east-west at 28 N: half of that ellipse is about 2.63 km.
    top = services.suggest_number(curved, OUTSIDE_TOP)
    length = services.check_road(curved).length_m
    assert 2600 < length < 2650
    assert top.chainage_m == pytest.approx(length / 2, rel=0.01)


def test_reversing_the_numbering_direction_swaps_the_sides(curved):
    numbering(curved, reversed=True)
    assert services.suggest_number(curved, OUTSIDE_TOP).side == "right"
    assert services.suggest_number(curved, OUTSIDE_TOP).number.number % 2 == 0


def test_a_road_can_put_odd_numbers_on_the_right(curved):
    numbering(curved, odd_side="right")
    assert services.suggest_number(curved, OUTSIDE_TOP).number.number % 2 == 0
    assert services.suggest_number(curved, INSIDE_TOP).number.number % 2 == 1


def test_the_check_flags_an_even_number_outside_the_curve(curved):
    wrong = make_plate(curved, "8", point=OUTSIDE_WEST_END)
    right = make_plate(curved, "9", point=point(CX - ARC_RADIUS * 1.06, CY + ARC_RADIUS * 0.05))
    findings = services.check_road(curved).findings
    flagged = [p for f in findings if f.kind == "wrong_side" for p in f.keys]
    assert flagged == [wrong]
    assert right not in flagged
