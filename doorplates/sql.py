"""The raw SQL of the doorplates app: bulk loading through a staging table (values are always parameters)."""

# The staging table, one column a line (name, type) in the order doorplates.loading writes each COPY row.
STAGING_COLUMNS = (
    ("line", "integer PRIMARY KEY"),
    ("road_id", "uuid"),
    ("village_id", "uuid"),
    ("residential_area_id", "uuid"),
    ("villager_group", "smallint NOT NULL"),
    ("number", "integer"),
    ("sub_number", "smallint NOT NULL"),
    ("sub_style", "varchar(4) NOT NULL"),
    ("annex", "boolean NOT NULL"),
    ("building", "varchar(16) NOT NULL"),
    ("unit", "varchar(16) NOT NULL"),
    ("room", "varchar(16) NOT NULL"),
    ("plate_type", "varchar(8) NOT NULL"),
    ("status", "varchar(10) NOT NULL"),
    ("installed_on", "date"),
    ("lon", "double precision NOT NULL"),
    ("lat", "double precision NOT NULL"),
    ("area_id", "bigint NOT NULL"),
    ("road_name", "varchar(100) NOT NULL"),
    ("number_label", "varchar(40) NOT NULL"),
    ("address", "varchar(200) NOT NULL"),
    ("search_text", "varchar(300) NOT NULL"),
    ("source", "varchar(64) NOT NULL"),
    ("batch_id", "bigint"),
)

_STAGING_DEFINITIONS = ",\n    ".join(f"{name} {sql_type}" for name, sql_type in STAGING_COLUMNS)
CREATE_STAGING = f"""
DROP TABLE IF EXISTS doorplate_staging;
CREATE TEMP TABLE doorplate_staging (
    {_STAGING_DEFINITIONS}
) ON COMMIT DROP
"""

COPY_STAGING = f"COPY doorplate_staging ({', '.join(name for name, _type in STAGING_COLUMNS)}) FROM STDIN"

# A staged row repeats a current plate when base (road, village or residential area), villager group, number, infill
# number, annex, building, unit and room agree. One join per base, so that each walks its base's index.
_SAME_PARTS = """d.sub_number = s.sub_number AND d.annex = s.annex
 AND d.building = s.building AND d.unit = s.unit AND d.room = s.room AND d.status <> 'retired'"""
STAGED_DUPLICATES = f"""
SELECT s.line, d.address FROM doorplate_staging s JOIN doorplates_doorplate d
  ON d.road_id = s.road_id AND d.number = s.number AND {_SAME_PARTS}
UNION ALL
SELECT s.line, d.address FROM doorplate_staging s JOIN doorplates_doorplate d
  ON d.village_id = s.village_id AND d.villager_group = s.villager_group AND d.number = s.number AND {_SAME_PARTS}
UNION ALL
SELECT s.line, d.address FROM doorplate_staging s JOIN doorplates_doorplate d
  ON d.residential_area_id = s.residential_area_id AND d.number IS NOT DISTINCT FROM s.number AND {_SAME_PARTS}
ORDER BY 1
"""

DROP_STAGED = "DELETE FROM doorplate_staging WHERE line = ANY(%s)"

# 128-bit random UUIDs from gen_random_uuid(), base64url without padding: 22 characters like secrets.token_urlsafe(16).
NEW_TOKEN = "translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/=', '-_')"

INSERT_STAGED = f"""
INSERT INTO doorplates_doorplate (
    uuid, road_id, village_id, residential_area_id, villager_group, number, sub_number, sub_style, annex, building,
    unit, room, plate_type, geom, area_id, status, installed_on, token, road_name, number_label, address, search_text, source,
    batch_id, created_at, updated_at, version)
SELECT uuid, road_id, village_id, residential_area_id, villager_group, number, sub_number, sub_style, annex, building, unit, room, plate_type,
       ST_SetSRID(ST_MakePoint(lon, lat), 4490), area_id, status, installed_on, {NEW_TOKEN}, road_name,
       number_label, address, search_text, source, batch_id, now(), now(), 1
FROM (SELECT gen_random_uuid() AS uuid, * FROM doorplate_staging) staged
ORDER BY uuid  -- the primary key's index then grows at its end instead of splitting pages at random
"""

DELETE_BY_SOURCE = "DELETE FROM doorplates_doorplate WHERE source = %s"
COUNT_OTHER_SOURCES = "SELECT EXISTS (SELECT 1 FROM doorplates_doorplate WHERE source <> %s)"
TRUNCATE = "TRUNCATE doorplates_doorplate"

# Foreign keys of other tables to the plates (a canteen's doorplate): TRUNCATE refuses while any exists, so the demo
# reset lifts those that are ON DELETE SET NULL around it (confdeltype 'n') and puts them back as they were.
REFERENCING_KEYS = """
SELECT c.conname, c.conrelid::regclass::text, a.attname, pg_get_constraintdef(c.oid), c.confdeltype = 'n'
FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
WHERE c.contype = 'f' AND c.confrelid = 'doorplates_doorplate'::regclass AND c.conrelid <> c.confrelid
  AND cardinality(c.conkey) = 1
"""

PLAIN_INDEXES = """
SELECT i.indexname, i.indexdef FROM pg_indexes i
WHERE i.schemaname = current_schema() AND i.tablename = 'doorplates_doorplate'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = 'doorplates_doorplate'::regclass
                  AND c.conname = i.indexname)
ORDER BY i.indexname
"""
DROP_INDEX = 'DROP INDEX "{name}"'
ESTIMATED_ROWS = "SELECT reltuples::bigint FROM pg_class WHERE oid = 'doorplates_doorplate'::regclass"
