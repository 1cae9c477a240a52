"""The trigram index keeps a short pending list (256 kB instead of the server's 4 MB): autocomplete reads the whole
list on every query, and a full one cost it several milliseconds at a million plates. The index is altered in place
(no rebuild) and the entries already pending are merged into it."""

import django.contrib.postgres.indexes
from django.db import migrations

ALTER = "ALTER INDEX doorplate_search_trgm SET (gin_pending_list_limit = 256)"
MERGE = "SELECT gin_clean_pending_list('doorplate_search_trgm'::regclass)"
UNDO = "ALTER INDEX doorplate_search_trgm RESET (gin_pending_list_limit)"


class Migration(migrations.Migration):

    dependencies = [
        ('doorplates', '0004_villager_group'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL([ALTER, MERGE], UNDO)],
            state_operations=[
                migrations.RemoveIndex(model_name='doorplate', name='doorplate_search_trgm'),
                migrations.AddIndex(
                    model_name='doorplate',
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=['search_text'], gin_pending_list_limit=256, name='doorplate_search_trgm',
                        opclasses=['gin_trgm_ops']),
                ),
            ],
        ),
    ]
