"""The office map (/map/): MapLibre GL JS served by the project draws our tiles and labels, Chinese names and road
pinyin, with every request outside the live server blocked."""

import pytest
from django.contrib.gis.geos import LineString

from tests.base import login, lucheng_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROAD = (120.655, 28.015)


@pytest.fixture
def road(wenzhou_counties):
    from placenames.models import PlaceKind
    from tests.placenames.builders import place

    PlaceKind.objects.get_or_create(code="road", defaults={"name": "道路", "geometry_kinds": "line",
                                                           "generic_terms": "路"})
    line = LineString((ROAD[0] - 0.004, ROAD[1]), (ROAD[0] + 0.004, ROAD[1]), srid=4490)
    return place("人民路", county="330302", kind="road", geom=line)


def rendered(page, layer):
    return page.evaluate(f"dimingMap.queryRenderedFeatures({{layers: ['{layer}']}}).map(f => f.properties.name)")


def idle(page):
    page.evaluate("new Promise(r => { if (dimingMap.loaded() && dimingMap.areTilesLoaded()) r(); "
                  "else dimingMap.once('idle', r); })")


def test_county_names_and_road_names_with_pinyin_are_drawn_offline(offline_page, road):
    page = offline_page
    lucheng_officer()
    login(page, "lucheng_officer")

    page.goto(page.base_url + "/map/")
    page.wait_for_selector("#map[data-ready='1']")
    page.evaluate("dimingMap.jumpTo({center: [120.55, 27.9], zoom: 8})")
    idle(page)
    counties = rendered(page, "counties-label")

    page.evaluate(f"dimingMap.jumpTo({{center: [{ROAD[0]}, {ROAD[1]}], zoom: 16}})")
    idle(page)
    roads = rendered(page, "roads-label")
    text = page.evaluate("JSON.stringify(dimingMap.getLayoutProperty('roads-label', 'text-field'))")

    assert len(set(counties)) >= 5, counties
    assert "人民路" in roads
    assert "pinyin" in text
    assert page.blocked == []
    messages = page.problems + page.warnings
    assert not [p for p in messages if "glyph" in p.lower() or "font" in p.lower()], messages
    assert page.evaluate("typeof maplibregl.Map") == "function"


def test_the_map_is_in_the_main_menu(offline_page, wenzhou_counties):
    page = offline_page
    lucheng_officer()
    login(page, "lucheng_officer")

    page.goto(page.base_url + "/")

    assert page.locator("nav.mainnav a[href='/map/']").count() == 1


def test_the_map_draws_an_offline_package_through_the_pmtiles_protocol(offline_page, wenzhou_counties, settings,
                                                                        tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("export_pmtiles", "--area", "330302", "--zooms", "8-11", "--layers", "counties,townships",
                 stdout=open("/dev/null", "w"))
    page = offline_page
    ranges, tiles = [], []
    page.on("request", lambda r: ranges.append(r.headers.get("range")) if "/tiles/pmtiles/" in r.url else None)
    page.on("request", lambda r: tiles.append(r.url) if r.url.endswith(".mvt") else None)
    lucheng_officer()
    login(page, "lucheng_officer")

    page.goto(page.base_url + "/map/?pmtiles=330302")
    page.wait_for_selector("#map[data-ready='1']")
    page.evaluate(f"dimingMap.jumpTo({{center: [{ROAD[0]}, {ROAD[1]}], zoom: 10}})")
    idle(page)

    assert "鹿城区" in rendered(page, "counties-label")
    assert any(r and r.startswith("bytes=") for r in ranges), ranges
    assert tiles == [], "drawn from the archive, not from the tile server"
    assert page.blocked == []
