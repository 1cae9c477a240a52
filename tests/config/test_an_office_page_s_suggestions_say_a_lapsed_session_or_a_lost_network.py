"""The office's suggestion fields (the application form's place picker, the doorplates' address search, the canteen
form's address, the plate form's next number) ask an API as the officer types. When the session has ended (signed
out in another tab) or the network is gone, they say so where the suggestions would be, instead of showing nothing,
which reads as "no such place"."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.base import click_at, lucheng_officer, sign_in
from tests.doorplates.builders import lonlat_at, make_plate, make_road

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIGN_IN_AGAIN = "请重新登录"
NO_NETWORK = "无法连接服务器"


@pytest.fixture
def road(wenzhou_counties):
    road = make_road("解放街", [(120.650, 28.015), (120.652, 28.015)])
    make_plate(road, 1, 20, 15)
    return road


@pytest.fixture
def officer(offline_page, road):
    """鹿城's officer, signed in on the page."""
    officer = lucheng_officer()
    sign_in(offline_page, officer)
    return officer


def browser_only_problems(page, *allowed):
    """The page's script errors, less the refusals the test asked for (the browser logs each failed request)."""
    return [p for p in page.problems if not any(a in p for a in allowed)]


def test_the_place_picker_and_the_address_search_say_a_lapsed_session_and_a_lost_network(offline_page, officer):
    page = offline_page

    page.goto(page.base_url + "/placenames/applications/new/")
    page.select_option("select[name=type]", "renaming")
    picker, said = page.locator("#place-search"), page.locator("#place-refusal")
    page.wait_for_selector("#draw-map[data-ready='1']")  # the map has asked for its layers as the officer
    page.context.clear_cookies()  # signed out in another tab
    picker.press_sequentially("解放", delay=30)
    expect(said).to_have_attribute("data-refused", "not_authenticated")
    expect(said).to_contain_text(SIGN_IN_AGAIN)
    expect(page.locator("#place-suggestions li")).to_have_count(0)

    # Signed in again, the next key asks again: the suggestions are back and the refusal is gone.
    sign_in(page, officer)
    picker.press("End")
    picker.press_sequentially("街", delay=30)
    expect(page.locator("#place-suggestions li", has_text="解放街")).to_have_count(1)
    expect(said).to_be_hidden()

    # The network goes: said as such, not as "no name in use matches".
    page.route("**" + reverse("placenames:place_suggest") + "**", lambda route: route.abort())
    picker.fill("")
    picker.press_sequentially("解放", delay=30)
    expect(said).to_have_attribute("data-refused", "unreachable")
    expect(said).to_contain_text(NO_NETWORK)

    # The doorplates' address search, the same.
    page.goto(page.base_url + "/doorplates/")
    search, said = page.locator("#address-q"), page.locator("#address-refusal")
    search.press_sequentially("解放街", delay=30)
    expect(page.locator("#address-results li").first).to_contain_text("解放街")
    expect(said).to_be_hidden()
    page.wait_for_selector("#lookup-map[data-ready='1']")
    page.context.clear_cookies()
    search.press_sequentially("1", delay=30)
    expect(said).to_have_attribute("data-refused", "not_authenticated")
    expect(said).to_contain_text(SIGN_IN_AGAIN)
    expect(page.locator("#address-results li")).to_have_count(0)

    assert browser_only_problems(page, "401", "ERR_FAILED") == [] and page.blocked == []


def test_the_canteen_form_s_address_says_a_lost_network_and_keeps_what_was_typed(offline_page, officer):
    page = offline_page
    page.goto(page.base_url + reverse("canteens:new"))
    page.wait_for_selector("#canteen-map[data-ready='1']")
    page.route("**/doorplates/api/autocomplete/**", lambda route: route.abort())

    address = page.locator("input[name=address]")
    address.press_sequentially("解放街1", delay=30)
    said = page.locator("#address-refusal")
    expect(said).to_have_attribute("data-refused", "unreachable")
    expect(said).to_contain_text(NO_NETWORK)
    assert address.input_value() == "解放街1"

    page.unroute("**/doorplates/api/autocomplete/**")
    address.press_sequentially("号", delay=30)
    expect(page.locator("#address-suggestions li").first).to_contain_text("解放街1号")
    expect(said).to_be_hidden()
    assert browser_only_problems(page, "ERR_FAILED") == [] and page.blocked == []


def test_the_plate_form_says_why_it_suggests_no_number(offline_page, officer, road):
    page = offline_page
    page.goto(page.base_url + f"/doorplates/plates/new/?road={road.pk}")
    page.wait_for_selector("#plate-form-map[data-ready='1']")
    page.context.clear_cookies()
    click_at(page, "dimingPlateFormMap", "#plate-form-map", lonlat_at(road, 60, 15))
    said = page.locator("#number-refusal")
    expect(said).to_have_attribute("data-refused", "not_authenticated")
    expect(said).to_contain_text(SIGN_IN_AGAIN)
    assert page.input_value("#id_number") == "" and page.input_value("#id_lon").startswith("120.65")

    sign_in(page, officer)
    click_at(page, "dimingPlateFormMap", "#plate-form-map", lonlat_at(road, 70, 15))
    page.wait_for_function("document.getElementById('number-suggestion').dataset.number")
    expect(said).to_be_hidden()
    assert page.input_value("#id_number").endswith("号")
    assert browser_only_problems(page, "401") == [] and page.blocked == []
