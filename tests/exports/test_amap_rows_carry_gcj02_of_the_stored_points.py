import numpy as np
import pytest

from exports.services import export_file
from gis.coords import wgs84_to_gcj02
from tests.exports.builders import place, read_csv

pytestmark = pytest.mark.django_db


def test_each_amap_row_is_the_gcj02_of_the_stored_point(wenzhou_counties, tmp_path):
    bridges = [place(f"解放{i}桥", kind="bridge", shift=i) for i in range(5)]
    result = export_file(profile="amap", layer="places", out=tmp_path / "places.csv")

    rows = read_csv(result.files[0])
    assert list(rows[0])[:5] == ["_name", "_address", "longitude", "latitude", "dm_id"]
    assert len(rows) == 5
    by_id = {row["dm_id"]: row for row in rows}
    stored = np.array([(b.geom.x, b.geom.y) for b in bridges])
    expected_lon, expected_lat = wgs84_to_gcj02(stored[:, 0], stored[:, 1])
    for bridge, lon, lat in zip(bridges, expected_lon, expected_lat, strict=True):
        row = by_id[str(bridge.uuid)]
        assert abs(float(row["longitude"]) - lon) < 1e-9
        assert abs(float(row["latitude"]) - lat) < 1e-9
        assert row["_name"] == bridge.name
        assert row["_address"].startswith("浙江省温州市鹿城区")


def test_a_road_goes_to_amap_as_the_middle_of_its_line(wenzhou_counties, tmp_path):
    road = place("解放路")
    result = export_file(profile="amap", layer="roads", out=tmp_path / "roads.csv")

    [row] = read_csv(result.files[0])
    # SELECT ST_LineInterpolatePoint(geom, 0.5) FROM placenames_place
    middle = road.geom.interpolate_normalized(0.5)
    lon, lat = wgs84_to_gcj02(middle.x, middle.y)
    assert abs(float(row["longitude"]) - lon) < 1e-9
    assert abs(float(row["latitude"]) - lat) < 1e-9
