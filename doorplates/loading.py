"""Loading many plates at once: areas for a million points, and COPY into a staging table then INSERT ... SELECT.

Used by the bulk import and by the demo builder; nothing here checks permissions or input (callers do).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import connection

from boundaries.models import AdminArea, Level
from doorplates import sql
from doorplates.addresses import ADMIN_LEVELS, gazetteer

COPY_CHUNK = 20_000
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@dataclass(kw_only=True)
class PlateRow:
    """One plate to load; exactly one of road_id, village_id and residential_area_id is set (the table's check)."""

    line: int
    road_id: str | None
    village_id: str | None = None
    residential_area_id: str | None = None
    number: int | None  # None only for a residential area's building, unit or room plate
    sub_number: int
    sub_style: str
    annex: bool
    building: str
    unit: str
    room: str
    plate_type: str
    status: str
    installed_on: str | None  # ISO date
    lon: float
    lat: float
    area_id: int
    road_name: str
    number_label: str
    address: str
    search_text: str
    source: str = ""
    batch_id: int | None = None
    villager_group: int = 0  # a village plate's 村民小组, 0 when none


def _text_line(row: PlateRow) -> str:
    """The row as a line of COPY text, its values in the order of sql.STAGING_COLUMNS."""
    values = (
        str(row.line), row.road_id or "\\N", row.village_id or "\\N", row.residential_area_id or "\\N",
        str(row.villager_group),
        "\\N" if row.number is None else str(row.number), str(row.sub_number), row.sub_style, "t" if row.annex else "f",
        row.building.translate(_ESCAPE), row.unit.translate(_ESCAPE), row.room.translate(_ESCAPE), row.plate_type,
        row.status, row.installed_on or "\\N", repr(row.lon), repr(row.lat), str(row.area_id),
        row.road_name.translate(_ESCAPE), row.number_label.translate(_ESCAPE), row.address.translate(_ESCAPE),
        row.search_text.translate(_ESCAPE), row.source.translate(_ESCAPE),
        "\\N" if row.batch_id is None else str(row.batch_id),
    )
    return "\t".join(values)


def copy_to_staging(rows: Iterable[PlateRow], progress: Callable[[int], None] | None = None) -> int:
    """Creates the transaction's staging table and COPYs the rows into it (text format, in chunks)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.CREATE_STAGING)
        count = 0
        with cursor.cursor.copy(sql.COPY_STAGING) as copy:
            buffer = io.StringIO()
            pending = 0
            for row in rows:
                buffer.write(_text_line(row))
                buffer.write("\n")
                pending += 1
                if pending == COPY_CHUNK:
                    copy.write(buffer.getvalue())
                    count += pending
                    if progress:
                        progress(pending)
                    buffer, pending = io.StringIO(), 0
            if pending:
                copy.write(buffer.getvalue())
                count += pending
                if progress:
                    progress(pending)
    return count


def duplicate_lines() -> list[tuple[int, str]]:
    """Staged lines that repeat a current plate already in the registry: (line, its address)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.STAGED_DUPLICATES)
        return cursor.fetchall()


def drop_staged(lines: list[int]) -> None:
    if lines:
        with connection.cursor() as cursor:
            cursor.execute(sql.DROP_STAGED, [lines])


# A load this large into a registry no larger drops the table's plain indexes (trigram, spatial, foreign keys)
# and builds them again once, instead of updating them row by row: several times faster at a million plates.
# The table is locked until the load commits, as any large load would effectively do.
REBUILD_INDEXES_AT = 100_000


def insert_staged(staged: int = 0) -> int:
    """Moves the staged rows into the registry with fresh UUIDs and QR tokens; returns the number inserted."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        rebuild = staged >= REBUILD_INDEXES_AT and staged > _estimated_rows(cursor)
        indexes = _plain_indexes(cursor) if rebuild else []
        for name, _definition in indexes:
            cursor.execute(sql.DROP_INDEX.format(name=name))
        cursor.execute(sql.INSERT_STAGED)
        inserted = cursor.rowcount
        if indexes:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # Django's deferred FK checks would block CREATE INDEX
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return inserted


def _plain_indexes(cursor) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of every index of the table that no constraint owns."""
    cursor.execute(sql.PLAIN_INDEXES)
    return cursor.fetchall()


def _estimated_rows(cursor) -> int:
    cursor.execute(sql.ESTIMATED_ROWS)
    return max(0, int(cursor.fetchone()[0] or 0))


class AreaLocator:
    """The finest admin area holding each of many points, in one vectorised pass (STRtree, no per-point query)."""

    def __init__(self, within: AdminArea | None = None):
        areas = AdminArea.objects.exclude(geom=None).filter(level__in=[Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE])
        if within is not None:
            areas = areas.filter(code12__startswith=within.prefix)
        rows = sorted(areas.values_list("id", "code12", "level", "geom"), key=lambda r: r[1])
        self.ids = np.array([r[0] for r in rows], dtype=np.int64)
        self.code12 = [r[1] for r in rows]
        self.levels = [r[2] for r in rows]
        self.tree = shapely.STRtree([shapely.from_wkb(bytes(r[3].wkb)) for r in rows])

    def locate(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Index into ``self.ids`` of each point's finest area (the largest code12 holding it), -1 for none."""
        points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        which, area = self.tree.query(points, predicate="intersects")
        best = np.full(len(points), -1, dtype=np.int64)
        np.maximum.at(best, which, area)  # rows are sorted by code12: the largest index is the finest area
        return best

    def prefixes(self) -> list[str]:
        """The address prefix (浙江省温州市鹿城区五马街道) of each area, index-aligned with ``ids``."""
        names = gazetteer()
        return [names.prefix_of(code12, level if level in ADMIN_LEVELS else "township")
                for code12, level in zip(self.code12, self.levels, strict=True)]
