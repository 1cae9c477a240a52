from django.db import migrations

# Chinese names are short and people type two characters (江滨, 人民): too short for pg_trgm, whose index needs three.
# A GIN index on each name's character pairs finds every name containing a two-character query without reading
# the whole table (placenames.search).
BIGRAMS = """
CREATE OR REPLACE FUNCTION placenames_bigrams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(array_agg(DISTINCT substr(name, i, 2)), '{}')
  FROM generate_series(1, char_length(name) - 1) AS i
$$;
CREATE INDEX place_name_bigrams ON placenames_place USING gin (placenames_bigrams(name));
"""

NO_BIGRAMS = """
DROP INDEX IF EXISTS place_name_bigrams;
DROP FUNCTION IF EXISTS placenames_bigrams(text);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("placenames", "0004_naming_words"),
    ]

    operations = [
        migrations.RunSQL(BIGRAMS, NO_BIGRAMS),
    ]
