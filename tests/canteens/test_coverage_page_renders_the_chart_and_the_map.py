import pytest

from canteens.coverage import compute_coverage
from canteens.models import PUBLISHED_STATUSES, Canteen, CanteenStatus
from canteens.tables import percent
from tests.base import login, lucheng_officer, make_user
from tests.canteens.builders import known_canteens, known_geography

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city_officer(db):
    known_geography()
    known_canteens()
    return make_user("city_officer", "officer", "330300")


def idle(page):
    page.evaluate("new Promise(r => { if (coverageMap.loaded() && coverageMap.areTilesLoaded()) r(); "
                  "else coverageMap.once('idle', r); })")


def rendered(page, layer, key="name"):
    """The distinct values of `key` among the features MapLibre drew in `layer` (a feature cut by tile edges
    comes back once per tile)."""
    return set(page.evaluate(f"coverageMap.queryRenderedFeatures({{layers: ['{layer}']}})"
                             f".map(f => f.properties['{key}'])"))


def names(statuses):
    return set(Canteen.objects.filter(status__in=statuses).values_list("name", flat=True))


def test_the_coverage_page_draws_the_chart_and_the_map_with_the_services_numbers(offline_page, city_officer):
    page = offline_page
    tiles = []
    page.on("request", lambda r: tiles.append(r.url) if r.url.endswith(".mvt") else None)
    login(page, "city_officer")

    page.goto(page.base_url + "/canteens/?n=3")
    page.wait_for_selector("#coverage-map[data-ready='1']")
    page.wait_for_selector("#coverage-chart[data-ready='1']")
    idle(page)

    assert page.locator("#coverage-map canvas.maplibregl-canvas").count() == 1
    assert tiles and all("/tiles/counties,townships,villages,canteens/" in url for url in tiles), tiles
    assert rendered(page, "canteens") == names(PUBLISHED_STATUSES)  # from our vector tiles
    assert len(rendered(page, "canteens")) == 6
    assert rendered(page, "canteens-inactive") == names([CanteenStatus.PLANNED, CanteenStatus.CLOSED])
    assert rendered(page, "reach-walk") == names([CanteenStatus.OPEN])
    assert rendered(page, "reach-delivery") == {"藤桥镇中央厨房"}  # the suspended 塘下镇配送中心 delivers nothing now
    assert len(rendered(page, "uncovered-fill", "code")) == 4
    assert len(rendered(page, "suggestions", "rank")) == 2
    assert rendered(page, "counties-fill", "code") == {"330302", "330381"}
    # Each county named once, at its label point: named on its polygon, it was named once per tile it crossed.
    labels = page.evaluate("coverageMap.queryRenderedFeatures({layers: ['counties-label']})"
                           ".map(f => [f.geometry.type, f.properties.name])")
    assert labels and {kind for kind, _name in labels} == {"Point"}
    assert len(labels) == len({name for _kind, name in labels})
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
    assert page.locator(".legend li").count() == 5
    assert page.blocked == []
    assert page.problems == []


def test_a_county_officer_gets_township_bars_for_their_county(offline_page, city_officer):
    page = offline_page
    lucheng_officer()
    login(page, "lucheng_officer")

    page.goto(page.base_url + "/canteens/")
    page.wait_for_selector("#coverage-chart[data-ready='1']")
    page.wait_for_selector("#coverage-map[data-ready='1']")
    idle(page)

    assert page.get_attribute("#coverage-chart", "data-bars") == "2"  # 五马街道 and 藤桥镇
    assert page.get_attribute("#coverage-map", "data-uncovered") == "1"
    assert len(rendered(page, "uncovered-fill", "code")) == 1
    assert "瑞安市" not in page.inner_text("#coverage-table")
    assert page.blocked == []
