"""A marker record's position taken with a handheld GNSS or typed in is not a survey: it is judged displaced only
beyond the tolerance give or take its own accuracy, it must say its accuracy, and it never becomes a marker's register
position (a new marker, a re-survey, a replacement need a survey, as GB/T 17796 and the joint survey require)."""

from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point

from borders import inspections
from boundaries.inspection_models import SurveyMethod
from gis.errors import InputError
from tests.boundaries.lines_base import line_with_markers, officers


def _offset(point: Point, metres_east: float) -> Point:
    return Point(point.x + metres_east / (111_320 * 0.8829), point.y, srid=4490)  # cos(28°) ≈ 0.8829


@pytest.fixture
def setup(wenzhou_counties):
    lucheng, ouhai, *_ = officers()
    line = line_with_markers(lucheng)
    campaign = inspections.open_campaign(lucheng, line, year=2026)
    return line, campaign, lucheng, ouhai


@pytest.mark.parametrize("method", [SurveyMethod.HANDHELD, SurveyMethod.TYPED])
def test_a_handheld_or_typed_position_is_displaced_only_beyond_the_tolerance_and_its_accuracy(setup, method):
    line, campaign, lucheng, _ = setup
    first, second, third = line.markers.order_by("sequence")[:3]

    def save(marker, metres):
        return inspections.save_record(lucheng, campaign, {"state": "intact", "measured": _offset(marker.geom, metres),
                                                           "method": method, "accuracy_m": Decimal("3.000")},
                                       marker=marker)

    within, edge, beyond = save(first, 2.5), save(second, 3.9), save(third, 4.5)
    assert float(within.displacement_m) == pytest.approx(2.5, abs=0.01) and within.tolerance_m == Decimal("1.00")
    assert (within.beyond_tolerance, edge.beyond_tolerance, beyond.beyond_tolerance) == (False, False, True)


def test_a_surveyed_position_is_still_judged_by_the_tolerance_alone(setup):
    line, campaign, lucheng, _ = setup
    marker = line.markers.order_by("sequence").first()
    rec = inspections.save_record(lucheng, campaign, {"state": "displaced", "measured": _offset(marker.geom, 1.5),
                                                      "method": SurveyMethod.GNSS, "accuracy_m": Decimal("0.5")},
                                  marker=marker)
    assert rec.beyond_tolerance


def test_a_position_not_surveyed_must_say_its_accuracy(setup):
    line, campaign, lucheng, _ = setup
    marker = line.markers.order_by("sequence").first()
    with pytest.raises(InputError) as error:
        inspections.save_record(lucheng, campaign, {"state": "intact", "measured": _offset(marker.geom, 0.5),
                                                    "method": SurveyMethod.HANDHELD}, marker=marker)
    assert error.value.code == "accuracy_required"


@pytest.mark.parametrize("action", ["resurvey", "replace"])
def test_a_handheld_position_never_becomes_the_register_position(setup, action):
    line, campaign, lucheng, ouhai = setup
    marker = line.markers.order_by("sequence").first()
    registered = marker.geom.coords
    data = {"state": "displaced", "measured": _offset(marker.geom, 4.0), "method": SurveyMethod.HANDHELD,
            "accuracy_m": Decimal("2.0"), "action": action}
    with pytest.raises(InputError) as error:
        inspections.save_record(lucheng, campaign, data, marker=marker)
    assert error.value.code == "survey_required"
    rec = inspections.save_record(lucheng, campaign, {**data, "method": SurveyMethod.GNSS}, marker=marker)
    inspections.sign_record(lucheng, rec, "a")
    inspections.sign_record(ouhai, rec, "b")
    marker.refresh_from_db()
    assert marker.geom.coords != registered  # a survey, signed by both sides, does move it


def test_a_new_marker_needs_a_surveyed_position(setup):
    line, campaign, lucheng, _ = setup
    where = _offset(line.markers.order_by("sequence").first().geom, 50)
    with pytest.raises(InputError) as error:
        inspections.save_record(lucheng, campaign, {"state": "new", "new_sequence": 9, "measured": where,
                                                    "method": SurveyMethod.TYPED, "accuracy_m": Decimal("1.0")})
    assert error.value.code == "survey_required"
