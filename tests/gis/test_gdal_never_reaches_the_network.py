"""GDAL's network is off in every process (gis.gdal_files.lock_down, run when the apps load), and an upload is
opened only by the driver its format names: a VRT dressed as a GeoPackage reads neither a local file nor a URL."""

import pytest
from django.contrib.gis.gdal import DataSource, GDALException, SpatialReference

from gis import gdal_files
from gis.errors import InputError
from tests.hostile import SECRET, loopback_server, secret_file, vrt


def _read(source) -> str:
    try:
        data = DataSource(source)
        return " ".join(str(feature.get("road")) for feature in data[0])
    except (GDALException, IndexError):
        return ""


@pytest.mark.parametrize("path", ["/vsicurl/{url}/leak.geojson", "/vsicurl/{url}/x.network-access-is-off",
                                  "/vsicurl?url={url}/leak.geojson", "{url}/leak.geojson",
                                  "GeoJSON:{url}/leak.geojson", "/vsigzip//vsicurl/{url}/leak.gz"])
def test_no_driver_or_virtual_file_system_fetches_a_url(path):
    with loopback_server() as (url, requests):
        assert SECRET not in _read(path.format(url=url))
    assert requests == []


def test_a_vrt_opened_by_gdal_itself_cannot_fetch_its_source(tmp_path):
    with loopback_server() as (url, requests):
        target = tmp_path / "plates.vrt"
        target.write_text(vrt(f"{url}/leak.geojson", "OGRGeoJSON"))
        assert SECRET not in _read(str(target))
    assert requests == []


def test_a_spatial_reference_url_is_not_fetched():
    with loopback_server() as (url, requests):
        with pytest.raises(Exception):  # noqa: B017 - GDAL's own error; what matters is that nothing was fetched
            SpatialReference(f"{url}/4490.wkt")
    assert requests == []


@pytest.mark.parametrize("target", ["local", "url"])
def test_a_vrt_dressed_as_a_geopackage_is_refused_before_gdal_reads_it(tmp_path, target):
    with loopback_server() as (url, requests):
        source = f"CSV:{secret_file(tmp_path)}" if target == "local" else f"{url}/leak.geojson"
        upload = tmp_path / "plates.gpkg"
        upload.write_text(vrt(source, "leak" if target == "local" else "OGRGeoJSON"))
        with pytest.raises(InputError) as error:
            gdal_files.open_vector(upload, "gpkg", label="门牌.gpkg")
    assert error.value.code == "wrong_format" and "门牌.gpkg" in str(error.value)
    assert str(tmp_path) not in str(error.value)
    assert requests == []


@pytest.mark.parametrize("crs", ['{"type": "link", "properties": {"href": "%s/4490.wkt", "type": "ogcwkt"}}',
                                 '{"type": "name", "properties": {"name": "%s/4490.wkt"}}'])
def test_a_geojson_geometry_with_a_remote_crs_fetches_nothing(crs):
    """GEOSGeometry reads GeoJSON through OGR (as rest_framework_gis does for an API's geometry field)."""
    from django.contrib.gis.geos import GEOSGeometry
    from django.core.exceptions import SuspiciousOperation

    with loopback_server() as (url, requests):
        text = '{"type": "Point", "coordinates": [120.65, 28.01], "crs": %s}' % (crs % url)
        with pytest.raises(SuspiciousOperation):
            GEOSGeometry(text)
    assert requests == []
