import math

import pytest

from canteens.coverage import compute_coverage
from canteens.siting import suggest_sites
from gis.errors import InputError
from tests.canteens.builders import V12, V31, V32, V33, VILLAGES, at


def _brute_force_best_single_site(report):
    """Every candidate (village service point) scored on its own, straight from the builder's metres."""
    uncovered = {v.code for v in report.uncovered}
    radius = {v.code: 1000 if v.urban else 1500 for v in VILLAGES}
    scores = {}
    for site in VILLAGES:
        reached = [v for v in VILLAGES if v.code in uncovered
                   and math.hypot(site.x - v.x, site.y - v.y) <= radius[v.code]]
        scores[site.code] = sum(v.elderly for v in reached)
    return max(scores.items(), key=lambda item: item[1])


def test_the_first_suggestion_is_the_site_reaching_the_most_uncovered_elderly_people(canteens):
    report = compute_coverage()
    best_code, best_elderly = _brute_force_best_single_site(report)

    first = suggest_sites(1).suggestions[0]

    assert (first.candidate.key, first.added_elderly) == (best_code, best_elderly) == (V32, 1100)
    # V32's point reaches V31 and V33 at 1,200 m, inside their rural 1,500 m
    assert first.reached == [V31, V32, V33]
    assert first.after.covered_villages == 6 and first.after.covered_elderly == 2600
    assert first.after.rate_by_population == 2600 / 3100


def test_later_suggestions_count_only_what_earlier_ones_left_uncovered(canteens):
    plan = suggest_sites(3)

    # V31's own point would add 500, but V32's site already covers it; V12 is what is left.
    assert [(s.candidate.key, s.added_elderly) for s in plan.suggestions] == [(V32, 1100), (V12, 500)]
    assert plan.suggestions[-1].after.rate_by_count == 1.0
    assert (plan.uncovered_villages, plan.uncovered_elderly) == (4, 1600)


def test_given_candidate_points_are_ranked_the_same_way(canteens):
    # P1 reaches V31 and V32 (600 m each): 500 people; P2 reaches V32 and V33 (about 670 m each): 700 people.
    plan = suggest_sites(1, points=[at(20600, 0), at(21800, 300)])

    first = plan.suggestions[0]
    assert (first.candidate.key, first.added_villages, first.added_elderly) == ("P2", 2, 700)


def test_the_number_of_suggestions_is_bounded(canteens):
    with pytest.raises(InputError):
        suggest_sites(0)
