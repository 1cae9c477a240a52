"""The cache's notices went with the per-process tag memory: every hit asks the database for the tile's tag."""

from django.db import migrations

FORWARD = """
DROP TRIGGER IF EXISTS tiles_forget_del ON tiles_tilecache;
DROP TRIGGER IF EXISTS tiles_forget_upd ON tiles_tilecache;
DROP TRIGGER IF EXISTS tiles_forget_trunc ON tiles_tilecache;
DROP FUNCTION IF EXISTS tiles_forget();
"""


class Migration(migrations.Migration):
    dependencies = [("tiles", "0002_tile_lookups")]

    operations = [migrations.RunSQL(FORWARD, migrations.RunSQL.noop)]
