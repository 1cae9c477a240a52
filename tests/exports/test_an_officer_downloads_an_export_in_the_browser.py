import csv
import io

import pytest

from tests.base import login, lucheng_officer
from tests.exports.builders import place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_officer_picks_baidu_and_gbk_and_gets_the_file(page, wenzhou_counties):
    place("解放路")
    place("安阳路", county="330381")
    lucheng_officer()
    login(page, "lucheng_officer")
    page.goto(page.base_url + "/exports/")
    page.select_option("select[name=profile]", "baidu")
    page.select_option("select[name=layer]", "roads")
    page.select_option("select[name=encoding]", "gbk")
    with page.expect_download() as download_info:
        page.click("#export-form button[type=submit]")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(open(download.path(), "rb").read().decode("gbk"))))
    assert [row["title"] for row in rows] == ["解放路"]

    page.goto(page.base_url + "/exports/")
    assert "道路" in page.inner_text("#export-log")  # the layer by its title, not its code
