"""Every raw SQL statement of boundary lines and topology checks. Values go as parameters."""

from __future__ import annotations

from django.db import connection

# The shared edge of two polygons: where their outlines coincide, as merged lines. Points where the two only touch
# at a corner are dropped (CollectionExtract 2); the pieces are merged into as few lines as their ends allow.
SHARED_EDGE = """
SELECT ST_AsEWKB(ST_Multi(ST_LineMerge(ST_CollectionExtract(
         ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)), 2))))
  FROM boundaries_adminarea a, boundaries_adminarea b
 WHERE a.id = %s AND b.id = %s
"""

# Pairs of areas of one level whose outlines share a stretch of line: the candidates for boundary lines.
NEIGHBOUR_PAIRS = """
SELECT a.id, b.id
  FROM boundaries_adminarea a
  JOIN boundaries_adminarea b ON a.code12 < b.code12 AND b.level = a.level AND a.geom && b.geom
 WHERE a.level = %s AND a.geom IS NOT NULL AND b.geom IS NOT NULL
   AND ST_Relate(a.geom, b.geom, 'F***1****')
"""


def shared_edge_ewkb(area_a_id: int, area_b_id: int) -> bytes | None:
    with connection.cursor() as cursor:
        cursor.execute(SHARED_EDGE, [area_a_id, area_b_id])
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


def neighbour_pairs(level: str) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(NEIGHBOUR_PAIRS, [level])
        return list(cursor.fetchall())
