"""The raw SQL of the cemeteries app: tagging graves with the corridor bands and zones they lie in (set-based, on
the indexed EPSG:4549 columns) and keeping each corridor's band.

A corridor's band width is its own ``buffer_m``, else the default of its kind (a parameter: a JSON object from
settings, read at call time). A grave gets a corridor tag when it lies within the band or within ``reach`` metres
of the line (so its distance to every nearby road is known); ``inside`` says which. A zone tag means the grave's
point lies in the zone (distance 0).
"""

from __future__ import annotations

BAND_WIDTH = "COALESCE(c.buffer_m, (%(defaults)s::jsonb ->> c.kind)::int, 100)"

_CORRIDOR_TAGS = f"""
INSERT INTO cemeteries_gravetag (grave_id, corridor_id, zone_id, distance_m, inside)
SELECT g.id, c.id, NULL, d.metres, d.metres <= {BAND_WIDTH}
  FROM cemeteries_corridor c
  JOIN cemeteries_grave g ON ST_DWithin(g.geom_4549, c.geom_4549, GREATEST({BAND_WIDTH}, %(reach)s))
  CROSS JOIN LATERAL (SELECT ST_Distance(g.geom_4549, c.geom_4549) AS metres) d
 WHERE {{where}}
"""

_ZONE_TAGS = """
INSERT INTO cemeteries_gravetag (grave_id, corridor_id, zone_id, distance_m, inside)
SELECT g.id, NULL, z.id, 0, true
  FROM cemeteries_zone z
  JOIN cemeteries_grave g ON ST_Intersects(z.geom_4549, g.geom_4549)
 WHERE {where}
"""

# Each statement pair: clear the tags of the changed rows, then tag them again.
FOR_GRAVES = (
    "DELETE FROM cemeteries_gravetag WHERE grave_id = ANY(%(ids)s)",
    _CORRIDOR_TAGS.format(where="g.id = ANY(%(ids)s)"),
    _ZONE_TAGS.format(where="g.id = ANY(%(ids)s)"),
)
FOR_ALL = (
    "DELETE FROM cemeteries_gravetag",
    _CORRIDOR_TAGS.format(where="true"),
    _ZONE_TAGS.format(where="true"),
)
FOR_CORRIDOR = (
    "DELETE FROM cemeteries_gravetag WHERE corridor_id = %(id)s",
    _CORRIDOR_TAGS.format(where="c.id = %(id)s"),
)
FOR_ZONE = (
    "DELETE FROM cemeteries_gravetag WHERE zone_id = %(id)s",
    _ZONE_TAGS.format(where="z.id = %(id)s"),
)

# The band in storage coordinates, buffered in metres (round ends: a grave just past the end of a line is as near to
# it as its distance says).
UPDATE_BAND = f"""
INSERT INTO cemeteries_corridorband (corridor_id, geom, width_m)
SELECT c.id, ST_Multi(ST_Transform(ST_Buffer(c.geom_4549, {BAND_WIDTH}, 'quad_segs=8'), 4490)), {BAND_WIDTH}
  FROM cemeteries_corridor c
 WHERE c.id = ANY(%(ids)s)
ON CONFLICT (corridor_id) DO UPDATE SET geom = EXCLUDED.geom, width_m = EXCLUDED.width_m
"""
