from tests.canteens.conftest import canteens, geography  # noqa: F401  (the canteens the replay tests submit to)
