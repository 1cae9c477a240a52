"""The announcement (公告) as a printable page and XLSX with the official columns."""

import io

import pytest
from openpyxl import load_workbook

from placenames.announcements import COLUMNS
from placenames.models import ApplicationState as S
from tests.base import lucheng_officer, lucheng_reviewer
from tests.placenames.builders import draft, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(wenzhou_counties, client):
    officer, reviewer = lucheng_officer(), lucheng_reviewer()
    app = walk(draft(officer, "望海路", location_description="东起江滨路，西至人民路"), officer, reviewer, S.FILED)
    walk(draft(officer, "观澜路"), officer, reviewer, S.CONSULTED)  # not approved: not announced
    client.force_login(officer)
    return app


def test_the_xlsx_has_the_official_columns_and_the_approved_name(approved, client):
    response = client.get("/placenames/announcements.xlsx?county=330302")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("标准名称", "罗马字母拼写", "所在行政区", "位置描述", "批准机关", "批准日期")
    assert tuple(COLUMNS) == rows[1]
    name, pinyin, area, location, authority, date = rows[2]
    assert (name, pinyin, location, authority) == ("望海路", "Wanghai Lu", "东起江滨路，西至人民路", "鹿城区人民政府")
    assert area.startswith("浙江省温州市鹿城区")
    assert date.date() == approved.approved_on
    assert len(rows) == 3


def test_the_printable_page_lists_the_same_rows(approved, client):
    page = client.get("/placenames/announcements/?county=330302").content.decode()
    assert "鹿城区地名公告" in page
    assert "望海路" in page and "Wanghai Lu" in page
    assert "观澜路" not in page
    assert "window.print()" in page
