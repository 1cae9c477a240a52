"""The cache must not keep a tile drawn from data that an edit has since changed, nor one drawn while an edit is
still open: either would outlive the trigger that was meant to delete it."""

import psycopg
import pytest
from django.db import connection

from boundaries.models import AdminArea
from tiles import services, sql
from tiles.access import Viewer, parse_layerset, variant_of
from tiles.models import CachedTile

pytestmark = pytest.mark.django_db(transaction=True)


def drawn(layerset="counties"):
    views = parse_layerset(layerset, Viewer())
    data, snapshot = services.render(views, 0, 0, 0)
    return views, services.make_tile(data), snapshot


def keep(views, tile, snapshot):
    return services.store("counties", variant_of(views), 0, 0, 0, tile, sql.sources_of(views), snapshot)


def other_session():
    return psycopg.connect(**connection.get_connection_params())


def test_a_tile_drawn_before_an_edit_committed_is_not_kept(wenzhou_counties):
    views, tile, snapshot = drawn()
    AdminArea.objects.filter(code="330302").update(name="鹿城新区")  # commits between drawing and keeping

    assert keep(views, tile, snapshot) is False
    assert CachedTile.objects.count() == 0


def test_a_tile_is_not_kept_while_an_edit_of_its_table_is_open(wenzhou_counties):
    with other_session() as editor:
        editor.execute("UPDATE boundaries_adminarea SET name = '鹿城新区' WHERE code = '330302'")
        views, tile, snapshot = drawn()
        assert keep(views, tile, snapshot) is False
        editor.rollback()

    views, tile, snapshot = drawn()
    assert keep(views, tile, snapshot) is True


def test_an_edit_that_commits_after_a_tile_was_kept_deletes_it(wenzhou_counties):
    views, tile, snapshot = drawn()
    assert keep(views, tile, snapshot) is True

    with other_session() as editor:
        editor.execute("UPDATE boundaries_adminarea SET name = '鹿城新区' WHERE code = '330302'")
        editor.commit()

    assert CachedTile.objects.count() == 0


def test_an_edit_of_another_table_does_not_stop_caching(wenzhou_counties):
    with other_session() as editor:
        editor.execute("UPDATE placenames_placekind SET name = name")
        views, tile, snapshot = drawn()
        assert keep(views, tile, snapshot) is True
        editor.rollback()
