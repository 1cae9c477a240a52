-- The tile cache's invalidation functions, (re)created by tiles.services.install_triggers after every migrate
-- (and by `manage.py install_tile_triggers`); the per-table triggers that call tiles_invalidate are built by
-- tiles.sql.trigger_sql from the layer registry.
--
-- Writers take a shared lock per table (so they never wait for each other) and log their transaction; a cache
-- write takes the exclusive lock without waiting, so it either sees no writer in flight and no write its
-- snapshot missed, or gives up. A writer starting after the check waits for the cache write to commit, and then
-- deletes the tile it covers. The locks are (74020, hashtext(table)): 74020 is the tiles' advisory-lock namespace.

CREATE OR REPLACE FUNCTION tiles_may_cache(srcs text[], snap pg_snapshot) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  src text;
BEGIN
  FOREACH src IN ARRAY srcs LOOP
    IF NOT pg_try_advisory_xact_lock(74020, hashtext(src)) THEN
      RETURN false;
    END IF;
  END LOOP;
  DELETE FROM tiles_edit WHERE id IN (
    SELECT id FROM tiles_edit WHERE created < now() - interval '10 minutes' LIMIT 1000 FOR UPDATE SKIP LOCKED);
  RETURN NOT EXISTS (
    SELECT 1 FROM tiles_edit e
    WHERE e.xid >= pg_snapshot_xmin(snap) AND e.source = ANY(srcs) AND NOT pg_visible_in_snapshot(e.xid, snap)
      AND e.xid IS DISTINCT FROM pg_current_xact_id_if_assigned());  -- a transaction sees its own writes
END $$;

CREATE OR REPLACE FUNCTION tiles_invalidate() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  geom_column text := TG_ARGV[0];  -- '' on a table that layers only join
  pk_column text := coalesce(TG_ARGV[1], '');
  -- The columns other layers read of this table through joins ({}: none; NULL, from a trigger older than this
  -- function: unknown, so any change counts).
  watched text[] := CASE WHEN TG_NARGS >= 3 THEN string_to_array(TG_ARGV[2], ',') END;
  src text := TG_TABLE_NAME;
  changed text;
  joined_changed boolean := watched IS NULL OR cardinality(watched) > 0;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(74020, hashtext(src));
  INSERT INTO tiles_edit (source) VALUES (src);
  -- A joined row (a kind, an area's code) may show in any tile of the layers that join it, so a change of a column
  -- they read drops all of those tiles. An update that leaves those columns as they were (an area's outline, its
  -- population) drops none.
  IF cardinality(watched) > 0 AND TG_OP = 'UPDATE' AND pk_column <> '' THEN
    EXECUTE format(
      'SELECT EXISTS (SELECT 1 FROM tiles_old o LEFT JOIN tiles_new n ON n.%1$I = o.%1$I'
      ' WHERE n.%1$I IS NULL OR (%2$s) IS DISTINCT FROM (%3$s))',
      pk_column,
      (SELECT string_agg('o.' || quote_ident(c), ', ') FROM unnest(watched) AS c),
      (SELECT string_agg('n.' || quote_ident(c), ', ') FROM unnest(watched) AS c))
    INTO joined_changed;
  END IF;
  IF joined_changed THEN
    DELETE FROM tiles_tilecache WHERE lookups @> ARRAY[src::varchar];
  END IF;
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM tiles_tilecache WHERE sources @> ARRAY[src::varchar];
    RETURN NULL;
  END IF;
  IF geom_column = '' THEN
    RETURN NULL;
  END IF;
  FOREACH changed IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['tiles_new'] WHEN 'DELETE' THEN ARRAY['tiles_old']
                                      ELSE ARRAY['tiles_old', 'tiles_new'] END LOOP
    -- Rows are grouped into 5 km cells so that a bulk load probes the cache index once per cell, not per row.
    EXECUTE format(
      'DELETE FROM tiles_tilecache c USING ('
      '  SELECT ST_SetSRID(ST_Extent(%1$I)::geometry, 3857) AS box FROM %2$I WHERE %1$I IS NOT NULL'
      '  GROUP BY floor(ST_XMin(%1$I) / 5000), floor(ST_YMin(%1$I) / 5000)) b'
      ' WHERE c.envelope && b.box AND c.sources @> ARRAY[%3$L::varchar]',
      geom_column, changed, src);
  END LOOP;
  RETURN NULL;
END $$;
