import numpy as np
import pytest
from django.db import connection

from exports import sql
from exports.services import export_file
from gis.coords import wgs84_to_bd09, wgs84_to_gcj02
from tests.exports.builders import doorplate, place, read_csv


@pytest.mark.django_db
def test_doorplates_go_to_amap_and_baidu_with_their_address_and_transformed_entrances(wenzhou_counties, tmp_path):
    road = place("解放路")
    plates = [doorplate(road, n, shift=n) for n in (1, 2, 3)]
    doorplate(road, 4, shift=4, status="planned")
    amap = read_csv(export_file(profile="amap", layer="doorplates", out=tmp_path / "a.csv").files[0])
    baidu = read_csv(export_file(profile="baidu", layer="doorplates", out=tmp_path / "b.csv").files[0])

    assert len(amap) == len(baidu) == 3  # installed plates only
    stored = np.array([(p.geom.x, p.geom.y) for p in plates])
    gcj = np.column_stack(wgs84_to_gcj02(stored[:, 0], stored[:, 1]))
    bd = np.column_stack(wgs84_to_bd09(stored[:, 0], stored[:, 1]))
    amap_by_id = {r["dm_id"]: r for r in amap}
    baidu_by_id = {r["dm_id"]: r for r in baidu}
    for plate, (gx, gy), (bx, by) in zip(plates, gcj, bd, strict=True):
        a, b = amap_by_id[str(plate.uuid)], baidu_by_id[str(plate.uuid)]
        assert a["_name"] == b["title"] == f"解放路{plate.number_label}"
        assert a["_address"] == b["address"] == plate.address
        assert abs(float(a["longitude"]) - gx) < 1e-9 and abs(float(a["latitude"]) - gy) < 1e-9
        assert abs(float(b["longitude"]) - bx) < 1e-9 and abs(float(b["latitude"]) - by) < 1e-9
        assert plate.token not in str(a) + str(b)


@pytest.mark.django_db
def test_a_building_s_plate_on_a_road_goes_to_the_platforms_named_as_its_wall_reads(wenzhou_counties, tmp_path):
    """Before, 解放路103号 for the plate of 解放路103号3幢: the buildings of one number shared one title, which no
    longer matched the address."""
    road = place("解放路")
    building = doorplate(road, 103, shift=1, building="3", unit="2", plate_type="building")
    door = doorplate(road, 105, shift=2)
    amap = {r["dm_id"]: r for r in read_csv(export_file(profile="amap", layer="doorplates",
                                                        out=tmp_path / "a.csv").files[0])}
    baidu = {r["dm_id"]: r for r in read_csv(export_file(profile="baidu", layer="doorplates",
                                                         out=tmp_path / "b.csv").files[0])}

    assert amap[str(building.uuid)]["_name"] == baidu[str(building.uuid)]["title"] == "解放路103号3幢2单元"
    assert amap[str(building.uuid)]["_address"].endswith("解放路103号3幢2单元")
    assert amap[str(door.uuid)]["_name"] == "解放路105号"
    assert "road_name" not in amap[str(door.uuid)] and amap[str(door.uuid)]["building"] == ""


@pytest.mark.django_db(transaction=True)
def test_a_raw_sql_update_and_delete_reach_the_feed_and_the_incremental_export(wenzhou_counties, tmp_path):
    road = place("解放路")
    plates = [doorplate(road, n, shift=n) for n in range(1, 6)]
    start = sql.latest_txid()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE doorplates_doorplate SET building = '2' WHERE number <= 2")
        cursor.execute("UPDATE doorplates_doorplate SET status = 'retired' WHERE number = 5")
        cursor.execute("UPDATE doorplates_doorplate SET updated_at = now()")  # no exported change
    result = export_file(profile="amap", layer="doorplates", out=tmp_path / "changes.csv", since=start)

    rows = read_csv(result.files[0])
    assert result.txid == start + 2
    assert sorted((r["dm_op"], r["dm_id"]) for r in rows) == sorted(
        [("update", str(plates[0].uuid)), ("update", str(plates[1].uuid)), ("delete", str(plates[4].uuid))])
    updated = next(r for r in rows if r["dm_id"] == str(plates[0].uuid))
    assert updated["building"] == "2"
