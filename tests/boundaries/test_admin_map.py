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
    assert all(r.startswith(page.base_url) for r in requests), [r for r in requests if not r.startswith(page.base_url)]


def test_an_area_change_page_draws_the_polygon_with_local_openlayers(page, wenzhou_counties):
    from boundaries.models import AdminArea

    administrator()
    login(page, "admin")
    pk = AdminArea.objects.get(code="330381").pk
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page.base_url + f"/admin/boundaries/adminarea/{pk}/change/")
    page.wait_for_selector(".dj_map canvas, #id_geom_map canvas")
    assert page.evaluate("typeof ol") == "object"
    assert "MULTIPOLYGON" in page.input_value("#id_geom") or '"MultiPolygon"' in page.input_value("#id_geom")
    assert all(r.startswith(page.base_url) for r in requests), [r for r in requests if not r.startswith(page.base_url)]
