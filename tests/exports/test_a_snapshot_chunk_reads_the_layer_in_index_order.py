"""A snapshot is read in chunks of 5,000 records, each the first rows of a DISTINCT ON over every version of the
layer. PostgreSQL plans that subquery for reading whole, and so sorted every version of the layer on disk for each
chunk (1.1 s a chunk at 1.17 million plates: a city's snapshot took about four minutes, a county's 13 s). A chunk
is read in the order of the (layer, record_pk) index instead: the same rows (the property tests of
test_feed_snapshot_plus_events_equals_the_later_snapshot read every snapshot this way), 20 times sooner."""

import pytest
from django.db import connection

from exports import sql
from exports.sources import Filters
from tests.exports.builders import place

pytestmark = pytest.mark.django_db(transaction=True)


def _plan(sorted_by_index: bool) -> str:
    filters = Filters(prefixes=("330302",))
    statement = "EXPLAIN " + sql.SNAPSHOT_CHUNK.format(visible=sql._visible("s", filters))
    params = {"layer": "places", "txid": sql.latest_txid(), "after": "", "limit": sql.FEED_CHUNK_ROWS,
              **sql._filter_params(filters)}
    return "\n".join(row[0] for row in sql._chunk(statement, params, sql.Bounds.from_settings(),
                                                   sorted_by_index=sorted_by_index))


def test_a_snapshot_chunk_walks_the_record_index_instead_of_sorting_the_layer(wenzhou_counties):
    place("测试1号楼", kind="building")
    with connection.cursor() as cursor:  # a layer larger than a chunk, versions as the triggers write them
        cursor.execute("""
            INSERT INTO exports_featureversion (batch, layer, record_pk, fid, op, area_code12, kind, properties)
            SELECT v.batch, v.layer, v.record_pk || '-' || n, v.fid, v.op, v.area_code12, v.kind, v.properties
            FROM exports_featureversion v, generate_series(1, 30000) n WHERE v.layer = 'places'""")
        cursor.execute("ANALYZE exports_featureversion")

    plan = _plan(sorted_by_index=True)
    assert "featureversion_record" in plan, plan
    assert not [line for line in plan.splitlines() if line.strip().startswith("->  Sort ")], plan
    with connection.cursor() as cursor:  # the setting was the chunk's transaction's own
        cursor.execute("SHOW enable_sort")
        assert cursor.fetchone()[0] == "on"
