"""Each role walks the demo from the home page, following every link its pages show: none leads to a refusal (403),
a "not found" (404), a refused query (400) or an error. Such a link is a dead end in the product: a pager's Next that
carried ?county=None, a road's plate of the other county, the grave pages' campaign, triage and weekly-report links
offered to crews, the installers' QR sheet offered to reviewers. Up to two pages of each kind are opened (a kind:
the address with its ids and the names of its query's parameters), downloads but PDFs (slow to draw) included."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.config.test_browser_every_admin_change_form_saved_unchanged_changes_nothing import _seed_again

pytestmark = pytest.mark.django_db
# a county's officer, the city's reviewer, a crew, the province's boundary officer, a platform account
ROLES = ["lucheng_officer", "city_reviewer", "taishun_field", "zhejiang_boundary", "amap_platform"]
LEFT_OUT = re.compile(r"^/(accounts/logout|admin/)|\.pdf$|^/static/|^/media/")
IDS = re.compile(r"/([0-9a-f]{8}-[0-9a-f-]{27}|[0-9A-Za-z_-]{22}|\d+)(?=/|$|\.)")
PER_KIND = 2


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith(("#", "mailto:", "javascript:")):
            self.found.append(href)


def _kind(url: str) -> str:
    parts = urlsplit(url)
    return IDS.sub("/<id>", parts.path) + "?" + ",".join(sorted({k for k, _ in parse_qsl(parts.query)}))


def _walk(client, budget: int = 400) -> tuple[list[tuple[str, int, str]], int]:
    """(page, status, the page that linked it) for each dead end reached from the home page; how many were opened."""
    queue, seen, opened, dead = deque([("/", "")]), set(), {}, []
    while queue and len(seen) < budget:
        url, came_from = queue.popleft()
        if url in seen or LEFT_OUT.search(urlsplit(url).path) or opened.get(_kind(url), 0) >= PER_KIND:
            continue
        seen.add(url)
        opened[_kind(url)] = opened.get(_kind(url), 0) + 1
        response = client.get(url)
        if response.status_code >= 400:
            dead.append((url, response.status_code, came_from))
        if "html" not in response.get("Content-Type", "") or response.streaming:
            continue
        links = Links()
        links.feed(response.content.decode("utf-8", "replace"))
        for href in links.found:
            target = urlsplit(urljoin(url, href))
            if target.scheme in ("", "http") and target.netloc in ("", "testserver"):
                queue.append((target.path + (f"?{target.query}" if target.query else ""), url))
    return dead, len(seen)


def test_no_role_is_led_by_a_link_to_a_refusal(client):
    _seed_again()
    call_command("load_demo", scale=0.05, verbosity=0)
    dead, walked = {}, {}
    for username in ROLES:
        client.force_login(get_user_model().objects.get(username=username))
        dead[username], walked[username] = _walk(client)
        client.logout()
    assert dead == {username: [] for username in ROLES}
    assert min(n for user, n in walked.items() if user != "amap_platform") > 30, walked  # the walk went somewhere
