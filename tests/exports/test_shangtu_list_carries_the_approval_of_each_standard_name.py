import datetime as dt

import pytest

from exports.services import export_file
from gis.errors import InputError
from placenames.models import PlaceStatus
from tests.exports.builders import place, read_csv

pytestmark = pytest.mark.django_db


def test_the_list_has_the_announcement_columns_for_in_use_names_only(wenzhou_counties, tmp_path):
    road = place("解放路", description="东起人民路，西至望江路", approved_on=dt.date(2015, 3, 1))
    place("旧街", kind="street", status=PlaceStatus.RETIRED, shift=2)
    result = export_file(profile="shangtu", layer="roads", out=tmp_path / "roads.csv")

    [row] = read_csv(result.files[0], "utf-8-sig")
    assert list(row) == ["标准名称", "罗马字母拼写", "类别", "行政区划代码", "行政区划名称", "地理位置描述", "经度",
                         "纬度", "批准机关", "批准日期", "dm_id"]
    assert row["标准名称"] == "解放路"
    assert row["罗马字母拼写"] == road.pinyin
    assert row["类别"] == road.kind.name
    assert row["行政区划代码"] == "330302"
    assert row["行政区划名称"] == "浙江省温州市鹿城区"
    assert row["地理位置描述"] == "东起人民路，西至望江路"
    assert row["批准日期"] == "2015-03-01"
    middle = road.geom.interpolate_normalized(0.5)
    assert abs(float(row["经度"]) - middle.x) < 1e-9 and abs(float(row["纬度"]) - middle.y) < 1e-9


def test_the_list_is_only_for_standard_names(wenzhou_counties, tmp_path):
    with pytest.raises(InputError):
        export_file(profile="shangtu", layer="counties", out=tmp_path / "counties.csv")


def test_the_approving_authority_and_date_come_from_the_approved_application(wenzhou_counties, tmp_path):
    from placenames.models import Application, ApplicationState
    from tests.base import make_user

    road = place("望江东路")
    Application.objects.create(kind=road.kind, place=road, area=road.area, geom=road.geom,
                               proposed_name=road.name, state=ApplicationState.ANNOUNCED,
                               approving_authority="温州市人民政府", approved_on=dt.date(2023, 6, 30),
                               created_by=make_user("officer"))
    result = export_file(profile="shangtu", layer="roads", out=tmp_path / "roads.csv", encoding="gbk")

    [row] = read_csv(result.files[0], "gbk")
    assert row["批准机关"] == "温州市人民政府"
    assert row["批准日期"] == "2023-06-30"
