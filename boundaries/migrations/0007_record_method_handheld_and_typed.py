"""An inspection record's position may be a handheld GNSS average or typed in, not only surveyed: two new choices of
the method (choices only, so no SQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("boundaries", "0006_kept_photos_without_metadata"),
    ]

    operations = [
        migrations.AlterField(
            model_name="markerrecord",
            name="method",
            field=models.CharField(choices=[("gnss", "GNSS (RTK)"), ("traverse", "traverse"),
                                            ("intersection", "intersection"),
                                            ("handheld", "handheld GNSS (averaged)"),
                                            ("typed", "typed in, not surveyed"), ("none", "not measured")],
                                   default="none", max_length=16, verbose_name="method"),
        ),
    ]
