"""`manage.py migrate` alone readies a database: the database cache's table (the worker's heartbeat, per-address
limits) comes with it. Before, only `make run` made it (createcachetable), and a database readied by `migrate`
answered 500 on the jobs page and on every form with a per-address limit."""

import pytest
from django.core.management import call_command
from django.db import connection

from tests.base import lucheng_officer

pytestmark = pytest.mark.django_db


def test_migrate_makes_the_cache_table_a_database_lacks(client, wenzhou_counties):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE diming_cache")
    assert "diming_cache" not in connection.introspection.table_names()

    call_command("migrate", verbosity=0)

    assert "diming_cache" in connection.introspection.table_names()
    client.force_login(lucheng_officer())
    assert client.get("/jobs/").status_code == 200
