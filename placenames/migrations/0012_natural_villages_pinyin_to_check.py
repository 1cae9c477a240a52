"""Natural villages stored before their pinyin was written as one word (1984 rules art. 3), or loaded with a file's own
pinyin, go to the checking queue (placenames.checking.flag_split_natural_villages): an officer corrects or confirms
each, and the correction is audited. Nothing is rewritten here."""

from django.db import migrations

from placenames.checking import flag_split_natural_villages


def flag(apps, schema_editor):
    flag_split_natural_villages(apps.get_model("placenames", "Place").objects,
                                apps.get_model("placenames", "CheckFlag").objects)


class Migration(migrations.Migration):

    dependencies = [
        ("placenames", "0011_kept_photos_without_metadata"),
    ]

    operations = [
        migrations.RunPython(flag, migrations.RunPython.noop),
    ]
