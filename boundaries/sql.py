"""Every raw SQL statement of boundary lines and topology checks. Values go as parameters."""

from __future__ import annotations

from django.db import connection, transaction

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


# -- topology checks -------------------------------------------------------------------------------------------
# Each statement finds one kind of problem for the children of the parents in %(parents)s (NULL: every parent),
# set-based: pairs come from the GiST-indexed && join, never from a loop. Pieces smaller than %(min_m2)s square
# metres or %(min_m)s metres are the noise of floating-point overlay.
#
# Sizes are measured in the CGCS2000 Gauss-Krüger plane (EPSG:4549) after densifying every edge to 50 m in degrees:
# a stored edge is straight in longitude and latitude, so a 60 km edge measured as a geodesic (geography) or
# projected by its two ends bends away from the edge itself, and a sliver of noise between two copies of that edge
# would weigh hectares. A piece is measured so only when its area in square degrees (%(min_deg2)s, a bound below
# what %(min_m2)s square metres can be anywhere in the service area) leaves it in doubt: most are slivers of noise.
METRIC = "ST_Transform(ST_Segmentize({}, 0.0005), 4549)"


def _m(expression: str) -> str:
    return METRIC.format(expression)


# Most parents are tiled exactly by their children: where two children meet they share the same stretches of
# outline, walked in opposite directions. Summed over the children, such stretches cancel out; what is left is an
# outline whose winding number at each point is the number of children covering it. When that outline is exactly
# the (counter-clockwise outside, clockwise holes) outline of a valid area, every point is covered once or not at
# all: the children do not overlap, and their union is that area ("cover"), found without overlaying them. So for
# such a parent the gaps are its own area less the cover, no child can stick out unless the cover does, and no
# pair of its children needs testing. A parent whose children are not so tiled (an invalid child, stretches that
# do not match, such as a vertex of one lying on an edge of the other, an overlap) is checked by the statements
# below, pair by pair (the list of TILINGS rows whose "tiled" is false).
# One row per parent with children: parent, tiled, sticks out (its cover is not within it by more than noise: its
# children are checked one by one), then a gap piece and its area (NULL when none).
TILINGS = f"""
WITH kids AS (
  SELECT c.parent_id, c.geom FROM boundaries_adminarea c
   WHERE c.geom IS NOT NULL AND c.parent_id IS NOT NULL
     AND (%(parents)s::int[] IS NULL OR c.parent_id = ANY(%(parents)s::int[]))
), sides AS (
  SELECT k.parent_id, ST_AsBinary(s.geom) AS fwd, ST_AsBinary(ST_Reverse(s.geom)) AS back
    FROM kids k, ST_DumpSegments(ST_ForcePolygonCCW(k.geom)) s
), outline AS (  -- each stretch once (its lesser direction), with how many more times it is walked so than back
  SELECT parent_id, least(fwd, back) AS side, sum(CASE WHEN fwd < back THEN 1 ELSE -1 END) AS times
    FROM sides GROUP BY parent_id, least(fwd, back)
), cover AS (
  SELECT parent_id, ST_BuildArea(ST_Collect(ST_GeomFromWKB(side, 4490))) AS geom
    FROM outline WHERE times <> 0 GROUP BY parent_id
), cover_outline AS (
  SELECT c.parent_id, least(fwd, back) AS side, sum(CASE WHEN fwd < back THEN 1 ELSE -1 END) AS times
    FROM cover c, ST_DumpSegments(ST_ForcePolygonCCW(c.geom)) s,
         LATERAL (SELECT ST_AsBinary(s.geom) AS fwd, ST_AsBinary(ST_Reverse(s.geom)) AS back) d
   GROUP BY c.parent_id, least(fwd, back)
), untiled AS (
  SELECT coalesce(o.parent_id, co.parent_id) AS parent_id
    FROM (SELECT * FROM outline WHERE times <> 0) o
    FULL JOIN cover_outline co ON co.parent_id = o.parent_id AND co.side = o.side
   WHERE o.times IS DISTINCT FROM co.times
  UNION
  SELECT parent_id FROM kids WHERE NOT ST_IsValid(geom)
), tiling AS MATERIALIZED (  -- once: "tiled" is read three times below
  SELECT c.parent_id, p.geom AS parent_geom, c.geom AS cover_geom,
         c.geom IS NOT NULL AND ST_IsValid(c.geom) AND c.parent_id NOT IN (SELECT parent_id FROM untiled) AS tiled
    FROM cover c JOIN boundaries_adminarea p ON p.id = c.parent_id
)
SELECT t.parent_id, t.tiled,
       CASE WHEN t.tiled AND t.parent_geom IS NOT NULL
            THEN ST_Area(ST_Difference(t.cover_geom, t.parent_geom)) > %(min_deg2)s / 2 ELSE FALSE END,
       ST_AsEWKB(g.geom), ST_Area({_m("g.geom")})
  FROM tiling t
  LEFT JOIN LATERAL (
    -- (no overlay of an untiled parent's cover: NULL gives no row; a WHERE would not keep it from being computed)
    SELECT d.geom
      FROM ST_Dump(ST_CollectionExtract(ST_Difference(t.parent_geom, CASE WHEN t.tiled THEN t.cover_geom END), 3)) d
     WHERE ST_Area(d.geom) > %(min_deg2)s AND ST_Area({_m("d.geom")}) > %(min_m2)s) g ON TRUE
"""

OVERLAPS = f"""
SELECT a.parent_id, a.id, b.id, ST_AsEWKB(o.geom), ST_Area({_m("o.geom")})
  FROM boundaries_adminarea a
  JOIN boundaries_adminarea b ON b.parent_id = a.parent_id AND a.id < b.id AND a.geom && b.geom
  CROSS JOIN LATERAL (SELECT ST_Multi(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3)) AS geom) o
 WHERE (%(parents)s::int[] IS NULL OR a.parent_id = ANY(%(parents)s::int[]))
   AND ST_Relate(a.geom, b.geom, '2********')
   AND ST_Area(o.geom) > %(min_deg2)s AND ST_Area({_m("o.geom")}) > %(min_m2)s
"""

GAPS = f"""
WITH cover AS (
  SELECT p.id AS parent_id, p.geom AS parent_geom, ST_Union(c.geom) AS children
    FROM boundaries_adminarea p JOIN boundaries_adminarea c ON c.parent_id = p.id
   WHERE p.geom IS NOT NULL AND c.geom IS NOT NULL
     AND (%(parents)s::int[] IS NULL OR p.id = ANY(%(parents)s::int[]))
   GROUP BY p.id, p.geom)
SELECT parent_id, ST_AsEWKB(d.geom), ST_Area({_m("d.geom")})
  FROM cover, ST_Dump(ST_CollectionExtract(ST_Difference(parent_geom, children), 3)) d
 WHERE ST_Area(d.geom) > %(min_deg2)s AND ST_Area({_m("d.geom")}) > %(min_m2)s
"""

OUTSIDE_PARENT = f"""
SELECT c.parent_id, c.id, ST_AsEWKB(o.geom), ST_Area({_m("o.geom")})
  FROM boundaries_adminarea c
  JOIN boundaries_adminarea p ON p.id = c.parent_id AND p.geom IS NOT NULL
  CROSS JOIN LATERAL (SELECT ST_Multi(ST_CollectionExtract(ST_Difference(c.geom, p.geom), 3)) AS geom) o
 WHERE c.geom IS NOT NULL AND (%(parents)s::int[] IS NULL OR c.parent_id = ANY(%(parents)s::int[]))
   AND NOT ST_CoveredBy(c.geom, p.geom)
   AND ST_Area(o.geom) > %(min_deg2)s AND ST_Area({_m("o.geom")}) > %(min_m2)s
"""

# A line no longer follows the areas' edge where it strays from their shared edge, or where the edge runs on
# without it (one side's polygon was redrawn). Both pieces are the problem (in the plane, then back to storage).
LINES_OFF_EDGE = f"""
SELECT l.id, l.side_a_id, l.side_b_id, ST_AsEWKB(ST_Transform(off.geom, 4490)), ST_Length(off.geom)
  FROM boundaries_boundaryline l
  JOIN boundaries_adminarea a ON a.id = l.side_a_id
  JOIN boundaries_adminarea b ON b.id = l.side_b_id
  CROSS JOIN LATERAL (SELECT {_m("ST_CollectionExtract(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)), 2)")}
                             AS edge, {_m("l.geom")} AS line) m
  CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Union(
           ST_Difference(m.line, ST_Buffer(m.edge, %(min_m)s)),
           ST_Difference(m.edge, ST_Buffer(m.line, %(min_m)s))), 2) AS geom) off
 WHERE a.geom IS NOT NULL AND b.geom IS NOT NULL
   AND (%(lines)s::int[] IS NULL OR l.id = ANY(%(lines)s::int[]))
   AND ST_Length(off.geom) > %(min_m)s
"""

MARKERS_OFF_LINE = f"""
SELECT m.id, l.id, l.side_a_id, l.side_b_id, ST_AsEWKB(m.geom), ST_Distance(ST_Transform(m.geom, 4549), {_m("l.geom")})
  FROM boundaries_boundarymarker m
  JOIN boundaries_boundaryline l ON l.id = m.line_id
  JOIN boundaries_markerclass k ON k.id = m.marker_class_id
 WHERE (%(lines)s::int[] IS NULL OR l.id = ANY(%(lines)s::int[]))
   AND ST_Distance(ST_Transform(m.geom, 4549), {_m("l.geom")}) > k.tolerance_m::float8
"""


def topology_rows(statement: str, params: dict) -> list[tuple]:
    # The planner prices geometry functions so high that it JIT-compiles these statements, which then takes longer
    # than the work itself (2.6 s of 2.7 s for the demo city's gaps): off for this transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(statement, params)
        return list(cursor.fetchall())
