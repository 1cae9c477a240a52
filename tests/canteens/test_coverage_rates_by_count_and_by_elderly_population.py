from canteens.coverage import compute_coverage
from tests.canteens.builders import TOTAL_ELDERLY


def test_the_city_rate_counts_villages_and_weighs_elderly_people(canteens):
    report = compute_coverage()

    assert (report.total.villages, report.total.covered_villages) == (7, 3)
    assert report.total.rate_by_count == 3 / 7
    assert (report.total.elderly, report.total.covered_elderly) == (TOTAL_ELDERLY, 1500)
    assert report.total.rate_by_population == 1500 / 3100


def test_each_county_and_township_has_its_own_rates(canteens):
    report = compute_coverage()

    lucheng, ruian = report.county("330302"), report.county("330381")
    assert (lucheng.tally.covered_villages, lucheng.tally.villages) == (3, 4)
    assert lucheng.tally.rate_by_population == 1500 / 2000
    assert (ruian.tally.covered_villages, ruian.tally.villages) == (0, 3)
    assert ruian.tally.rate_by_population == 0
    wuma = report.township("330302001")
    assert (wuma.tally.covered_villages, wuma.tally.villages) == (1, 2)
    assert wuma.tally.rate_by_population == 1000 / 1500
    assert [t.code for t in lucheng.townships] == ["330302001", "330302101"]


def test_a_scope_of_one_county_sees_only_its_villages(canteens):
    # WHERE v.code12 LIKE ANY(ARRAY['330381%'])
    report = compute_coverage(("330381",))

    assert [c.code for c in report.counties] == ["330381"]
    assert (report.total.villages, report.total.covered_villages) == (3, 0)


def test_a_user_with_no_region_sees_no_village(canteens):
    report = compute_coverage(())

    assert report.counties == [] and report.total.villages == 0
    assert report.total.rate_by_count is None
