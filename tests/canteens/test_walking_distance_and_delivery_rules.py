from canteens.coverage import compute_coverage
from canteens.models import CanteenStatus
from tests.canteens.builders import V11, V12, V21, V22, V31, V32, V33


def test_an_open_canteen_within_the_walking_radius_covers_a_village(canteens):
    report = compute_coverage()

    assert report.village(V11).by_walk  # 900 m, urban 1,000 m
    assert report.village(V21).by_walk  # 1,400 m, rural 1,500 m


def test_urban_communities_get_the_shorter_walking_radius(canteens):
    v12 = compute_coverage().village(V12)

    assert not v12.covered  # 1,100 m: inside a rural radius, outside the urban one
    assert round(v12.nearest_m) == 1100
    assert v12.walk_m == 1000


def test_the_walking_radii_come_from_settings(canteens, settings):
    settings.CANTEEN_WALK_URBAN_M = 1200

    assert compute_coverage().village(V12).by_walk


def test_a_delivering_canteen_covers_villages_inside_its_delivery_radius(canteens):
    v22 = compute_coverage().village(V22)

    assert v22.by_delivery and not v22.by_walk  # 2,000 m: beyond walking, inside the 2,500 m delivery radius


def test_a_delivery_radius_without_delivery_covers_nothing(canteens):
    report = compute_coverage()

    # C9 has delivery_radius_m 5,000 but delivers=False; it stands 3,000 m and more from V31, V32 and V33.
    assert not any(report.village(code).covered for code in (V31, V32, V33))


def test_only_open_canteens_count(canteens):
    assert not compute_coverage().village(V32).covered  # planned C6 stands on it, suspended C7 delivers to it

    canteens["C6"].status = CanteenStatus.OPEN
    canteens["C6"].save()

    report = compute_coverage()
    assert all(report.village(code).by_walk for code in (V31, V32, V33))

