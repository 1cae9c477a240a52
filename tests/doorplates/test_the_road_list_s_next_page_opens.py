"""The road list's pager links carry the page's filters and nothing else: with no county chosen, "Next" opened
?county=None, which the page refuses (400), so a user of several counties could not see past the first page."""

import re
from html import unescape

import pytest

from core import params
from tests.base import make_user
from tests.doorplates.builders import make_road

pytestmark = pytest.mark.django_db


def _next(html: str) -> str:
    return unescape(re.search(r'<a href="(\?[^"]*)">下一页</a>', html)[1])


def test_next_page_opens_with_no_county_chosen_and_keeps_the_filters_chosen(client, wenzhou_counties, monkeypatch):
    monkeypatch.setattr("doorplates.views.ROADS_PER_PAGE", 2)
    for name in ("解放街", "五马街", "信河街", "公园路", "府前街"):
        make_road(name)
    client.force_login(make_user("city_officer", "officer", "330300"))
    first = client.get("/doorplates/").content.decode()
    link = _next(first)
    assert "None" not in link
    assert client.get("/doorplates/" + link).status_code == 200
    filtered = _next(client.get("/doorplates/?q=街&county=330302").content.decode())
    assert "county=330302" in filtered and "q=%E8%A1%97" in filtered
    assert client.get("/doorplates/" + filtered).status_code == 200


def test_a_filter_query_leaves_out_what_is_unset_and_encodes_what_is_set():
    assert params.query(q="", county=None, state="open") == "state=open"
    assert params.query(q="解放街 1&2", page=None) == "q=%E8%A7%A3%E6%94%BE%E8%A1%97+1%262"
