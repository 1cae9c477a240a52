"""A real client: GDAL's OAPIF driver (ogrinfo) lists the collections and reads every county, page by page."""

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def ogrinfo(*args: str) -> str:
    if shutil.which("ogrinfo") is None:
        pytest.fail("ogrinfo not found: install gdal-bin (make deps)")
    done = subprocess.run(["ogrinfo", "-ro", *args], capture_output=True, text=True, timeout=120,
                          env={"GDAL_HTTP_TIMEOUT": "30", "PATH": "/usr/bin:/bin", "CPL_DEBUG": "OFF"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ogrinfo_lists_the_collections(live_server, wenzhou_counties):
    out = ogrinfo("-so", f"OAPIF:{live_server.url}/ogc")

    assert "counties (title: 区县) (Multi Polygon)" in out
    assert "villages" in out and "townships" in out


def test_ogrinfo_reads_every_county_with_its_name_across_pages(live_server, wenzhou_counties):
    out = ogrinfo("-oo", "PAGE_SIZE=5", f"OAPIF:{live_server.url}/ogc", "counties")

    assert "Feature Count: 12" in out
    assert out.count("OGRFeature(counties)") == 12
    assert "name (String) = 鹿城区" in out and "code (String) = 330383" in out
    assert "MULTIPOLYGON (((120." in out


def test_ogrinfo_filters_by_a_spatial_box(live_server, wenzhou_counties):
    out = ogrinfo("-spat", "120.59", "27.79", "120.61", "27.81", f"OAPIF:{live_server.url}/ogc", "counties")

    assert "name (String) = 瑞安市" in out
    assert out.count("OGRFeature(counties)") == 1
