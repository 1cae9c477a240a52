import pytest

from tests.canteens.builders import known_canteens, known_geography


@pytest.fixture
def geography(db):
    return known_geography()


@pytest.fixture
def canteens(geography):
    return known_canteens()
