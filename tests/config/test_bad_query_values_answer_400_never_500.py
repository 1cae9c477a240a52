"""A query value a parameter cannot take (a word for a number, a number past any range, a NUL, a malformed id)
answers 400 with what was wrong: JSON with a code for the APIs, a Chinese page for people. Never a 500."""

import pytest

from tests.base import lucheng_officer, platform_consumer
from tests.exports.builders import canteen, consumer, doorplate, place

pytestmark = pytest.mark.django_db

API = [
    "/ogc/collections/canteens/items?seats=abc",
    "/ogc/collections/canteens/items?seats=1e999",
    "/ogc/collections/canteens/items?seats=99999999999999999999999",
    "/ogc/collections/canteens/items?name=%00",
    "/ogc/collections/canteens/items?limit=1e999",
    "/ogc/collections/canteens/items?bbox=1,2,3,nan",
    "/ogc/collections/canteens/items?bbox=1,2,3,1e999",
    "/ogc/collections/canteens/items?opened_on=2026-13-45",
    "/ogc/collections/canteens/items/%00",
    "/doorplates/api/plates/?road=x",
    "/doorplates/api/plates/?page_size=abc",
    "/doorplates/api/plates/?page=abc",
    "/doorplates/api/plates/?status=%E6%9C%AA",
    "/doorplates/api/autocomplete/?q=a&limit=abc",
    "/doorplates/api/autocomplete/?q=a&limit=99999999999999999999",
    "/doorplates/api/reverse/?lon=120.6&lat=28&k=abc",
    "/doorplates/api/reverse/?lon=nan&lat=28",
    "/doorplates/api/reverse/?lon=1e999&lat=28",
    "/doorplates/api/geocode/?address=%00",
    "/placenames/api/search/?limit=abc",
    "/placenames/api/search/?q=jfl&limit=1e999",
    "/placenames/api/names/?place=x",
    "/placenames/api/places/?status=%00",
    "/placenames/api/places/?limit=abc",
    "/placenames/api/places/?offset=-1",
    "/placenames/api/applications/?county=abc",
    "/canteens/api/canteens/?status=abc",
    "/canteens/api/canteens/?page_size=0",
    "/canteens/api/siting/?n=abc",
    "/api/v1/feed/snapshot?layer=roads&txid=abc",
    "/api/v1/feed/snapshot?layer=roads&txid=99999999999999999999999",
    "/api/v1/feed/events?layer=roads&from=1e999",
    "/boundaries/areas.geojson?parent=abc",
]

PAGES = [
    "/canteens/list/?status=zzz",
    "/canteens/list/?kind=zzz",
    "/cemeteries/?state=zzz",
    "/cemeteries/?grade=zzz&corridor=abc",
    "/doorplates/?county=abc",
    "/doorplates/sheet/?batch=abc",
    "/doorplates/sheet/?road=abc",
    "/doorplates/sheet/?road={road}&format=svg&page=abc",
    "/doorplates/?page=%00",
    "/placenames/search/?q=%00",
    "/placenames/announcements/?since=2026-99-99",
    "/canteens/list/?status=%00",
    "/canteens/?n=abc",
    "/exports/download?layer=roads&format=csv&area=%00",
]


@pytest.fixture
def officer(wenzhou_counties):
    road = place("解放街")
    doorplate(road, 1)
    canteen("五马食堂", seats=40)
    return lucheng_officer(), road


def test_a_bad_api_query_value_is_a_400_with_a_code_and_a_message(client, officer):
    client.force_login(officer[0])
    wrong = {}
    for url in API:
        response = client.get(url)
        error = response.json().get("error", {}) if response["Content-Type"].startswith("application/json") else {}
        if response.status_code != 400 or not (error.get("code") and error.get("message")):
            wrong[url] = (response.status_code, response.content[:200])

    assert wrong == {}


def test_a_bad_page_query_value_is_a_400_page_in_chinese(client, officer):
    user, road = officer
    client.force_login(user)
    wrong = {}
    for url in PAGES:
        response = client.get(url.format(road=road.uuid))
        page = response.content.decode()
        if response.status_code != 400 or "text/html" not in response["Content-Type"]:
            wrong[url] = (response.status_code, response.content[:200])
        elif "参数" in page or any(f"{name} " in page for name in ("status", "kind", "state", "grade", "county",
                                                                    "batch", "road", "page", "corridor")):
            wrong[url] = "names a parameter"  # a page's reader never sees one (found by a crawl of the pages)

    assert wrong == {}


def test_an_address_whose_number_runs_to_thousands_of_digits_is_an_address_not_understood(client, officer):
    client.force_login(officer[0])  # Python reads no number past 4300 digits: this was a 500

    for number in ("1" * 5000, "１" * 5000):
        answer = client.get("/doorplates/api/geocode/", {"address": f"解放街{number}号"})

        assert answer.status_code == 200
        assert (answer.json()["precision"], answer.json()["checks"]["number"]) == ("none", "missing")


def test_a_nul_in_a_query_parameter_is_named_in_the_answer(client, officer):
    client.force_login(officer[0])

    error = client.get("/ogc/collections/canteens/items?name=a%00b").json()["error"]

    assert error["code"] == "unstorable_text"
    assert "name" in error["message"] and "NUL" in error["message"]


def test_a_word_for_a_number_names_the_parameter_in_chinese(client, officer):
    client.force_login(officer[0])

    error = client.get("/placenames/api/search/?limit=abc").json()["error"]

    assert error["code"] == "invalid_parameter"
    assert error["where"] == {"parameter": "limit", "value": "abc"}
    assert "limit" in error["message"] and "整数" in error["message"]


def test_a_platform_consumer_gets_400_for_a_bad_feed_position(client, wenzhou_counties):
    user = platform_consumer()
    consumer(user)
    client.force_login(user)

    response = client.get("/api/v1/feed/events?layer=roads&from=abc")

    assert response.status_code == 400
    assert response.json()["error"]["where"]["parameter"] == "from"
