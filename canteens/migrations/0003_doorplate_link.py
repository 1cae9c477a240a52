
import django.db.models.deletion
from django.db import migrations, models

# A linked canteen's address follows its doorplate's standard address (a road renamed, a plate renumbered): one
# statement-level trigger on the plates, so bulk updates and imports are covered too. The canteen's version goes up,
# so an edit form opened before is refused rather than writing the old address back.
FOLLOW = """
CREATE OR REPLACE FUNCTION canteens_follow_doorplate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE canteens_canteen c
  SET address = n.address, version = c.version + 1, updated_at = now()
  FROM canteens_follow_new n
  WHERE c.doorplate_id = n.uuid AND c.address IS DISTINCT FROM n.address;
  RETURN NULL;
END $$;
CREATE TRIGGER canteens_follow_doorplate AFTER UPDATE ON doorplates_doorplate
  REFERENCING NEW TABLE AS canteens_follow_new FOR EACH STATEMENT EXECUTE FUNCTION canteens_follow_doorplate();
"""

UNFOLLOW = """
DROP TRIGGER IF EXISTS canteens_follow_doorplate ON doorplates_doorplate;
DROP FUNCTION IF EXISTS canteens_follow_doorplate();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('canteens', '0002_open_canteen_index'),
        ('doorplates', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='canteen',
            name='doorplate',
            field=models.ForeignKey(blank=True, help_text="the registered doorplate at the canteen's entrance; the address follows it", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='doorplates.doorplate', verbose_name='doorplate'),
        ),
        migrations.RunSQL(FOLLOW, UNFOLLOW),
    ]
