"""`manage.py viewshed`: end to end on a hand-made DEM and on the real SRTM tile; bad inputs are told plainly."""

import numpy as np
import pytest
import rasterio
from affine import Affine
from django.core.management import CommandError, call_command
from django.utils import translation
from pyproj import Transformer

from cemeteries.viewshed import HIDDEN, OUTSIDE, VISIBLE

WALLED = Affine(10.0, 0, 500_000, 0, -10.0, 3_000_000)
TO_LONLAT = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True)


@pytest.fixture
def walled_dem(tmp_path):
    heights = np.zeros((41, 41), dtype="float32")
    heights[15, :] = 10.0
    path = tmp_path / "walled.tif"
    with rasterio.open(path, "w", driver="GTiff", width=41, height=41, count=1, dtype="float32", crs="EPSG:4549",
                       transform=WALLED) as dst:
        dst.write(heights, 1)
    return path


def observer_at(row, col):
    lon, lat = TO_LONLAT.transform(*(WALLED @ (col + 0.5, row + 0.5)))
    return f"{lon:.9f},{lat:.9f}"


def run(*args):
    call_command("viewshed", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_command_writes_a_readable_geotiff(walled_dem, tmp_path):
    out = tmp_path / "seen.tif"
    run("--dem", str(walled_dem), "--observer", observer_at(20, 20), "--observer-height", "1.6", "--target-height",
        "0", "--radius", "150", "--curvature", "0", "--out", str(out))
    with rasterio.open(out) as seen:
        assert seen.crs.to_epsg() == 4549 and seen.nodata == OUTSIDE
        values = seen.read(1)
        col, row = (int(v) for v in ~seen.transform @ (WALLED @ (20.5, 20.5)))
    assert values.shape == (31, 31) and (row, col) == (15, 15)
    rows, cols = np.mgrid[0:31, 0:31]
    inside = np.hypot(rows - 15, cols - 15) * 10 <= 150
    want = np.where(inside, np.where(rows >= 10, VISIBLE, HIDDEN), OUTSIDE)  # the wall is row 10 here
    assert np.array_equal(values, want)


@pytest.mark.parametrize(("args", "message"), [
    (["--dem", "/nowhere/dem.tif"], "The DEM file /nowhere/dem.tif does not exist."),
    (["--observer", "north"], "The observer must be a longitude and a latitude"),
    (["--observer", "121.5,27.1"], "The observer stands outside the DEM"),
    (["--radius", "far"], "--radius must be a number."),
    (["--radius", "-5"], "The radius must be more than 0 metres."),
    (["--observer-height", "nan"], "--observer-height must be a number."),
    (["--out", "/nowhere/seen.tif"], "The folder of /nowhere/seen.tif does not exist."),
])
def test_bad_inputs_are_told_without_a_traceback(walled_dem, tmp_path, args, message):
    given = {"--dem": str(walled_dem), "--observer": observer_at(20, 20), "--radius": "100",
             "--out": str(tmp_path / "seen.tif"), **dict(zip(args[::2], args[1::2], strict=True))}
    with translation.override("en"), pytest.raises(CommandError) as told:
        run(*[part for pair in given.items() for part in pair])
    assert message in str(told.value)


def test_a_text_file_is_not_a_dem_and_the_message_is_chinese_too(tmp_path):
    text = tmp_path / "notes.tif"
    text.write_text("not a raster")
    with translation.override("zh-hans"), pytest.raises(CommandError) as told:
        run("--dem", str(text), "--observer", "120,27.1", "--radius", "100", "--out", str(tmp_path / "o.tif"))
    assert "无法作为栅格读取" in str(told.value)


def test_the_real_srtm_tile_is_reprojected_and_seen(shared_data, tmp_path):
    out = tmp_path / "seen.tif"
    run("--dem", str(shared_data / "N27E119.hgt"), "--observer", "119.75,27.55", "--observer-height", "1.6",
        "--radius", "3000", "--out", str(out))
    with rasterio.open(out) as seen:
        assert seen.crs.to_epsg() == 4549
        assert abs(seen.transform.a) == pytest.approx(92.77, abs=0.01)  # 3 arc-seconds of latitude
        values = seen.read(1)
    assert (values == VISIBLE).sum() > 10 and (values == HIDDEN).sum() > 10
