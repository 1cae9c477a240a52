"""In a browser: the application page maps the proposed road and the existing homophone next to it (MapLibre on our
own vector tiles), and lists it under the map; the decision buttons stay where they were while the map loads; a
registered place, on it or on its own page, is labelled once."""

import pytest
from playwright.sync_api import expect

from placenames.nearby import similar_places
from tests.base import login, lucheng_officer
from tests.placenames.builders import draft, ensure_seed_data, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_idle(page):
    page.evaluate("new Promise(r => { const m = dimingApplicationMap; "
                  "if (m.loaded() && m.areTilesLoaded()) r(); else m.once('idle', r); })")


def labels_of(page, name):
    """The label layers that show ``name`` on the map (a label a collision hides is not counted)."""
    return page.evaluate(
        "name => { const m = dimingApplicationMap;"
        " const layers = m.getStyle().layers.filter(l => l.type === 'symbol').map(l => l.id);"
        " return m.queryRenderedFeatures({layers}).filter(f => f.properties.name === name).map(f => f.layer.id); }",
        name)


def drawn_at(page, geom, layer):
    """The names the map draws in ``layer`` within a few pixels of the middle of ``geom`` (from the database)."""
    middle = geom.interpolate_normalized(0.5) if geom.geom_type == "LineString" else geom.point_on_surface
    return page.evaluate(
        "([c, layer]) => { const m = dimingApplicationMap, p = m.project(c);"
        " return m.queryRenderedFeatures([[p.x - 4, p.y - 4], [p.x + 4, p.y + 4]], {layers: [layer]})"
        ".map(f => f.properties.role + ':' + f.properties.name); }",
        [[middle.x, middle.y], layer])


def test_the_map_draws_the_proposed_road_and_the_homophone_where_they_are(offline_page, wenzhou_counties):
    page = offline_page
    ensure_seed_data()
    officer = lucheng_officer()
    homophone = place("解放路")
    app = draft(officer, "介放路")
    expected = {"proposed:介放路"} | {f"homophone:{p.name}" for p in similar_places(app)}
    assert expected == {"proposed:介放路", "homophone:解放路"}

    login(page, "lucheng_officer")
    page.goto(page.base_url + f"/placenames/applications/{app.pk}/")
    page.wait_for_selector("#application-map[data-ready='1']")
    wait_for_idle(page)

    assert page.locator("#application-map canvas.maplibregl-canvas").count() == 1
    assert page.get_attribute("#application-map", "data-features") == "2"
    rendered = page.evaluate("[...new Set(dimingApplicationMap.queryRenderedFeatures("
                             "{layers: ['application-lines']}).map(f => f.properties.role + ':' + f.properties.name))]")
    assert set(rendered) == expected
    assert drawn_at(page, app.geom, "application-lines") == ["proposed:介放路"]
    assert drawn_at(page, homophone.geom, "application-lines") == ["homophone:解放路"]
    expect(page.locator("#nearby")).to_contain_text("解放路（同音")
    assert labels_of(page, "解放路") == ["application-line-labels"]  # not the basemap's own label of the road too
    assert page.blocked == [] and page.problems == []

    # A place's own page maps it with one label: its own, not also the basemap's (its tiles hold the place too).
    village = place("下岙村", kind="village")
    page.goto(page.base_url + f"/placenames/places/{village.pk}/")
    page.wait_for_selector("#place-map[data-ready='1']", state="attached")
    wait_for_idle(page)
    assert labels_of(page, "下岙村") == ["application-labels"]
    assert page.problems == []


def test_the_decision_buttons_stay_put_while_the_map_loads(offline_page, wenzhou_counties):
    """The list under the map comes with the page: filled in once the map's data had come, it pushed the buttons below
    it down under an officer's pointer (a walk's click on 提交 then landed beside it and submitted nothing)."""
    page = offline_page
    ensure_seed_data()
    officer = lucheng_officer()
    place("解放路")
    app = draft(officer, "介放路")

    login(page, "lucheng_officer")
    page.goto(page.base_url + f"/placenames/applications/{app.pk}/", wait_until="domcontentloaded")
    submit = page.locator('form[data-action="submit"] button[type=submit]')
    before = submit.bounding_box()
    expect(page.locator("#nearby li")).to_have_count(1)
    page.wait_for_selector("#application-map[data-ready='1']")
    assert submit.bounding_box() == before
    assert page.problems == []
