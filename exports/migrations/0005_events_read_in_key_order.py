"""Events are read transaction by transaction in key order (exports.sql.EVENTS_CHUNK)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exports', '0004_feed_horizon'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='featureversion',
            index=models.Index(fields=['batch', 'layer', 'record_pk'], name='featureversion_batch_key'),
        ),
        migrations.RemoveIndex(
            model_name='featureversion',
            name='featureversion_batch',
        ),
    ]
