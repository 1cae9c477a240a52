import pytest

from tests.tiles.builders import create_points_table, install_tile_triggers


@pytest.fixture
def test_points(db):
    """The test-only point table, with the tile invalidation triggers of whatever layers are registered."""
    create_points_table()
    yield
    # Created inside the test's transaction: rolled back with it. Transactional tests drop it themselves.


@pytest.fixture
def triggers(db):
    return install_tile_triggers()
