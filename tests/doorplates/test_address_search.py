"""Autocomplete over the standard address and its pinyin, forward geocoding of free text, nearest plates."""

import pytest

from doorplates import search
from tests.base import lucheng_officer, ruian_officer
from tests.doorplates.builders import lonlat_at, make_plate, make_road

pytestmark = pytest.mark.django_db


@pytest.fixture
def plates(wenzhou_counties):
    jiefang = make_road("解放街")
    renmin = make_road("人民东路", [(120.645, 28.020), (120.665, 28.020)], kind="road")
    return {
        "88": make_plate(jiefang, 88, 300, -10),
        "88-1": make_plate(jiefang, "88号之一", 305, -10),
        "188": make_plate(jiefang, 188, 600, -10),
        "5": make_plate(jiefang, 5, 20, 10),
        "renmin88": make_plate(renmin, 88, 300, -10),
        "retired": make_plate(jiefang, 90, 310, -10, status="retired"),
    }


def addresses(results):
    return [r["address"] for r in results]


def test_autocomplete_finds_plates_by_road_and_number(plates):
    found = addresses(search.autocomplete("解放街88", lucheng_officer()))
    assert found == [plates["88"].address, plates["88-1"].address]


def test_autocomplete_finds_plates_by_pinyin_and_initials(plates):
    officer = lucheng_officer()
    assert addresses(search.autocomplete("jiefangjie 188", officer)) == [plates["188"].address]
    assert addresses(search.autocomplete("JFJ5", officer)) == [plates["5"].address]
    assert plates["renmin88"].address in addresses(search.autocomplete("renmindonglu", officer))


def test_autocomplete_reads_chinese_numerals(plates):
    found = addresses(search.autocomplete("解放街八十八号", lucheng_officer()))
    assert found == [plates["88"].address, plates["88-1"].address]  # 88号之一 begins with 88号


def test_a_county_typed_first_filters_instead_of_matching_text(plates):
    officer = lucheng_officer()
    assert len(search.autocomplete("鹿城区解放街", officer)) == 4
    assert search.autocomplete("瑞安市解放街", officer) == []


def test_retired_plates_and_other_regions_are_not_suggested(plates):
    assert plates["retired"].address not in addresses(search.autocomplete("解放街9", lucheng_officer()))
    assert search.autocomplete("解放街", ruian_officer()) == []


def test_two_characters_suggest_roads(plates):
    results = search.autocomplete("人民", lucheng_officer())
    assert [(r["kind"], r["road"]) for r in results] == [("road", "人民东路")]


def test_geocoding_checks_every_component_against_the_registry(plates):
    assert plates["88-1"].address.startswith("浙江省温州市鹿城区") and "街道解放街88号之一" in plates["88-1"].address
    result = search.geocode(plates["88-1"].address, lucheng_officer())
    assert result.precision == "plate"
    assert result.plates == [plates["88-1"]]
    assert result.checks == {"province": "ok", "city": "ok", "county": "ok", "township": "ok", "road": "ok", "base": "ok",
                             "number": "ok"}


def test_geocoding_an_unknown_number_falls_back_to_the_road(plates):
    result = search.geocode("鹿城区解放街999号", lucheng_officer())
    assert result.precision == "road"
    assert result.checks["number"] == "not_found" and result.checks["road"] == "ok"
    assert result.checks["township"] == "missing"


def test_a_road_in_another_township_of_the_county_is_found_and_the_township_flagged(plates):
    township = plates["88"].address[len("浙江省温州市鹿城区"):].split("解放街")[0]
    other = next(t for t in ("五马街道", "松台街道", "南汇街道", "滨江街道") if t != township)
    result = search.geocode(f"鹿城区{other}解放街88号", lucheng_officer())
    assert result.plates == [plates["88"]]
    assert result.checks["township"] == "mismatch"


def test_geocoding_an_unknown_road(plates):
    result = search.geocode("鹿城区不存在路1号", lucheng_officer())
    assert result.checks["road"] == "not_found"
    assert result.precision == "area"


def test_reverse_geocoding_returns_the_nearest_plates_first(plates):
    lon, lat = lonlat_at(plates["88"].road, 300, -12)  # two metres beyond 88号
    found = search.nearest(lon, lat, lucheng_officer(), k=2)
    assert [r["uuid"] for r in found] == [str(plates["88"].pk), str(plates["88-1"].pk)]
    assert found[0]["distance_m"] == pytest.approx(2.0, abs=0.2)
    assert found[1]["distance_m"] == pytest.approx((5 ** 2 + 2 ** 2) ** 0.5, abs=0.3)


def test_the_search_api_answers_json(client, plates):
    client.force_login(lucheng_officer())
    response = client.get("/doorplates/api/autocomplete/", {"q": "解放街188"})
    assert [r["address"] for r in response.json()["results"]] == [plates["188"].address]
    response = client.get("/doorplates/api/geocode/", {"address": "解放街88号"})
    assert response.json()["matches"][0]["uuid"] == str(plates["88"].pk)
    lon, lat = lonlat_at(plates["5"].road, 20, 10)
    response = client.get("/doorplates/api/reverse/", {"lon": lon, "lat": lat, "k": 1})
    assert response.json()["results"][0]["number"] == "5号"


def test_part_of_a_road_name_and_the_first_digits_find_the_roads_numbers(plates):
    officer = lucheng_officer()
    assert addresses(search.autocomplete("人民东1", officer)) == []  # 人民东路 has only 88号
    assert addresses(search.autocomplete("人民东8", officer)) == [plates["renmin88"].address]
    assert addresses(search.autocomplete("renmindong8", officer)) == [plates["renmin88"].address]
