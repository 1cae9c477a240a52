"""Z and M values are dropped, and the notes say so."""

from gis.intake import intake_geometry


def test_z_values_in_geojson_are_dropped_with_a_note():
    result = intake_geometry({"type": "LineString", "coordinates": [[120.7, 28.0, 12.5], [120.8, 28.1, 13.0]]})
    assert not result.geometry.hasz
    assert result.geometry.coords == ((120.7, 28.0), (120.8, 28.1))
    assert [str(n) for n in result.notes] == ["已丢弃 Z/M 值，只保存平面坐标"]


def test_zm_values_in_wkt_are_dropped_with_a_note():
    result = intake_geometry("POINT ZM (120.7 28.0 5 7)", crs=4490)
    assert result.geometry.coords == (120.7, 28.0) and len(result.notes) == 1


def test_a_2d_geometry_gets_no_note():
    assert intake_geometry("POINT (120.7 28.0)", crs=4490).notes == []
