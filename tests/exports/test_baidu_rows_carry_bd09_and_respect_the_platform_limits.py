import numpy as np
import pytest

from exports import profiles
from exports.services import export_file
from gis.coords import wgs84_to_bd09
from tests.exports.builders import place, read_csv

pytestmark = pytest.mark.django_db


def test_each_baidu_row_is_the_bd09_of_the_stored_point_with_coord_type_3(wenzhou_counties, tmp_path):
    buildings = [place(f"信河{i}号楼", kind="building", shift=i) for i in range(4)]
    result = export_file(profile="baidu", layer="places", out=tmp_path / "places.csv")

    [path] = result.files
    assert path.name == "places.csv"
    rows = read_csv(path)
    assert list(rows[0])[:6] == ["title", "address", "latitude", "longitude", "coord_type", "dm_id"]
    stored = np.array([(b.geom.x, b.geom.y) for b in buildings])
    lon, lat = wgs84_to_bd09(stored[:, 0], stored[:, 1])
    by_id = {row["dm_id"]: row for row in rows}
    for building, x, y in zip(buildings, lon, lat, strict=True):
        row = by_id[str(building.uuid)]
        assert abs(float(row["longitude"]) - x) < 1e-9
        assert abs(float(row["latitude"]) - y) < 1e-9
        assert row["coord_type"] == "3"


def test_a_long_title_is_cut_to_45_characters_with_a_warning(wenzhou_counties, tmp_path):
    long_name = "温州市鹿城区五马街道" * 6 + "大楼"
    building = place(long_name, kind="building")
    result = export_file(profile="baidu", layer="places", out=tmp_path / "places.csv")

    [row] = read_csv(result.files[0])
    assert row["title"] == long_name[:45]
    assert result.warnings.count == 1
    [warning] = result.warnings.items
    assert warning["column"] == "title" and warning["row"] == 1 and warning["record"] == str(building.uuid)
    assert result.warnings_file.exists()
    assert "45" in read_csv(result.warnings_file, "utf-8-sig")[0]["message"]


def test_a_large_export_is_split_into_parts_below_the_size_limit(wenzhou_counties, tmp_path, monkeypatch):
    monkeypatch.setattr(profiles.Baidu, "max_bytes", 2_000)
    for i in range(30):
        place(f"南塘{i}号楼", kind="building", shift=i % 9)
    result = export_file(profile="baidu", layer="places", out=tmp_path / "places.csv", chunk_rows=7)

    assert len(result.files) > 1
    assert [p.name for p in result.files][:2] == ["places.part1.csv", "places.part2.csv"]
    ids = []
    for path in result.files:
        assert path.stat().st_size <= 2_000
        rows = read_csv(path)
        assert list(rows[0])[0] == "title"
        ids += [row["dm_id"] for row in rows]
    assert len(ids) == len(set(ids)) == 30
