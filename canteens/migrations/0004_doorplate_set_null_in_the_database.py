from django.db import migrations

# Django emulates on_delete=SET_NULL in the ORM only; the database's key says NO ACTION, so a plate deleted by SQL
# (a bulk re-import, the demo reset) would be refused while a canteen points at it. The key is made ON DELETE SET
# NULL in the database too (own migration: Django adds the key itself only at the end of 0003).
SET_NULL = """
DO $$
DECLARE
  name text;
BEGIN
  SELECT conname INTO name FROM pg_constraint
  WHERE conrelid = 'canteens_canteen'::regclass AND contype = 'f'
    AND confrelid = 'doorplates_doorplate'::regclass;
  IF name IS NOT NULL THEN
    EXECUTE format('ALTER TABLE canteens_canteen DROP CONSTRAINT %I', name);
  END IF;
  EXECUTE format('ALTER TABLE canteens_canteen ADD CONSTRAINT %I FOREIGN KEY (doorplate_id) '
                 'REFERENCES doorplates_doorplate (uuid) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED',
                 coalesce(name, 'canteens_canteen_doorplate_id_fk'));
END $$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("canteens", "0003_doorplate_link"),
    ]

    operations = [
        migrations.RunSQL(SET_NULL, migrations.RunSQL.noop),
    ]
