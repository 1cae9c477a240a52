"""A query too short for the trigram index (one or two characters) suggests roads, villages and residential areas
alike, walked on the name's index; a village's or residential area's page lists its plates and the findings of its
numbering check, in the officer's region only, in Chinese, linked from the plate page, the index and the search box."""

import pytest
from django.db import connection, transaction

from doorplates import search
from tests.base import login, lucheng_officer, ruian_officer
from tests.doorplates.builders import make_base, make_base_plate, make_road


@pytest.fixture
def bases(wenzhou_counties):
    village = make_base("苍坡村", (120.655, 28.010), kind="village")
    estate = make_base("苍南小区", (120.660, 28.020), kind="residential", radius=0.001)
    road = make_road("苍山路")
    return {
        "village": village, "estate": estate, "road": road,
        "v12": make_base_plate(village, 12), "v12b": make_base_plate(village, 12, offset=(0.0001, 0)),
        "v14": make_base_plate(village, 14, offset=(0.0003, 0)),
        "r501": make_base_plate(estate, building="3", unit="2", room="501", plate_type="room"),
    }


@pytest.mark.django_db
def test_two_characters_suggest_roads_villages_and_residential_areas_with_their_pages(bases):
    officer = lucheng_officer()
    found = search.autocomplete("苍", officer)
    assert [(r["kind"], r["base"]) for r in found] == [("residential", "苍南小区"), ("village", "苍坡村"),
                                                       ("road", "苍山路")]  # in the order of the name index
    assert found[1]["url"] == f"/doorplates/villages/{bases['village'].pk}/"
    assert found[0]["url"] == f"/doorplates/residential-areas/{bases['estate'].pk}/"
    assert {r["base"] for r in search.autocomplete("ca", officer)} == {"苍南小区", "苍坡村", "苍山路"}  # by pinyin
    assert search.autocomplete("苍坡", ruian_officer()) == []  # another county's officer


@pytest.mark.django_db
def test_the_short_query_walks_the_name_index(bases):
    sql, params = search.bases_starting("苍坡", None, lucheng_officer())[:10].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A county's worth of other names in the same county: on a handful of rows the planner may as well walk the
        # county's index and filter by name, which shows nothing
        cursor.execute("INSERT INTO placenames_place (uuid, geom, status, name, pinyin, pinyin_key, initials, "
                       "location_description, created_at, updated_at, version, area_id, kind_id) "
                       "SELECT gen_random_uuid(), geom, status, '地' || n, pinyin, pinyin_key, initials, '', now(), "
                       "now(), 0, area_id, kind_id FROM placenames_place, generate_series(1, 3000) n WHERE uuid = %s",
                       [bases["village"].pk])
        # Statistics as autovacuum would keep them for these rows, not those left by earlier tests of this worker
        cursor.execute("ANALYZE placenames_place, placenames_placekind, boundaries_adminarea")
        cursor.execute("SET LOCAL enable_seqscan = off")  # show that an index serves it
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "placenames_place_name" in plan, plan


@pytest.mark.django_db
def test_a_village_and_a_residential_area_page_list_plates_and_findings(bases, client):
    client.force_login(lucheng_officer())
    page = client.get(f"/doorplates/villages/{bases['village'].pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "苍坡村" in page and page.count("12号") >= 2 and "14号" in page
    assert "重复" in page and "跳号" in page  # 12号 twice, 13号 skipped
    estate = client.get(f"/doorplates/residential-areas/{bases['estate'].pk}/").content.decode()
    assert "3幢2单元501室" in estate and "缺少楼牌的单元牌或户室牌" in estate
    plate = client.get(f"/doorplates/plates/{bases['v14'].pk}/").content.decode()
    assert f'href="/doorplates/villages/{bases["village"].pk}/"' in plate
    index = client.get("/doorplates/", {"q": "苍"}).content.decode()
    assert f'href="/doorplates/residential-areas/{bases["estate"].pk}/"' in index and "村与小区" in index
    client.force_login(ruian_officer())
    assert client.get(f"/doorplates/villages/{bases['village'].pk}/").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_search_box_takes_the_officer_from_two_characters_to_the_village_page(page, bases):
    lucheng_officer()
    login(page, "lucheng_officer")
    page.goto(page.base_url + "/doorplates/")
    page.fill("#address-q", "苍坡")
    page.click("#address-results a:has-text('苍坡村')")
    page.wait_for_selector("#plate-list")
    assert "1 重号" in page.inner_text("#check-counts") and page.locator("#plate-list tbody tr").count() == 3
