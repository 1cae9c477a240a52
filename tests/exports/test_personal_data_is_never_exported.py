import json

import pytest

from exports import feed, sql
from exports.services import export_file
from exports.sources import Filters
from tests.exports.builders import canteen, feed_records, read_csv

pytestmark = pytest.mark.django_db

PHONE = "13905771234"
OPERATOR = "张三"


@pytest.mark.parametrize("profile", ["amap", "baidu", "csv", "geojson"])
def test_a_canteens_operator_and_phone_are_in_no_export(wenzhou_counties, tmp_path, profile):
    canteen("东山社区老年食堂", operator=OPERATOR, operator_phone=PHONE, address="东山路1号")
    canteen("规划中的食堂", status="planned", shift=2)
    result = export_file(profile=profile, layer="canteens", out=tmp_path / f"canteens.{profile}")

    text = result.files[0].read_text(encoding="utf-8")
    assert "东山社区老年食堂" in text
    assert PHONE not in text and OPERATOR not in text and "operator" not in text
    assert "规划中的食堂" not in text
    if profile in ("amap", "baidu"):
        [row] = read_csv(result.files[0])
        assert row["_address" if profile == "amap" else "address"] == "浙江省温州市鹿城区东山路1号"


@pytest.mark.django_db(transaction=True)
def test_the_feed_carries_no_personal_data_either(wenzhou_counties):
    canteen("东山社区老年食堂", operator=OPERATOR, operator_phone=PHONE)
    records = feed_records(feed.snapshot_lines("canteens", sql.latest_txid(), Filters()))

    [record] = records
    assert record["properties"]["name"] == "东山社区老年食堂"
    text = json.dumps(records, ensure_ascii=False)
    assert PHONE not in text and OPERATOR not in text
    assert "operator" not in record["properties"]
