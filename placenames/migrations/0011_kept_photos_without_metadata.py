"""Sign and place photos kept before photos lost their metadata on arrival, rewritten without it (core.kept_photos).
A place's photo that is a crew's field upload gets a clean copy of its own and keeps the upload's digest."""

from django.db import migrations

from core.kept_photos import strip_kept_photos


def strip(apps, schema_editor):
    photos = apps.get_model("placenames", "PlacePhoto").objects
    strip_kept_photos(photos.filter(from_field=False), "file", sha256_field="sha256")
    strip_kept_photos(photos.filter(from_field=True), "file", own_folder="placenames/places/")
    strip_kept_photos(apps.get_model("placenames", "SignPhoto").objects.all(), "file")


class Migration(migrations.Migration):

    dependencies = [
        ("placenames", "0010_place_photos"),
    ]

    operations = [
        migrations.RunPython(strip, migrations.RunPython.noop),
    ]
