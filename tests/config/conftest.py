import pytest

from tests.base import lucheng_officer
from tests.exports.builders import place


@pytest.fixture
def officer(wenzhou_counties):
    """鹿城区's officer, with a road of theirs (解放街) in the registry."""
    place("解放街")
    return lucheng_officer()
