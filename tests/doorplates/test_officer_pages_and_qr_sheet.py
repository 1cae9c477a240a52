"""The officer pages: roads of a region, a road's plates with its numbering check, the printable QR sheet."""

import re

import pytest

from doorplates.qr import qr_svg
from tests.base import lucheng_officer, ruian_officer
from tests.doorplates.builders import make_plate, make_road

pytestmark = pytest.mark.django_db


@pytest.fixture
def road(wenzhou_counties):
    road = make_road("解放街")
    make_plate(road, 1, 20, 10)
    make_plate(road, 3, 40, 10)
    make_plate(road, 6, 60, 10)  # even on the left
    make_plate(road, 2, 20, -10, plate_type="unit", building="1", unit="2")
    return road


def test_the_index_lists_the_roads_of_the_users_region_with_plate_counts(client, road):
    client.force_login(lucheng_officer())
    html = client.get("/doorplates/").content.decode()
    assert "解放街" in html and "Jiefang Jie" in html
    assert re.search(r"解放街</a></td><td>Jiefang Jie</td><td>鹿城区</td><td class=\"num\">4<", html)
    client.force_login(ruian_officer())
    assert "Jiefang Jie" not in client.get("/doorplates/").content.decode()


def test_the_road_page_shows_the_numbering_check_and_every_plate(client, road):
    client.force_login(lucheng_officer())
    response = client.get(f"/doorplates/roads/{road.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "6号在道路左侧，该侧应为单号" in html
    assert html.count("<tr data-uuid=") == 4
    assert "road-map-data" in html


def test_another_regions_road_page_is_not_found(client, road):
    client.force_login(ruian_officer())
    assert client.get(f"/doorplates/roads/{road.pk}/").status_code == 404


def test_the_qr_sheet_has_one_code_per_plate_encoding_its_public_url(client, road):
    client.force_login(lucheng_officer())
    html = client.get("/doorplates/sheet/", {"road": str(road.pk)}).content.decode()
    plates = road.doorplates.all()
    assert html.count('class="plate"') == 4
    for plate in plates:
        assert qr_svg(plate.public_url, scale=3) in html
        assert f'data-token="{plate.token}"' in html
    assert "@page" not in html  # print rules live in sheet.css
    assert "1幢2单元" in html


def test_the_qr_sheet_downloads_as_an_a4_svg(client, road):
    client.force_login(lucheng_officer())
    response = client.get("/doorplates/sheet/", {"road": str(road.pk), "format": "svg", "page": "1"})
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert 'width="210mm" height="297mm"' in svg
    assert svg.count('class="segno"') == 4


def test_the_plate_page_shows_the_record_and_its_history(client, road):
    officer = lucheng_officer()
    client.force_login(officer)
    plate = road.doorplates.get(number=3)
    response = client.post(f"/doorplates/plates/{plate.pk}/action/", {"action": "status", "status": "damaged",
                                                                      "reason": "台风", "version": plate.version})
    assert response.status_code == 302
    html = client.get(f"/doorplates/plates/{plate.pk}/").content.decode()
    assert plate.address in html and "台风" in html
