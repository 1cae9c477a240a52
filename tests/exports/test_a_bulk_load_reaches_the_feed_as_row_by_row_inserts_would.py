"""A bulk load of place names (import_places: a few thousand rows per INSERT, each statement captured set-wise by
the feed's statement triggers) writes exactly the feed versions that inserting the same places one row per
statement writes. Seven statements of two rows: PL/pgSQL plans the capture's statements generically from the sixth
call on, so both plans of the capture are compared."""

import pytest
from django.db import connection

from placenames import bulk_sql
from placenames.bulk import import_places
from tests.registry.builders import ensure_categories, row, write_csv

NAMES = [("解放路", "2351"), ("人民东路", "2351"), ("朝阳小区", "221"), ("翠微苑", "221"), ("下岙村", "2161"),
         ("上垟", "222"), ("乐清大厦", "26"), ("瓯江路", "2351"), ("曾家村", "2161"), ("南小街", "2351"),
         ("银行巷", "2351"), ("单家桥", "2361"), ("行前街", "2351"), ("东屿村", "2161")]
VERSIONS = """SELECT layer, record_pk, fid, op, area_code12, kind, properties, ST_AsEWKB(geom), ST_AsEWKB(label)
              FROM exports_featureversion WHERE layer IN ('places', 'roads') AND record_pk = ANY(%(pks)s)
              ORDER BY layer, record_pk"""
COLUMNS = ("uuid, kind_id, geom, area_id, status, name, pinyin, pinyin_key, initials, location_description, "
           "created_at, updated_at, version")


def versions(cursor, pks):
    cursor.execute(VERSIONS, {"pks": pks})
    return cursor.fetchall()


@pytest.mark.django_db
def test_places_loaded_in_chunks_reach_the_feed_as_inserted_one_by_one(wenzhou_counties, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_sql, "INSERT_CHUNK", 2)
    ensure_categories()
    rows = [row(name, category=code, dx=i * 0.0004, dy=i * 0.0003) for i, (name, code) in enumerate(NAMES)]
    report = import_places(write_csv(tmp_path / "names.csv", rows), commit="valid")
    assert report.created == len(NAMES), report.problems
    with connection.cursor() as cursor:
        cursor.execute("SELECT uuid::text FROM placenames_place")
        pks = [pk for (pk,) in cursor.fetchall()]
        bulk = versions(cursor, pks)
        assert sorted(pk for _layer, pk, *_rest in bulk) == sorted(pks)  # each place once, roads or places
        assert {op for _layer, _pk, _fid, op, *_rest in bulk} == {"I"}

        cursor.execute(f"CREATE TEMP TABLE loaded AS SELECT {COLUMNS} FROM placenames_place")
        cursor.execute("DELETE FROM placenames_place")  # in the same transaction: its versions go, none is written
        assert versions(cursor, pks) == []
        for pk in pks:
            cursor.execute(f"INSERT INTO placenames_place ({COLUMNS}) SELECT {COLUMNS} FROM loaded "
                           "WHERE uuid = %(pk)s", {"pk": pk})
        assert versions(cursor, pks) == bulk


@pytest.mark.django_db
def test_each_capture_call_is_planned_for_its_own_keys():
    """A generic plan (PL/pgSQL's from a function's sixth call) is made for ten keys and the statistics from before
    the transaction: a bulk load inside one transaction took it from 100,000 rows on and compared every place
    with every key."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT proname, proconfig FROM pg_proc WHERE starts_with(proname, 'exports_capture__')")
        functions = dict(cursor.fetchall())
    assert functions
    for name, config in functions.items():
        assert "plan_cache_mode=force_custom_plan" in (config or []), name
