from canteens.coverage import compute_coverage
from canteens.models import CanteenStatus


def test_a_county_meets_the_target_with_one_fully_covered_township(canteens):
    report = compute_coverage()

    lucheng, ruian = report.county("330302"), report.county("330381")
    assert [t.name for t in lucheng.fully_covered_townships] == ["藤桥镇"]
    assert lucheng.has_fully_covered_township
    assert not ruian.has_fully_covered_township
    assert report.counties_meeting_target == 1


def test_opening_the_planned_canteen_completes_a_township_in_the_second_county(canteens):
    canteens["C6"].status = CanteenStatus.OPEN
    canteens["C6"].save()

    report = compute_coverage()

    assert report.township("330381101").tally.fully_covered
    assert report.county("330381").has_fully_covered_township
    assert report.counties_meeting_target == 2
