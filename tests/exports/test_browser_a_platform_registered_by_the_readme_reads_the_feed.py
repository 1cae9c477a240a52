"""In a browser: the exports page says each thing once, in words (choices, not codes), and exports the other
names; then the README's platform steps (README.md, "Connecting a map platform"), followed exactly: an administrator
registers a platform on one page, copies its token, and the platform reads the feed with it, in its region."""

import json
import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.base import administrator, follow, login, lucheng_officer
from tests.exports.builders import place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

README = Path(__file__).resolve().parents[2] / "README.md"


def _get(url: str, token: str):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the live test server)
        return response.status, response.read().decode()


def test_the_exports_page_and_the_readmes_platform_steps(wenzhou_counties, offline_page):
    page = offline_page
    road = place("解放路")
    place("瑞安路", county="330381")
    place("五马大厦", kind="building")
    lucheng_officer(), administrator()

    login(page, "lucheng_officer")
    page.goto(page.base_url + "/exports/")
    main = page.locator("main")
    text = main.inner_text()
    assert text.count("只导出已批准、在用的记录和公开字段") == 1
    assert text.count("变更订阅当前事务号为") == 1
    assert "（CGCS2000）（CGCS2000）" not in text and "(roads)" not in text and "utf-8-sig" not in text
    # Kinds and states are choices of the chosen layer, not typed codes.
    assert page.locator("input[name=kind][type=text], input[name=status][type=text]").count() == 0
    page.select_option("select[name=layer]", "roads")
    expect(page.locator("#kind-roads")).to_be_visible()
    expect(page.locator("#kind-places")).to_be_hidden()
    page.select_option("select[name=layer]", "places")
    expect(page.locator("#kind-places")).to_contain_text("建筑物")
    page.select_option("select[name=profile]", "csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="导出并下载").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert "五马大厦" in exported and "解放路" not in exported
    page.goto(page.base_url + "/exports/")
    expect(page.locator("#export-log")).to_contain_text("其他地名")

    # The README's steps, as written there.
    steps = README.read_text(encoding="utf-8")
    assert "/exports/platforms/" in steps and "登记并签发令牌" in steps
    follow(page, page.locator(".account button[type=submit]"))
    login(page, "admin")
    page.goto(page.base_url + "/exports/")
    page.get_by_role("link", name="平台接入").click()  # 1. 数据导出 → 平台接入
    expect(page).to_have_url(re.compile("/exports/platforms/$"))
    page.fill("input[name=name]", "高德地图")  # 2. name, layers, region, format
    page.get_by_label("道路", exact=True).check()
    page.locator("#field-areas").get_by_label("鹿城区").check()
    page.select_option("select[name=profile]", "amap")
    page.get_by_role("button", name="登记并签发令牌").click()
    token = page.locator("#token").inner_text().strip()  # 3. the token, shown once
    assert token.startswith("dm_")
    expect(page.locator("#platforms")).to_contain_text("高德地图")
    page.reload()
    expect(page.locator("#token")).to_have_count(0)
    assert token not in page.content()

    # 4. The platform reads with it.
    status, body = _get(page.base_url + "/api/v1/feed/latest", token)
    assert status == 200 and json.loads(body)["txid"] >= 1
    status, body = _get(page.base_url + "/api/v1/feed/snapshot?layer=roads", token)
    lines = [json.loads(line) for line in body.splitlines()]
    assert status == 200 and lines[-1]["op"] == "end"
    assert [line["id"] for line in lines[:-1]] == [str(road.uuid)]  # its region only: not 瑞安路
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(page.base_url + "/api/v1/feed/snapshot?layer=places", token)
    assert refused.value.code == 403
