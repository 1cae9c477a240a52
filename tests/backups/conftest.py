from tests.faults.conftest import cluster  # noqa: F401 - a throwaway PostgreSQL cluster of the test's own
