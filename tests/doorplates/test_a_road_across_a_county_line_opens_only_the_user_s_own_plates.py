"""A road across a county line carries the plates of both sides; its page lists them all (its numbering runs across)
but linked each one, and a plate of the other county opened "page not found" for the officer. Now it says whose it
is and links only the officer's own, on the list and on the map."""

import json
import re

import pytest

from tests.base import RUIAN_POINT, lucheng_officer, point
from tests.doorplates.builders import make_plate, make_road

pytestmark = pytest.mark.django_db


def test_the_other_county_s_plate_is_listed_with_its_county_and_without_a_link(client, wenzhou_counties):
    road = make_road("解放街")
    own = make_plate(road, 1, 100, 10)
    across = make_plate(road, 3, 200, 10, point=point(*RUIAN_POINT))
    client.force_login(lucheng_officer())
    html = client.get(f"/doorplates/roads/{road.pk}/").content.decode()
    links = set(re.findall(r'href="/doorplates/plates/([0-9a-f-]+)/"', html))
    assert links == {str(own.pk)}
    row = re.search(rf'<tr data-uuid="{across.pk}">.*?</tr>', html, re.S)[0]
    assert "3号" in row and "（瑞安市，不在您的辖区）" in row
    plates = {p["uuid"]: p["url"] for p in json.loads(
        re.search(r'<script id="road-map-data" type="application/json">(.*?)</script>', html, re.S)[1])["plates"]}
    assert plates == {str(own.pk): f"/doorplates/plates/{own.pk}/", str(across.pk): None}
    assert client.get(f"/doorplates/plates/{across.pk}/").status_code == 404  # still not theirs to open
