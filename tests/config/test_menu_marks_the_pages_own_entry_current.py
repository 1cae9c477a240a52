"""The main menu marks one entry as the current page's: the one whose address leads the page's path the furthest (a
registry page under /placenames/checking/ or /placenames/signs/ is Census and signs', not also Place names'); a page
under no entry's address marks none."""

import re

import pytest

from tests.base import lucheng_officer
from tests.placenames.builders import draft, ensure_seed_data, place

pytestmark = pytest.mark.django_db
CURRENT = re.compile(r'<nav class="mainnav"[^>]*>.*?</nav>', re.S)


def current_entries(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    menu = CURRENT.search(response.content.decode()).group(0)
    return re.findall(r'<a href="([^"]+)" aria-current="page">', menu)


def test_one_entry_is_current_on_registry_and_application_pages(client, wenzhou_counties):
    ensure_seed_data()
    officer = lucheng_officer()
    application = draft(officer)
    village = place("苍坡村", kind="village")
    client.force_login(officer)
    assert current_entries(client, "/placenames/checking/") == ["/placenames/checking/"]
    assert current_entries(client, "/placenames/signs/") == ["/placenames/checking/"]
    assert current_entries(client, f"/placenames/applications/{application.pk}/") == ["/placenames/"]
    assert current_entries(client, f"/placenames/places/{village.pk}/") == ["/placenames/"]
    assert current_entries(client, "/doorplates/") == ["/doorplates/"]
    assert current_entries(client, "/") == []
