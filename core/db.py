"""Connections of a component's own, beside Django's."""

from __future__ import annotations

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections


def own_connection(using: str = DEFAULT_DB_ALIAS, **defaults) -> psycopg.Connection:
    """A psycopg connection in autocommit with the settings of Django's ``using`` database, outside Django's own
    connection and transaction: for what must be seen or heard while that transaction is open (a job's progress,
    the tile cache's notices). ``defaults`` are libpq parameters the settings do not already give."""
    params = connections[using].get_connection_params()
    params.pop("cursor_factory", None)  # Django's cursor classes belong to its connection wrapper
    for name, value in defaults.items():
        params.setdefault(name, value)
    return psycopg.connect(**params, autocommit=True)
