"""in_china uses an approximate mainland polygon, not the usual box that takes in Seoul, Taipei and Ulaanbaatar."""

import numpy as np
import pytest
import shapely

from gis import coords
from gis.china import MAINLAND_OUTLINE, mainland, mainland_mask

INSIDE = {
    "Beijing": (116.40, 39.90), "Urumqi": (87.62, 43.83), "Lhasa": (91.11, 29.65), "Harbin": (126.63, 45.75),
    "Wenzhou": (120.70, 28.00), "Sanya": (109.51, 18.25), "Kashgar": (75.99, 39.47),
    "Shanghai": (121.47, 31.23), "Xiamen": (118.09, 24.48), "Nanji Islands": (121.07, 27.46),
    "Dongtou": (121.16, 27.84), "Zhoushan": (122.20, 30.00), "Kunming": (102.71, 25.04),
    "Shenzhen Longgang": (114.25, 22.72), "Mohe": (122.53, 52.97), "Tashkurgan": (75.23, 37.77),
}
OUTSIDE = {
    "Seoul": (126.98, 37.57), "Taipei": (121.56, 25.04), "Ulaanbaatar": (106.92, 47.92),
    "Tokyo": (139.69, 35.69), "Hanoi": (105.85, 21.03), "Pyongyang": (125.75, 39.02),
    "Vladivostok": (131.89, 43.12), "Almaty": (76.95, 43.24), "Kathmandu": (85.32, 27.70),
    "Hong Kong": (114.17, 22.30), "Macau": (113.55, 22.19), "Kinmen": (118.32, 24.45),
    "Matsu (Nangan)": (119.94, 26.16), "Jeju": (126.53, 33.50),
}


@pytest.mark.parametrize("city", INSIDE)
def test_mainland_cities_are_in_china(city):
    assert coords.in_china(*INSIDE[city]) is True


@pytest.mark.parametrize("city", OUTSIDE)
def test_places_the_usual_bounding_box_gets_wrong_are_not_in_china(city):
    assert coords.in_china(*OUTSIDE[city]) is False


@pytest.mark.parametrize("city", ["Seoul", "Taipei", "Hong Kong", "Ulaanbaatar"])
def test_the_transforms_leave_points_outside_the_mainland_unchanged(city):
    point = OUTSIDE[city]
    for transform in (coords.wgs84_to_gcj02, coords.wgs84_to_bd09, coords.gcj02_to_bd09,
                      coords.gcj02_to_wgs84, coords.bd09_to_wgs84, coords.bd09_to_gcj02):
        assert transform(*point) == point


def test_in_china_takes_arrays_of_any_shape_and_answers_in_the_same_shape():
    lon = np.array([[INSIDE["Beijing"][0], OUTSIDE["Seoul"][0]], [np.nan, INSIDE["Wenzhou"][0]]])
    lat = np.array([[INSIDE["Beijing"][1], OUTSIDE["Seoul"][1]], [30.0, INSIDE["Wenzhou"][1]]])
    assert coords.in_china(lon, lat).tolist() == [[True, False], [False, True]]


def test_the_raster_mask_agrees_with_the_exact_polygon_test_everywhere():
    rng = np.random.default_rng(5)
    min_lon, min_lat, max_lon, max_lat = mainland().bounds
    lon = rng.uniform(min_lon - 1, max_lon + 1, 400_000)
    lat = rng.uniform(min_lat - 1, max_lat + 1, 400_000)
    exact = shapely.contains_xy(mainland(), lon, lat)
    assert (coords.in_china(lon, lat) == exact).all()


def test_the_raster_mask_agrees_with_the_polygon_close_to_its_outline():
    outline = shapely.get_coordinates(shapely.segmentize(mainland().boundary, 0.01))
    rng = np.random.default_rng(6)
    lon, lat = (outline + rng.normal(0, 0.01, outline.shape)).T
    assert (mainland_mask().contains(lon, lat) == shapely.contains_xy(mainland(), lon, lat)).all()


def test_the_outline_is_a_valid_hand_digitised_polygon_of_a_few_hundred_vertices():
    outline = shapely.Polygon(MAINLAND_OUTLINE)
    assert outline.is_valid
    assert 150 <= len(MAINLAND_OUTLINE) <= 400
    assert mainland().is_valid
