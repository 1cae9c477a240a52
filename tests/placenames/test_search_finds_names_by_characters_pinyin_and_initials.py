"""Search by name, full pinyin, initials and similarity, filtered by county and kind."""

import pytest

from accounts.scoping import scope
from placenames.models import Place, PlaceStatus
from placenames.search import search_places
from tests.base import ruian_officer
from tests.placenames.builders import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def names(wenzhou_counties):
    return {n: place(n) for n in ("解放路", "解放北路", "人民路", "人民东路", "介放巷", "江滨大道")}


def found(query, **kw):
    return [p.name for p in search_places(query, **kw)]


def test_the_exact_name_comes_first(names):
    assert found("解放路")[0] == "解放路"
    assert "解放北路" in found("解放路")


def test_initials_find_the_road(names):
    assert found("jfl")[0] == "解放路"
    assert found("JFL")[0] == "解放路"


def test_full_pinyin_finds_the_road_first_then_similar_ones(names):
    result = found("jiefanglu")
    assert result[0] == "解放路"
    assert "人民路" not in result
    assert set(found("jiefang")) == {"解放路", "解放北路", "介放巷"}


def test_a_homophone_written_differently_finds_the_name(names):
    assert "解放路" in found("介放路")


def test_a_similar_name_is_found_by_trigram(names):
    assert "江滨大道" in found("滨江大道") or "江滨大道" in found("江滨大")


def test_the_county_filter_leaves_other_counties_out(names):
    place("解放路", county="330381")
    assert found("解放路").count("解放路") == 2
    lucheng = found("解放路", county="330302")
    assert lucheng.count("解放路") == 1
    assert all(p.area.code == "330302" for p in search_places("解放路", county="330302"))


def test_the_kind_filter(names):
    assert found("jf", kind="lane") == ["介放巷"]


def test_retired_names_are_not_found(names):
    Place.objects.filter(name="人民东路").update(status=PlaceStatus.RETIRED)
    assert "人民东路" not in found("rm")


def test_a_scoped_search_sees_only_the_officers_county(names):
    rows = scope(Place.objects.all(), ruian_officer(), "area")
    assert found("解放路", queryset=rows) == []


def test_two_characters_find_names_that_contain_them_through_an_index(names):
    place("望江滨路")
    place("滨江路")

    results = found("江滨")

    assert results[:2] == ["江滨大道", "望江滨路"]  # the prefix first, then containment, shortest first
    assert "滨江路" not in results  # the characters in another order are another name
    from django.db import connection

    with connection.cursor() as cursor:
        # Only a bitmap scan is left to the planner, and only an index on the pairs can serve one for this filter.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
                       "SET LOCAL enable_indexonlyscan = off")
        # SELECT ... FROM placenames_place WHERE placenames_bigrams(name) @> ARRAY['江滨'] (no full scan)
        cursor.execute("EXPLAIN SELECT name FROM placenames_place "
                       "WHERE placenames_bigrams(name) @> ARRAY['江滨']::text[]")
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "place_name_bigrams" in plan
