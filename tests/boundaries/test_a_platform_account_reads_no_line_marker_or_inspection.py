"""A platform account (Amap, Baidu) holds the city as its region, but lines, markers and inspections are for the
officers, reviewers and crews of their sides: precise marker positions are internal. Every page, document, photo
and API of them refuses it, and its menu does not offer them; an officer of a side (the control) reads them all.
Without the pages' gate (config.platform_pages), borders.access refuses it too: a reader of lines holds an office
role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from borders import inspections, lines
from tests.base import image_bytes, make_user
from tests.boundaries.lines_base import line_with_markers, officers


@pytest.fixture
def world(wenzhou_counties):
    lucheng, *_ = officers()
    line = line_with_markers(lucheng)
    marker = line.markers.order_by("sequence").first()
    campaign = inspections.open_campaign(lucheng, line, year=2026, plan="逐桩检查", members=[
        {"side": "a", "name": "张三", "role": "组长"}, {"side": "b", "name": "李四", "role": "组长"}])
    photo = lines.add_marker_photo(lucheng, marker, SimpleUploadedFile(
        "桩.jpg", image_bytes("JPEG", size=(2, 2)), content_type="image/jpeg"))
    pages = [f"/boundaries/lines/{line.uuid}/", f"/boundaries/markers/{marker.uuid}/",
             f"/boundaries/markers/photos/{photo.pk}/", f"/boundaries/campaigns/{campaign.uuid}/",
             f"/boundaries/campaigns/{campaign.uuid}/records.xlsx", f"/boundaries/lines/{line.uuid}/register.xlsx",
             f"/boundaries/lines/{line.uuid}/coordinates.xlsx"]
    lists = ["/boundaries/lines/", "/boundaries/markers/sheet/", f"/boundaries/markers/sheet/?line={line.uuid}",
             "/boundaries/topology/"]
    api = ["/boundaries/api/lines/", f"/boundaries/api/lines/{line.uuid}/", "/boundaries/api/campaigns/",
           f"/boundaries/api/campaigns/{campaign.uuid}/", "/boundaries/api/due/"]
    return lucheng, line, marker, pages, lists, api


def test_the_platform_account_gets_none_of_them(client, world):
    _lucheng, line, marker, pages, lists, api = world
    client.force_login(make_user("amap_platform", Role.PLATFORM_CONSUMER, "330300"))
    for url in pages + lists:  # refused before the view (config.platform_pages); borders.access refuses them too
        response = client.get(url)
        assert response.status_code == 403, url
        assert "平台账号只能读取授权给它的导出数据" in response.content.decode() and marker.number not in response.content.decode()
    for url in api:
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "platform_not_allowed"
    home = client.get("/").content.decode()
    assert "/boundaries/lines/" not in home


def test_borders_access_itself_reads_no_line_for_a_platform_account(world):
    from borders.access import may_see, visible_lines

    _lucheng, line, *_rest = world
    platform = make_user("amap_platform", Role.PLATFORM_CONSUMER, "330300")
    assert not may_see(platform, line) and not visible_lines(platform).exists()


def test_an_officer_of_a_side_reads_them_all(client, world):
    lucheng, line, marker, pages, lists, api = world
    client.force_login(lucheng)
    for url in pages + lists + api:
        assert client.get(url).status_code == 200, url
    assert "/boundaries/lines/" in client.get("/").content.decode()
