"""Every index costs each write of its table: two indexes alike (same columns, operator classes, expressions and
condition) cost twice for nothing. Django makes some by itself (a spatial index for each geometry field, an index
for each foreign key, a `_like` index for each unique text field), so a Meta index naming the same thing again was
a second copy: the tile cache's envelope, a boundary line's geometry, a grave tag's zone, an area's code12."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

ALIKE = """
SELECT a.indrelid::regclass::text, a.indexrelid::regclass::text, b.indexrelid::regclass::text
FROM pg_index a
JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid > a.indexrelid
 AND b.indkey::text = a.indkey::text AND b.indclass::text = a.indclass::text
 AND b.indcollation::text = a.indcollation::text AND b.indoption::text = a.indoption::text
 AND (SELECT relam FROM pg_class WHERE oid = b.indexrelid) = (SELECT relam FROM pg_class WHERE oid = a.indexrelid)
 AND coalesce(pg_get_expr(b.indexprs, b.indrelid), '') = coalesce(pg_get_expr(a.indexprs, a.indrelid), '')
 AND coalesce(pg_get_expr(b.indpred, b.indrelid), '') = coalesce(pg_get_expr(a.indpred, a.indrelid), '')
JOIN pg_class t ON t.oid = a.indrelid
WHERE t.relnamespace = 'public'::regnamespace
ORDER BY 1, 2
"""


def test_no_table_has_two_indexes_alike():
    with connection.cursor() as cursor:
        cursor.execute(ALIKE)
        alike = cursor.fetchall()

    assert alike == []
