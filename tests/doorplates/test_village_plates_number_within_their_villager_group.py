"""A village that numbers within each villager group (村民小组): 苍坡村3组12号 is read by the parser, checked and
numbered per group, written in the national order (area, base, group, number), found by autocomplete and geocoding,
shown on its QR page, exported to Amap and Baidu (the change feed: test_plates_without_a_road_...), entered on the plate form and imported from a file's
组 column."""

import csv
import io

import pytest

from doorplates import search, services
from doorplates.addresses import BaseNames, HouseNumber, parse_address, parse_group
from doorplates.base_numbering import Member, check_village, suggest_in_village
from doorplates.importing import import_doorplates
from doorplates.models import Doorplate
from exports.services import export_file
from gis.errors import Conflict, InputError
from tests.base import lucheng_officer
from tests.doorplates.builders import make_base, make_base_plate
from tests.exports.builders import read_csv

pytestmark = pytest.mark.django_db


def test_the_parser_reads_a_villager_group_written_every_way():
    registry = BaseNames([("苍坡村", "village")])
    for typed in ("苍坡村3组12号", "苍坡村三组十二号", "苍坡村第三组12号", "苍坡村3村民小组12号"):
        parsed = parse_address(typed, bases=registry)
        assert (parsed.base, parsed.group, parsed.number, parsed.rest) == ("苍坡村", 3, HouseNumber(12), ""), typed
        assert parsed.below_admin == "苍坡村3组12号"
    assert parse_address("苍坡村3组12号之一", bases=registry).standard == "苍坡村3组12号之一"
    assert parse_address("苍坡村12号", bases=registry).group == 0
    assert parse_address("苍坡村3组", bases=registry).rest == "苍坡村3组"  # a group without a number is no address
    assert [parse_group(v) for v in (3, "3", "三组", "第十二组", "", None)] == [3, 3, 3, 12, 0, 0]
    with pytest.raises(InputError):
        parse_group("东组")


def test_numbers_are_checked_and_suggested_within_each_group():
    members = [Member("a", HouseNumber(1), group=3), Member("b", HouseNumber(2), group=3),
               Member("c", HouseNumber(1), group=4), Member("d", HouseNumber(3), group=4),
               Member("e", HouseNumber(1), group=4), Member("f", HouseNumber(5, 1, "zhi"), group=3)]
    findings = check_village(members, max_distance_m=1000)
    by_kind = {f.kind: f for f in findings}
    assert by_kind["duplicate"].keys == ["c", "e"]  # 4组1号 twice; 3组1号 is another plate
    gap = by_kind["gap"]
    assert "4组" in gap.message and (gap.detail["villager_group"], gap.detail["missing"]) == (4, [2])
    assert by_kind["orphan_infill"].keys == ["f"] and "3组5号" in by_kind["orphan_infill"].message
    assert len(findings) == 3
    assert suggest_in_village(members, 3).number == HouseNumber(3)
    assert suggest_in_village(members, 4).number == HouseNumber(4)
    assert suggest_in_village(members, 7).number == HouseNumber(1)


@pytest.fixture
def village(wenzhou_counties):
    return make_base("苍坡村", (120.655, 28.010), kind="village")


def test_a_plate_is_unique_in_its_group_and_carries_it_through_search_qr_and_exports(client, village, tmp_path):
    officer = lucheng_officer()
    point = village.geom.centroid
    point.srid = 4490
    g3 = services.create_plate(officer, base=village, number="12", villager_group="三组", point=point,
                               status="installed")
    g4 = services.create_plate(officer, base=village, number=12, villager_group=4, point=point, status="installed")
    plain = services.create_plate(officer, base=village, number=12, point=point, status="installed")
    assert g3.address == "浙江省温州市鹿城区滨江街道苍坡村3组12号" and g3.number_label == "3组12号"
    assert (g4.villager_group, plain.villager_group, plain.number_label) == (4, 0, "12号")
    with pytest.raises(Conflict):
        services.create_plate(officer, base=village, number=12, villager_group=3, point=point)
    with pytest.raises(InputError):
        services.create_plate(officer, base=make_base("翠微小区", kind="residential"), number=1, villager_group=3,
                              point=point)
    moved = services.update_plate(officer, g4, villager_group="5", version=g4.version)
    assert moved.address.endswith("苍坡村5组12号")
    assert services.suggest_in_village(village, 5).number == HouseNumber(13)

    assert [r["address"] for r in search.autocomplete("苍坡村5组12", officer)] == [moved.address]
    assert [r["address"] for r in search.autocomplete("cangpocun3zu12", officer)] == [g3.address]
    found = search.geocode("鹿城区苍坡村第三组十二号", officer)
    assert (found.plates, found.as_dict()["components"]["villager_group"]) == ([g3], 3)
    assert search.geocode("鹿城区苍坡村12号", officer).plates == [plain]  # no group: the plate without one
    assert search.geocode("鹿城区苍坡村7组12号", officer).checks["number"] == "not_found"

    page = client.get(f"/d/{g3.token}").content.decode()
    assert g3.address in page and '<p class="number">3组12号</p>' in page
    amap = {r["dm_id"]: r for r in read_csv(export_file(profile="amap", layer="doorplates",
                                                        out=tmp_path / "a.csv").files[0])}
    baidu = {r["dm_id"]: r for r in read_csv(export_file(profile="baidu", layer="doorplates",
                                                         out=tmp_path / "b.csv").files[0])}
    a, b = amap[str(g3.uuid)], baidu[str(g3.uuid)]
    assert a["_name"] == b["title"] == "苍坡村3组12号" and a["_address"] == b["address"] == g3.address
    assert a["villager_group"] == b["villager_group"] == "3"

    # The plate form takes the group and shows it again when the plate is edited.
    client.force_login(officer)
    response = client.post("/doorplates/plates/new/", {
        "base": f"village:{village.pk}", "number": "2", "villager_group": "第6组", "plate_type": "door",
        "lon": f"{point.x:.7f}", "lat": f"{point.y:.7f}", "status": "planned"})
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Doorplate.objects.get(village=village, villager_group=6)
    assert made.address.endswith("苍坡村6组2号")
    form = client.get(f"/doorplates/plates/{made.pk}/edit/").content.decode()
    assert 'name="villager_group" id="id_villager_group" value="6"' in form and 'name="number" id="id_number" value="2号"' in form


HEADER = ["村", "组", "门牌号", "经度", "纬度", "地址"]


def test_the_import_reads_the_group_column_and_the_address_and_refuses_a_bad_group(village, tmp_path):
    make_base_plate(village, 12)  # 12号 without a group
    v = village.geom.centroid
    rows = [
        {"村": "苍坡村", "组": "3", "门牌号": "12", "经度": v.x, "纬度": v.y},  # 2: ok, 3组12号 beside 12号
        {"村": "苍坡村", "组": "三组", "门牌号": "12", "经度": v.x, "纬度": v.y},  # 3: repeats line 2
        {"地址": "鹿城区苍坡村第四组8号", "经度": v.x, "纬度": v.y},  # 4: ok, from the address
        {"村": "苍坡村", "组": "东", "门牌号": "9", "经度": v.x, "纬度": v.y},  # 5: not a group
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, restval="")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "groups.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    report = import_doorplates(path, commit="valid")
    assert (report.created, report.rejected_rows) == (2, [3, 5])
    assert {p.row: p.column for p in report.problems} == {3: "number", 5: "villager_group"}
    assert sorted(Doorplate.objects.filter(village=village).values_list("number_label", flat=True)) == [
        "12号", "3组12号", "4组8号"]
