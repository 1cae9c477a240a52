"""A platform account (Amap, Baidu) holds the city as its region for its exports' sake. Through the REST API it
reads only the published rows of its granted layers (accounts.drf); the office's pages gave it more: a planned
plate's page and history, a road's numbering checks, a proposed name's page, every canteen and the coverage tables
(found by a crawl as every role). Now it opens its exports, its own jobs, the map and the pages anyone may open;
every other page is refused (config.platform_pages), and its menu offers only what it may open."""

import re
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from accounts.roles import Role
from config.platform_pages import PLATFORM_NAMESPACES, PUBLIC_PAGES, platform_may_open
from doorplates.models import PlateStatus
from tests.base import make_user
from tests.doorplates.builders import make_plate, make_road

pytestmark = pytest.mark.django_db


def _pages(resolver=None, prefix="", namespace=None):
    """(route, view name, namespace, view) of every page, the admin site aside."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                yield from _pages(entry, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield prefix + str(entry.pattern), name, namespace, entry.callback


SAMPLES = {"week_end": "2026-01-04", "fmt": "xlsx"}  # the regular-expression routes' groups


def _filled(route: str) -> str:
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLES.get(m.group(1), "1"), route)
    route = route.replace("^", "").replace("$", "").replace("\\.", ".")
    route = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), route)
    route = re.sub(r"<int:\w+>", "1", route)
    url = "/" + re.sub(r"<[\w:]+>", "x", route)
    resolve(url)  # a route this cannot fill would be left unchecked
    return url


def test_the_list_of_public_pages_is_what_an_anonymous_visitor_reaches(wenzhou_counties):
    anonymous = Client()
    reached = set()
    for route, name, namespace, view in _pages():
        if hasattr(view, "cls") or name.startswith("field:api-") or namespace in PLATFORM_NAMESPACES:
            continue
        response = anonymous.get(_filled(route))
        if not (response.status_code == 302 and settings.LOGIN_URL in response["Location"]):
            reached.add(name)
    assert reached == PUBLIC_PAGES


@pytest.fixture
def platform(client, wenzhou_counties):
    client.force_login(make_user("amap_platform", Role.PLATFORM_CONSUMER, "330300"))
    road = make_road("解放街")
    plate = make_plate(road, 8, 20, 10, status=PlateStatus.PLANNED)
    return client, road, plate


def test_the_office_s_pages_are_refused_to_it_and_its_own_are_not(platform):
    client, road, plate = platform
    for url in (f"/doorplates/plates/{plate.uuid}/", f"/doorplates/roads/{road.pk}/", "/doorplates/",
                f"/placenames/places/{road.uuid}/", "/placenames/search/?q=解放", "/canteens/", "/canteens/list/",
                "/canteens/coverage.csv", "/cemeteries/", "/boundaries/lines/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "平台账号只能读取授权给它的导出数据" in response.content.decode() and plate.address not in response.content.decode()
    assert client.get("/doorplates/api/roads/x/", HTTP_ACCEPT="application/json").status_code in (403, 404)
    for url in ("/exports/", "/jobs/", "/map/", "/placenames/g/", "/cemeteries/report/", f"/d/{plate.token}"):
        assert client.get(url).status_code in (200, 404), url  # a planned plate has no public page yet
    menu = client.get("/").content.decode()
    assert "/exports/" in menu and "/doorplates/" not in menu and "/canteens/" not in menu


def test_an_office_role_held_with_the_platform_role_opens_the_office_pages(client, wenzhou_counties):
    both = make_user("both", Role.PLATFORM_CONSUMER, "330302")
    both.groups.add(make_user("x", Role.OFFICER).groups.get())
    client.force_login(both)
    assert client.get("/doorplates/").status_code == 200 and client.get("/canteens/list/").status_code == 200


def test_a_drf_view_and_the_field_api_decide_for_themselves():
    assert platform_may_open("doorplates:doorplate-list", "doorplates", type("V", (), {"cls": object})())
    assert platform_may_open("field:api-packages", "field", object())
    assert not platform_may_open("doorplates:plate", "doorplates", object())
