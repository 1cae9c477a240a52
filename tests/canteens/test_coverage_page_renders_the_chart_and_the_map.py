import pytest

from canteens.coverage import compute_coverage
from canteens.tables import percent
from tests.base import login, lucheng_officer, make_user
from tests.canteens.builders import known_canteens, known_geography

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city_officer(db):
    known_geography()
    known_canteens()
    return make_user("city_officer", "officer", "330300")


def test_the_coverage_page_draws_the_chart_and_the_map_with_the_services_numbers(page, city_officer):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    login(page, "city_officer")

    page.goto(page.base_url + "/canteens/?n=3")
    page.wait_for_selector("#coverage-map[data-ready='1']")
    page.wait_for_selector("#coverage-chart[data-ready='1']")

    assert page.locator("#coverage-map canvas").count() >= 1
    assert page.get_attribute("#coverage-map", "data-canteens") == "8"
    assert page.get_attribute("#coverage-map", "data-uncovered") == "4"
    assert page.get_attribute("#coverage-chart", "data-bars") == "2"  # one bar group per county
    report = compute_coverage()
    for county in report.counties:
        row = page.locator(f"#coverage-table tr[data-code='{county.code}']")
        assert row.locator(".rate-count").inner_text() == percent(county.tally.rate_by_count)
        assert row.locator(".rate-population").inner_text() == percent(county.tally.rate_by_population)
    assert page.inner_text("#total-rate-population") == percent(1500 / 3100) == "48.39%"
    assert "已有全覆盖乡镇（街道）" in page.inner_text("#coverage-table tr[data-code='330302']")
    assert page.locator("#siting-table tbody tr").count() == 2
    assert page.locator("#uncovered-table tbody tr").count() == 4
    assert all(r.startswith(page.base_url) for r in requests), [r for r in requests if not r.startswith(page.base_url)]


def test_a_county_officer_gets_township_bars_for_their_county(page, city_officer):
    lucheng_officer()
    login(page, "lucheng_officer")

    page.goto(page.base_url + "/canteens/")
    page.wait_for_selector("#coverage-chart[data-ready='1']")
    page.wait_for_selector("#coverage-map[data-ready='1']")

    assert page.get_attribute("#coverage-chart", "data-bars") == "2"  # 五马街道 and 藤桥镇
    assert page.get_attribute("#coverage-map", "data-uncovered") == "1"
    assert "瑞安市" not in page.inner_text("#coverage-table")
