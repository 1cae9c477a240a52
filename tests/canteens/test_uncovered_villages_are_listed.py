from canteens.coverage import compute_coverage
from tests.canteens.builders import V12, V31, V32, V33


def test_the_uncovered_villages_are_exactly_those_no_open_canteen_reaches(canteens):
    uncovered = compute_coverage().uncovered

    assert [v.code for v in uncovered] == [V12, V31, V32, V33]
    assert [v.elderly for v in uncovered] == [500, 400, 100, 600]


def test_an_uncovered_village_knows_its_nearest_open_canteen(canteens):
    v31 = compute_coverage().village(V31)

    # C9 at (21,200, -3,000) is the nearest open canteen to V31 at (20,000, 0): sqrt(1,200² + 3,000²)
    assert abs(v31.nearest_m - (1200**2 + 3000**2) ** 0.5) < 0.01
    assert (v31.township, v31.county) == ("塘下镇", "瑞安市")


def test_without_any_open_canteen_every_village_is_uncovered(geography):
    report = compute_coverage()

    assert len(report.uncovered) == 7
    assert all(v.nearest_m is None for v in report.uncovered)
