from tests.base import administrator, ruian_officer


def test_a_county_officer_sees_only_their_county(client, canteens):
    client.force_login(ruian_officer())

    page = client.get("/canteens/").content.decode()

    assert "瑞安市" in page and "塘下镇" in page
    assert "鹿城区" not in page and "五马街道" not in page


def test_city_users_see_every_county_and_the_siting_count_is_selectable(client, canteens):
    client.force_login(administrator())

    response = client.get("/canteens/?n=1")
    page = response.content.decode()

    assert "鹿城区" in page and "瑞安市" in page
    assert response.context["plan"].suggestions[0].candidate.key == "330381101202"
    assert len(response.context["plan"].suggestions) == 1


def test_the_map_data_carries_radii_and_uncovered_polygons(client, canteens):
    client.force_login(administrator())

    data = client.get("/canteens/coverage/map.json").json()

    c4 = next(f for f in data["canteens"]["features"] if f["properties"]["name"] == "藤桥镇中央厨房")
    assert (c4["properties"]["walk_m"], c4["properties"]["delivery_m"]) == (1500, 2500)
    assert {f["id"] for f in data["uncovered"]["features"]} == \
        {"330302001102", "330381101201", "330381101202", "330381101203"}
    assert data["uncovered"]["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_the_page_needs_a_login(client, canteens):
    assert client.get("/canteens/").status_code == 302
