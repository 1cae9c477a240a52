import pytest

from tests.base import administrator, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_shows_the_twelve_county_polygons_on_a_map(page, wenzhou_counties):
    administrator()
    login(page, "admin")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page.base_url + "/admin/boundaries/adminarea/?level__exact=county")
    page.wait_for_selector("#area-map[data-ready='1']")
    assert page.get_attribute("#area-map", "data-features") == "12"
    assert page.locator("#area-map canvas").count() >= 1
    assert "鹿城区" in page.content()
    # MapLibre starts its workers from blob: URLs of the page's own origin.
    outside = [r for r in requests if not r.removeprefix("blob:").startswith(page.base_url)]
    assert outside == []


def test_an_area_change_page_draws_the_boundary_for_editing_on_our_own_tiles(offline_page, wenzhou_counties):
    from boundaries.models import AdminArea

    page = offline_page
    tiles = []
    page.on("request", lambda r: tiles.append(r.url) if r.url.endswith(".mvt") else None)
    administrator()
    login(page, "admin")
    area = AdminArea.objects.get(code="330381")
    page.goto(page.base_url + f"/admin/boundaries/adminarea/{area.pk}/change/")
    page.wait_for_selector("#id_geom_map[data-ready='1']")
    assert page.locator("#id_geom_map canvas.maplibregl-canvas").count() == 1
    assert page.evaluate("dimingMapWidgets.id_geom.editor.features().length") == len(area.geom)
    assert '"MultiPolygon"' in page.input_value("#id_geom")
    # Showing the boundary leaves the field as the server wrote it: saving the page unchanged changes nothing.
    assert page.evaluate("document.getElementById('id_geom').value === document.getElementById('id_geom').defaultValue")
    assert tiles, "the base map is drawn from our own vector tiles"
    assert page.blocked == [] and page.problems == []
