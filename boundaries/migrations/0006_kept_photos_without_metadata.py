"""Marker photos and inspection record photos kept before photos lost their metadata on arrival, rewritten without
it (core.kept_photos). A record photo that is a crew's field upload is the field app's file, kept as the device sent
it (the tablet draws it anew on a canvas): left as it is, as a new one is."""

from django.db import migrations

from core.kept_photos import strip_kept_photos


def strip(apps, schema_editor):
    photos = apps.get_model("boundaries", "RecordPhoto").objects
    strip_kept_photos(photos.filter(image__startswith="boundaries/inspections/"), "image", sha256_field="sha256")
    strip_kept_photos(apps.get_model("boundaries", "MarkerPhoto").objects.all(), "image")


class Migration(migrations.Migration):

    dependencies = [
        ("boundaries", "0005_drop_duplicate_indexes"),
    ]

    operations = [
        migrations.RunPython(strip, migrations.RunPython.noop),
    ]
