"""Plates in a village or a residential area are found like road plates (autocomplete, forward and reverse
geocoding), go to Amap, Baidu and the change feed with their base, open their public QR page, come in through the
import with row-by-row errors, and are built by the demo."""

import csv
import io
import json

import pytest

from boundaries.demo import DemoContext
from doorplates import search, services
from doorplates.demo import build_base_plates
from doorplates.importing import import_doorplates
from doorplates.models import Doorplate
from exports import feed
from exports import sql as feed_sql
from exports.services import export_file
from exports.sources import Filters
from placenames import checking
from placenames.demo_bases import build_bases
from placenames.models import CheckFlag, Place
from tests.base import lucheng_officer
from tests.doorplates.builders import lonlat_at, make_base, make_base_plate, make_road
from tests.exports.builders import read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def bases(wenzhou_counties):
    village = make_base("苍坡村", (120.655, 28.010), kind="village")
    natural = make_base("下岙", (120.645, 28.010), kind="village", generic="自然村")
    estate = make_base("翠微小区", (120.660, 28.020), kind="residential", radius=0.001)
    road = make_road("解放街")
    return {
        "village": village, "natural": natural, "estate": estate, "road": road,
        "v12": make_base_plate(village, 12), "v12-1": make_base_plate(village, "12号之一", offset=(0.0002, 0)),
        "v13": make_base_plate(village, 13, offset=(0.0004, 0)), "n3": make_base_plate(natural, 3),
        "b3": make_base_plate(estate, building="3", plate_type="building"),
        "r501": make_base_plate(estate, building="3", unit="2", room="501", plate_type="room",
                                offset=(0.0001, 0.0001)),
        "e5": make_base_plate(estate, 5, offset=(-0.0003, 0)),
    }


def addresses(rows):
    return [r["address"] for r in rows]


def test_autocomplete_and_geocoding_find_the_plates_of_every_base(bases):
    officer = lucheng_officer()
    assert addresses(search.autocomplete("苍坡村12", officer)) == [bases["v12"].address, bases["v12-1"].address]
    assert addresses(search.autocomplete("cangpocun13", officer)) == [bases["v13"].address]
    assert addresses(search.autocomplete("cangpo1", officer)) == [bases["v12"].address, bases["v12-1"].address,
                                                                 bases["v13"].address]  # a part of the name, digits
    assert addresses(search.autocomplete("下岙3号", officer)) == [bases["n3"].address]
    assert addresses(search.autocomplete("翠微小区3幢2单元501", officer)) == [bases["r501"].address]
    assert addresses(search.autocomplete("cwxq3-2-501", officer)) == [bases["r501"].address]
    found = search.autocomplete("鹿城区翠微小区", officer)
    assert {r["base_kind"] for r in found} == {"residential"} and len(found) == 3

    # Forward geocoding resolves each base, reverse geocoding names it.
    village = search.geocode("浙江省温州市鹿城区苍坡村12号之一", officer)
    assert (village.precision, village.plates, village.checks["base"]) == ("plate", [bases["v12-1"]], "ok")
    assert village.as_dict()["components"]["base_kind"] == "village"
    natural = search.geocode("鹿城区下岙3号", officer)  # a natural village known by name only
    assert natural.plates == [bases["n3"]]
    room = search.geocode("鹿城区翠微小区三幢二单元501室", officer)
    assert room.plates == [bases["r501"]] and room.as_dict()["components"]["number"] == ""
    unit_missing = search.geocode("鹿城区翠微小区3幢", officer)
    assert unit_missing.plates == [bases["b3"]]
    nowhere = search.geocode("鹿城区苍坡村99号", officer)
    assert (nowhere.precision, nowhere.checks["number"]) == ("base", "not_found")
    assert search.geocode("鹿城区横坑村1号", officer).checks["base"] == "not_found"

    here = bases["r501"].geom
    nearest = search.nearest(here.x, here.y, officer, k=1)[0]
    assert (nearest["uuid"], nearest["base_kind"], nearest["base"]) == (str(bases["r501"].uuid), "residential",
                                                                        "翠微小区")


def test_amap_baidu_and_the_qr_page_carry_every_base_with_its_name_and_number(client, bases, tmp_path):
    amap = {r["dm_id"]: r for r in read_csv(export_file(profile="amap", layer="doorplates",
                                                        out=tmp_path / "a.csv").files[0])}
    baidu = {r["dm_id"]: r for r in read_csv(export_file(profile="baidu", layer="doorplates",
                                                         out=tmp_path / "b.csv").files[0])}
    for key, name, kind in (("v12-1", "苍坡村12号之一", "village"), ("n3", "下岙3号", "village"),
                            ("r501", "翠微小区3幢2单元501室", "residential"), ("e5", "翠微小区5号", "residential")):
        plate = bases[key]
        a, b = amap[str(plate.uuid)], baidu[str(plate.uuid)]
        assert a["_name"] == b["title"] == name
        assert a["_address"] == b["address"] == plate.address
        assert a["base_kind"] == b["base_kind"] == kind

    # The public QR page names the base and its pinyin, and shows a flat's parts once: they are its number.
    page = client.get(f"/d/{bases['r501'].token}").content.decode()
    assert bases["r501"].address in page and bases["estate"].pinyin in page
    assert '<p class="number">3幢2单元501室</p>' in page
    village_page = client.get(f"/d/{bases['v12'].token}").content.decode()
    assert "苍坡村12号" in village_page and bases["village"].pinyin in village_page


@pytest.mark.django_db(transaction=True)
def test_the_change_feed_carries_a_residential_plate_with_its_base_and_a_village_plate_with_its_group(wenzhou_counties):
    estate = make_base("翠微小区", (120.660, 28.020), kind="residential", radius=0.001)
    plate = make_base_plate(estate, building="3", unit="2", room="501", plate_type="room")
    grouped = make_base_plate(make_base("苍坡村", (120.655, 28.010), kind="village"), 12)
    grouped.villager_group = 3  # a village numbered within its villager groups (村民小组)
    grouped.refresh_text()
    grouped.save()
    lines = [json.loads(line) for block in feed.snapshot_lines("doorplates", feed_sql.latest_txid(), Filters())
             for line in block.splitlines()]
    room = next(r for r in lines if r.get("id") == str(plate.uuid))["properties"]
    assert (room["base_kind"], room["road_name"], room["number_label"], room["room"], room["villager_group"]) == (
        "residential", "翠微小区", "3幢2单元501室", "501", 0)
    village = next(r for r in lines if r.get("id") == str(grouped.uuid))["properties"]
    assert (village["villager_group"], village["road_name"], village["number_label"], village["address"]) == (
        3, "苍坡村", "3组12号", "浙江省温州市鹿城区滨江街道苍坡村3组12号")


HEADER = ["道路", "村", "小区", "门牌号", "幢", "单元", "室", "类型", "经度", "纬度", "地址"]


def _csv(path, rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, restval="")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_the_import_takes_village_and_residential_rows_and_rejects_bad_ones_row_by_row(bases, tmp_path):
    v = bases["village"].geom.centroid
    e = bases["estate"].geom.centroid
    lon, lat = lonlat_at(bases["road"], 100, 10)
    rows = [
        {"村": "苍坡村", "门牌号": "20", "经度": v.x, "纬度": v.y},  # 2: ok
        {"小区": "翠微小区", "幢": "4", "单元": "1", "室": "101", "类型": "户室牌", "经度": e.x, "纬度": e.y},  # 3
        {"地址": "鹿城区苍坡村21号", "经度": v.x, "纬度": v.y},  # 4: ok, from the address
        {"村": "横坑村", "门牌号": "1", "经度": v.x, "纬度": v.y},  # 5: no such village
        {"村": "苍坡村", "道路": "解放街", "门牌号": "2", "经度": lon, "纬度": lat},  # 6: two bases
        {"小区": "翠微小区", "经度": e.x, "纬度": e.y},  # 7: neither number nor building
        {"村": "苍坡村", "门牌号": "12", "经度": v.x, "纬度": v.y},  # 8: already registered
        {"小区": "翠微小区", "门牌号": "9", "经度": v.x, "纬度": v.y},  # 9: far from the residential area
        {"村": "苍坡村", "门牌号": "20", "经度": v.x, "纬度": v.y},  # 10: repeats line 2
    ]
    report = import_doorplates(_csv(tmp_path / "bases.csv", rows), commit="valid")
    assert report.committed and report.created == 3
    assert report.rejected_rows == [5, 6, 7, 8, 9, 10]
    columns = {p.row: p.column for p in report.problems}
    assert columns == {5: "village", 6: "village", 7: "number", 8: "number", 9: "residential_area", 10: "number"}
    room = Doorplate.objects.get(residential_area=bases["estate"], building="4")
    assert (room.number, room.number_label, room.base_kind) == (None, "4幢1单元101室", "residential")
    assert Doorplate.objects.filter(village=bases["village"], number__in=(20, 21)).count() == 2


def test_the_demo_builds_villages_natural_villages_and_residential_areas_with_their_plates(wenzhou_counties):
    ctx = DemoContext(scale=0.05, seed=330300, log=lambda message: None)
    build_bases(ctx)
    build_base_plates(ctx)
    assert ctx.data["base_plates"] == Doorplate.objects.count() > 0
    kinds = set(Doorplate.objects.values_list("base_kind", "plate_type").distinct())
    assert {("village", "door"), ("residential", "building"), ("residential", "unit"),
            ("residential", "room")} <= kinds
    assert Doorplate.objects.filter(village__names__generic="自然村").exists()
    natural = Place.objects.filter(names__generic="自然村").values_list("name", "pinyin")
    assert [(n, p) for n, p in natural if " " in p] == []  # a natural village is one word (1984 rules art. 3)
    assert checking.flag_split_natural_villages(Place.objects, CheckFlag.objects) == 0
    for kind, field in (("village", "village"), ("residential", "residential_area")):
        for base in {getattr(p, field) for p in Doorplate.objects.filter(base_kind=kind).select_related(field)[:40]}:
            counts = services.check_base(kind, base).counts()
            assert counts["duplicate"] == counts["gap"] == counts["too_far"] == 0, base.name
