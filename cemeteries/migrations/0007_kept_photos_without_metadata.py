"""Grave photos and the photos of grave reports kept before photos lost their metadata on arrival, rewritten
without it (core.kept_photos). A grave photo that is a crew's field upload is the field app's file, kept as the device
sent it (the tablet draws it anew on a canvas): left as it is, as a new one is."""

from django.db import migrations

from core.kept_photos import strip_kept_photos


def strip(apps, schema_editor):
    photos = apps.get_model("cemeteries", "GravePhoto").objects
    strip_kept_photos(photos.filter(image__startswith="cemeteries/photos/"), "image", sha256_field="sha256")
    strip_kept_photos(apps.get_model("cemeteries", "GraveReport").objects.all(), "photo")


class Migration(migrations.Migration):

    dependencies = [
        ("cemeteries", "0006_drop_duplicate_index"),
    ]

    operations = [
        migrations.RunPython(strip, migrations.RunPython.noop),
    ]
