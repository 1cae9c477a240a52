"""The SQL of the bulk place-name load: a staging table, the admin area of each geometry, duplicates, the checking
rules that need the register, and the INSERT ... SELECT into the register (placenames.bulk)."""

from __future__ import annotations

from django.db import connection

FAR_M = 2000  # a geometry further than this from its declared area is "far from its area", else "outside it"

CREATE_STAGING = """
CREATE TEMP TABLE placenames_staging (
    line integer PRIMARY KEY, uuid uuid NOT NULL, name text NOT NULL, specific text, generic text, pinyin text,
    pinyin_key text, initials text, category_id integer NOT NULL, kind_id integer NOT NULL, area_id integer,
    geom geometry(Geometry, 4490) NOT NULL, flags jsonb NOT NULL, meaning text, origin text, aliases text,
    history text, description text, source text, registrar text, location text,
    found_area_id integer, found_code12 text, county text, area_prefix text, rejected boolean NOT NULL DEFAULT false
) ON COMMIT DROP
"""
COPY_STAGING = """
COPY placenames_staging (line, uuid, name, specific, generic, pinyin, pinyin_key, initials, category_id, kind_id,
    area_id, geom, flags, meaning, origin, aliases, history, description, source, registrar, location) FROM STDIN
"""

LOCATE = """
UPDATE placenames_staging s SET (found_area_id, found_code12) = (
    SELECT a.id, a.code12 FROM boundaries_adminarea a
    WHERE a.geom && s.geom AND ST_Covers(a.geom, ST_PointOnSurface(s.geom)) ORDER BY a.code12 DESC LIMIT 1)
"""
OUTSIDE = """
UPDATE placenames_staging SET rejected = true WHERE found_area_id IS NULL RETURNING line, 'outside', ''
"""
# The declared area wins (the record is the county's); where the geometry lies elsewhere, a flag says so.
SETTLE_AREA = """
UPDATE placenames_staging s SET area_id = COALESCE(s.area_id, s.found_area_id),
    county = left(a.code12, 6), area_prefix = regexp_replace(a.code12, '(000)+$', '')
FROM boundaries_adminarea a WHERE a.id = COALESCE(s.area_id, s.found_area_id) AND NOT s.rejected
"""
# A row without a county of its own lies where its geometry does: an officer loads only in their own areas.
OUTSIDE_REGIONS = """
UPDATE placenames_staging s SET rejected = true
WHERE NOT s.rejected AND NOT EXISTS (SELECT 1 FROM unnest(%(prefixes)s::text[]) p WHERE starts_with(s.area_prefix, p))
RETURNING s.line, 'region', ''
"""
DUPLICATE_IN_FILE = """
UPDATE placenames_staging s SET rejected = true FROM (
    SELECT line, row_number() OVER (PARTITION BY name, kind_id, county ORDER BY line) AS n
    FROM placenames_staging WHERE NOT rejected) d
WHERE d.line = s.line AND d.n > 1 RETURNING s.line, 'file', s.name
"""
ALREADY_REGISTERED = """
UPDATE placenames_staging s SET rejected = true
WHERE NOT s.rejected AND EXISTS (
    SELECT 1 FROM placenames_place p JOIN boundaries_adminarea a ON a.id = p.area_id
    WHERE p.name = s.name AND p.kind_id = s.kind_id AND p.status <> 'retired' AND left(a.code12, 6) = s.county)
RETURNING s.line, 'registered', s.name
"""

# Rules that need the register or the whole file, each adding to a staged row's flags.
FLAG_OUTSIDE_AREA = """
UPDATE placenames_staging s SET flags = s.flags || jsonb_build_array(jsonb_build_object(
    'code', CASE WHEN d.m > %(far)s THEN 'far_from_area' ELSE 'outside_area' END,
    'evidence', jsonb_build_object('area', d.area_name, 'distance_m', round(d.m))))
FROM (SELECT s2.line, a.name AS area_name, ST_Distance(a.geom::geography, s2.geom::geography) AS m
      FROM placenames_staging s2 JOIN boundaries_adminarea a ON a.id = s2.area_id
      WHERE NOT s2.rejected AND NOT starts_with(s2.found_code12, s2.area_prefix)) d
WHERE d.line = s.line
"""
FLAG_DUPLICATE = """
UPDATE placenames_staging s SET flags = s.flags || jsonb_build_array(jsonb_build_object(
    'code', 'duplicate_name', 'evidence', jsonb_build_object('others', d.others)))
FROM (SELECT s2.line, count(*) AS others FROM placenames_staging s2
      JOIN (SELECT name, kind_id, county FROM placenames_staging WHERE NOT rejected
            UNION ALL SELECT p.name, p.kind_id, left(a.code12, 6) FROM placenames_place p
            JOIN boundaries_adminarea a ON a.id = p.area_id WHERE p.status <> 'retired') o
        ON o.name = s2.name AND o.county = s2.county AND o.kind_id <> s2.kind_id
      WHERE NOT s2.rejected GROUP BY s2.line) d
WHERE d.line = s.line
"""
FLAG_HOMOPHONE = """
UPDATE placenames_staging s SET flags = s.flags || jsonb_build_array(jsonb_build_object(
    'code', 'homophone', 'evidence', jsonb_build_object('names', d.names)))
FROM (SELECT s2.line, (array_agg(DISTINCT o.name))[1:5] AS names FROM placenames_staging s2
      JOIN (SELECT name, pinyin_key, county FROM placenames_staging WHERE NOT rejected
            UNION ALL SELECT p.name, p.pinyin_key, left(a.code12, 6) FROM placenames_place p
            JOIN boundaries_adminarea a ON a.id = p.area_id WHERE p.status <> 'retired') o
        ON o.pinyin_key = s2.pinyin_key AND o.county = s2.county AND o.name <> s2.name
      WHERE NOT s2.rejected AND s2.pinyin_key <> '' GROUP BY s2.line) d
WHERE d.line = s.line
"""

INSERT_PLACES = """
INSERT INTO placenames_place (uuid, kind_id, geom, area_id, status, name, pinyin, pinyin_key, initials,
    location_description, created_at, updated_at, version)
SELECT uuid, kind_id, geom, area_id, 'in_use', name, pinyin, pinyin_key, initials, COALESCE(location, ''),
    now(), now(), 1 FROM placenames_staging WHERE NOT rejected AND line >= %(low)s AND line < %(high)s
"""
# Places are inserted so many lines at a time: each statement fires the change feed's and the tiles' statement
# triggers once for its rows, whose transition tables and key arrays stay this size however large the file.
INSERT_CHUNK = 20_000
INSERT_NAMES = """
INSERT INTO placenames_placename (place_id, specific, generic, full_name, pinyin, pinyin_overridden, meaning, origin,
    valid_from, recorded_at, approval_reference)
SELECT uuid, specific, generic, name, pinyin, false, COALESCE(meaning, ''), COALESCE(origin, ''), current_date, now(),
    '' FROM placenames_staging WHERE NOT rejected
"""
INSERT_CENSUS = """
INSERT INTO placenames_censusrecord (place_id, category_id, aliases, history, description, source, registrar, batch_id)
SELECT uuid, category_id, left(COALESCE(aliases, ''), 300), COALESCE(history, ''), COALESCE(description, ''),
    left(COALESCE(source, ''), 300), left(COALESCE(registrar, ''), 60), %(batch)s
FROM placenames_staging WHERE NOT rejected
"""
INSERT_FLAGS = """
INSERT INTO placenames_checkflag (place_id, code, message, evidence, state, found_at, note)
SELECT DISTINCT ON (s.uuid, f->>'code') s.uuid, f->>'code', '', COALESCE(f->'evidence', '{}'::jsonb), 'open',
    now(), ''
FROM placenames_staging s, jsonb_array_elements(s.flags) f WHERE NOT s.rejected
"""


def locate_and_find_duplicates(prefixes: tuple[str, ...] | None = None) -> list[tuple[int, str, str]]:
    """(line, reason, value) of each staged row rejected here: outside every area, outside the importer's areas
    (``prefixes``; None: everywhere), a duplicate in the file, or already in the register; then the register-wide
    rules add their flags to the rest."""
    rejected: list[tuple[int, str, str]] = []
    statements = [(OUTSIDE, None), (SETTLE_AREA, None)]
    if prefixes is not None:
        statements.append((OUTSIDE_REGIONS, {"prefixes": list(prefixes)}))
    statements += [(DUPLICATE_IN_FILE, None), (ALREADY_REGISTERED, None)]
    with connection.cursor() as cursor:
        # Statistics of what the statements below join and filter on (not of the geometries and text).
        cursor.execute("ANALYZE placenames_staging (line, name, kind_id, area_id, pinyin_key)")
        cursor.execute(LOCATE)
        for statement, params in statements:
            cursor.execute(statement, params)
            if cursor.description:
                rejected += cursor.fetchall()
        cursor.execute(FLAG_OUTSIDE_AREA, {"far": FAR_M})
        cursor.execute(FLAG_DUPLICATE)
        cursor.execute(FLAG_HOMOPHONE)
    return rejected


def insert_staged(batch_id: int, actor_id: int | None) -> tuple[int, int]:
    """(places created, places flagged)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(line), max(line) FROM placenames_staging WHERE NOT rejected")
        first, last = cursor.fetchone()
        created = 0
        for low in range(first or 0, (last or -1) + 1, INSERT_CHUNK):
            cursor.execute(INSERT_PLACES, {"low": low, "high": low + INSERT_CHUNK})
            created += cursor.rowcount
        cursor.execute(INSERT_NAMES)
        cursor.execute(INSERT_CENSUS, {"batch": batch_id})
        cursor.execute(INSERT_FLAGS)
        cursor.execute("SELECT count(DISTINCT uuid) FROM placenames_staging s "
                       "WHERE NOT rejected AND jsonb_array_length(flags) > 0")
        flagged = cursor.fetchone()[0]
    return created, flagged
