"""Keeping every grave's tags current: which corridor bands and zones it lies in, and how far it is from each road.

Called by cemeteries.services when a grave is registered or moved, and by the Corridor and Zone signals
(cemeteries.signals) when a corridor or zone is saved (admin, import); ``retag_all`` re-tags everything in three
statements (a bulk load, a changed default band width).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction

from cemeteries import sql
from cemeteries.models import DEFAULT_BAND_M

DEFAULT_REACH_M = 1000


def _params(**extra) -> dict:
    defaults = {str(k): v for k, v in DEFAULT_BAND_M.items()}
    defaults.update({str(k): int(v) for k, v in (getattr(settings, "CEMETERIES_BAND_M", None) or {}).items()})
    reach = int(getattr(settings, "CEMETERIES_ROAD_REACH_M", DEFAULT_REACH_M))
    return {"defaults": json.dumps(defaults), "reach": reach, **extra}


def _run(statements: Iterable[str], params: dict) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params)


def retag_graves(ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        _run(sql.FOR_GRAVES, _params(ids=ids))


def retag_corridor(corridor_id: int) -> None:
    params = _params(id=corridor_id, ids=[corridor_id])
    _run((sql.UPDATE_BAND, *sql.FOR_CORRIDOR), params)


def retag_zone(zone_id: int) -> None:
    _run(sql.FOR_ZONE, _params(id=zone_id))


def retag_all() -> None:
    """Every band and every tag again (after a bulk load, or when the default band widths change)."""
    from cemeteries.models import Corridor

    ids = list(Corridor.objects.values_list("id", flat=True))
    _run((sql.UPDATE_BAND, *sql.FOR_ALL), _params(ids=ids))
