"""The raw SQL of meal-service coverage: one statement for the whole city, in metres (EPSG:4549).

Identifiers come from the models' table names and are quoted by ``ident`` (core.sql); every value is a query
parameter.
"""

from __future__ import annotations

from functools import cache

from django.db import connection, transaction

from canteens.models import Canteen, CanteenStatus
from core.sql import ident
from gis.crs import METRIC_SRID


def _tables() -> dict[str, str]:
    from boundaries.models import AdminArea

    return {"area": ident(AdminArea._meta.db_table), "canteen": ident(Canteen._meta.db_table)}


# The villages in scope with their service point in metres and the walking radius their class gets
# (urban_rural_code 1xx: urban). A village without a service point is measured from a point on its polygon.
_VILLAGES = """
    SELECT v.id, v.code, v.name, v.parent_id AS township_id, t.code AS township_code, t.name AS township_name,
           c.id AS county_id, c.code AS county_code, c.name AS county_name,
           COALESCE(v.elderly_population, 0) AS elderly,
           v.urban_rural_code LIKE '1%%' AS urban,
           CASE WHEN v.urban_rural_code LIKE '1%%' THEN %(walk_urban)s ELSE %(walk_rural)s END AS walk_m,
           ST_Transform(COALESCE(v.service_point, ST_PointOnSurface(v.geom)), {srid}) AS pt
      FROM {area} v
      JOIN {area} t ON t.id = v.parent_id
      JOIN {area} c ON c.id = t.parent_id
     WHERE v.level = 'village' AND (v.service_point IS NOT NULL OR v.geom IS NOT NULL)
       AND v.code12 LIKE ANY(%(patterns)s)
"""

# A village is covered when an open canteen is within its walking radius of the service point, or when the
# service point lies inside the delivery radius of an open, delivering canteen. Both tests use the GiST index
# on canteen.geom_4549: the walking test with the village's own radius, the delivery test with the largest
# delivery radius (a constant for the statement) before the canteen's own radius is applied.
_COVERAGE = """
WITH village AS MATERIALIZED ({villages}),
reach AS MATERIALIZED (
    SELECT village.*,
           EXISTS (SELECT 1 FROM {canteen} k
                    WHERE k.status = %(open)s AND ST_DWithin(k.geom_4549, village.pt, village.walk_m)) AS by_walk,
           EXISTS (SELECT 1 FROM {canteen} k
                    WHERE k.status = %(open)s AND k.delivers AND k.delivery_radius_m > 0
                      AND ST_DWithin(k.geom_4549, village.pt, %(max_delivery_m)s)
                      AND ST_DWithin(k.geom_4549, village.pt, k.delivery_radius_m)) AS by_delivery
      FROM village
),
judged AS (
    SELECT reach.*, by_walk OR by_delivery AS covered,
           -- how far the nearest open canteen is, for the villages still waiting for one (index KNN)
           CASE WHEN NOT (by_walk OR by_delivery) THEN
                (SELECT ST_Distance(k.geom_4549, reach.pt) FROM {canteen} k WHERE k.status = %(open)s
                  ORDER BY k.geom_4549 <-> reach.pt LIMIT 1) END AS nearest_m
      FROM reach
)
SELECT CASE WHEN GROUPING(county_id) = 1 THEN 'city'
            WHEN GROUPING(township_id) = 1 THEN 'county'
            WHEN GROUPING(id) = 1 THEN 'township'
            ELSE 'village' END AS level,
       county_id, county_code, county_name, township_id, township_code, township_name, id, code, name,
       bool_and(urban) AS urban, max(walk_m) AS walk_m,
       count(*) AS villages, count(*) FILTER (WHERE covered) AS covered_villages,
       COALESCE(sum(elderly), 0) AS elderly, COALESCE(sum(elderly) FILTER (WHERE covered), 0) AS covered_elderly,
       bool_or(by_walk) AS by_walk, bool_or(by_delivery) AS by_delivery, min(nearest_m) AS nearest_m
  FROM judged
 GROUP BY GROUPING SETS ((county_id, county_code, county_name, township_id, township_code, township_name,
                          id, code, name),
                         (county_id, county_code, county_name, township_id, township_code, township_name),
                         (county_id, county_code, county_name),
                         ())
 ORDER BY county_code NULLS FIRST, township_code NULLS FIRST, code NULLS FIRST
"""

# Village service points in metres, for siting (candidates and the villages a new canteen could reach).
_VILLAGE_POINTS = """
WITH village AS ({villages})
SELECT id, code, name, township_name, county_name, elderly, walk_m, ST_X(pt), ST_Y(pt) FROM village
 ORDER BY code
"""

_POINTS_IN_METRES = """
SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_GeomFromEWKB(w), {srid}) AS p
                                FROM unnest(%(points)s::bytea[]) WITH ORDINALITY AS u(w, n) ORDER BY n) q
"""

# The naive peer of the coverage query for the benchmark: one village at a time.
_ONE_VILLAGE = """
SELECT EXISTS (SELECT 1 FROM {canteen} k WHERE k.status = %(open)s
                  AND ST_DWithin(k.geom_4549, ST_Transform(%(point)s::geometry, {srid}), %(walk_m)s))
    OR EXISTS (SELECT 1 FROM {canteen} k WHERE k.status = %(open)s AND k.delivers AND k.delivery_radius_m > 0
                  AND ST_DWithin(k.geom_4549, ST_Transform(%(point)s::geometry, {srid}), k.delivery_radius_m))
"""

_OPEN_CANTEEN_POINTS = """
SELECT ST_X(geom_4549), ST_Y(geom_4549), CASE WHEN delivers THEN COALESCE(delivery_radius_m, 0) ELSE 0 END
  FROM {canteen} WHERE status = %(open)s ORDER BY id
"""

_MAX_DELIVERY = """
SELECT COALESCE(max(delivery_radius_m), 0) FROM {canteen}
 WHERE status = %(open)s AND delivers AND delivery_radius_m > 0
"""


@cache
def _render(template: str) -> str:
    tables = _tables()
    villages = _VILLAGES.format(srid=METRIC_SRID, **tables)
    return template.format(villages=villages, srid=METRIC_SRID, **tables)


def patterns_for(prefixes: tuple[str, ...] | None) -> list[str]:
    """LIKE patterns for code12 prefixes; ``None`` (everywhere) matches every code."""
    if prefixes is None:
        return ["%"]
    return [p + "%" for p in prefixes]


def _radius_params(walk_urban_m: float, walk_rural_m: float, prefixes) -> dict:
    return {"walk_urban": float(walk_urban_m), "walk_rural": float(walk_rural_m),
            "patterns": patterns_for(prefixes), "open": CanteenStatus.OPEN.value}


def coverage_rows(prefixes, *, walk_urban_m: float, walk_rural_m: float) -> list[dict]:
    """One row per village, township, county and the whole scope (column ``level``), from one statement."""
    params = _radius_params(walk_urban_m, walk_rural_m, prefixes)
    with transaction.atomic(), connection.cursor() as cursor:
        # The estimated cost of the 5,000-odd index probes crosses jit_above_cost, and compiling costs more
        # (about 150 ms) than the statement itself.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(_render(_MAX_DELIVERY), params)
        params["max_delivery_m"] = float(cursor.fetchone()[0])
        cursor.execute(_render(_COVERAGE), params)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def village_points(prefixes, *, walk_urban_m: float, walk_rural_m: float) -> list[tuple]:
    """(id, code, name, township, county, elderly, walk_m, x, y) of every village in scope, x/y in metres."""
    with connection.cursor() as cursor:
        cursor.execute(_render(_VILLAGE_POINTS), _radius_params(walk_urban_m, walk_rural_m, prefixes))
        return cursor.fetchall()


def points_in_metres(points) -> list[tuple[float, float]]:
    """The EPSG:4549 coordinates of GEOS points (with their SRID), transformed by PostGIS."""
    if not points:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_render(_POINTS_IN_METRES), {"points": [bytes(p.ewkb) for p in points]})
        return cursor.fetchall()


def open_canteen_points() -> list[tuple[float, float, int]]:
    """(x, y, delivery radius) of every open canteen, x/y in EPSG:4549 metres; radius 0 when it does not deliver."""
    with connection.cursor() as cursor:
        cursor.execute(_render(_OPEN_CANTEEN_POINTS), {"open": CanteenStatus.OPEN.value})
        return cursor.fetchall()


def village_is_covered(point_ewkt: str, walk_m: float) -> bool:
    """One village's coverage, the way a per-village loop would ask (the benchmark's peer)."""
    with connection.cursor() as cursor:
        cursor.execute(_render(_ONE_VILLAGE), {"point": point_ewkt, "walk_m": float(walk_m),
                                               "open": CanteenStatus.OPEN.value})
        return cursor.fetchone()[0]


_REFINE_AREAS = """
UPDATE {canteen} k SET area_id = best.id
  FROM (SELECT DISTINCT ON (k2.id) k2.id AS canteen_id, a.id FROM {canteen} k2
          JOIN {area} a ON a.geom_3857 && k2.geom_3857 AND ST_Covers(a.geom, k2.geom)
         WHERE k2.source = %(source)s ORDER BY k2.id, a.code12 DESC) best
 WHERE k.id = best.canteen_id AND k.area_id <> best.id
"""


def analyze_canteens() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would gather them later."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {_tables()['canteen']}")


def refine_canteen_areas(source: str) -> int:
    """Sets the area of the canteens from ``source`` to the finest area containing each; returns how many moved."""
    with connection.cursor() as cursor:
        cursor.execute(_render(_REFINE_AREAS), {"source": source})
        return cursor.rowcount


_LINK_NEAREST_PLATES = """
UPDATE canteens_canteen c SET doorplate_id = near.uuid, address = near.address
FROM (
  SELECT k.id, p.uuid, p.address
  FROM canteens_canteen k
  CROSS JOIN LATERAL (
    SELECT d.uuid, d.address, d.geom FROM doorplates_doorplate d
    WHERE d.status <> 'retired' ORDER BY d.geom_3857 <-> k.geom_3857 LIMIT 1
  ) p
  WHERE k.source = %(source)s AND ST_DWithin(p.geom::geography, k.geom::geography, %(metres)s)
) near
WHERE c.id = near.id
"""


def link_nearest_plates(source: str, metres: float) -> int:
    """Links the canteens from ``source`` to the nearest current doorplate within ``metres`` (its address becomes
    theirs); returns how many were linked. For demo and imported data; officers link one by one."""
    with connection.cursor() as cursor:
        cursor.execute(_LINK_NEAREST_PLATES, {"source": source, "metres": metres})
        return cursor.rowcount
