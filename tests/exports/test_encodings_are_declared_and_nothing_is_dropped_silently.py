import pytest

from exports.services import export_file
from tests.exports.builders import place, read_csv

pytestmark = pytest.mark.django_db


def test_utf8_with_bom_opens_in_excel_and_reads_back(wenzhou_counties, tmp_path):
    place("瓯江路")
    result = export_file(profile="amap", layer="roads", out=tmp_path / "roads.csv", encoding="utf-8-sig")

    data = result.files[0].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    [row] = read_csv(result.files[0], "utf-8-sig")
    assert row["_name"] == "瓯江路"


def test_gbk_reads_back_and_a_character_gbk_lacks_is_replaced_with_a_warning(wenzhou_counties, tmp_path):
    place("瓯江路")
    odd = place("𡌶头路", shift=2)  # 𡌶 (U+21336) is outside GBK
    result = export_file(profile="amap", layer="roads", out=tmp_path / "roads.csv", encoding="gbk")

    rows = {row["dm_id"]: row for row in read_csv(result.files[0], "gbk")}
    assert len(rows) == 2
    assert rows[str(odd.uuid)]["_name"] == "?头路"
    [warning] = [w for w in result.warnings.items if w["column"] == "_name"]
    assert warning["record"] == str(odd.uuid)
    assert "U+21336" in warning["message"]


def test_an_unknown_encoding_is_refused(wenzhou_counties, tmp_path):
    from gis.errors import InputError

    with pytest.raises(InputError):
        export_file(profile="amap", layer="roads", out=tmp_path / "roads.csv", encoding="latin-1")
