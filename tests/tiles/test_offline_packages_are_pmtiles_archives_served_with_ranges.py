"""manage.py export_pmtiles writes an area's public tiles into a PMTiles archive; the site serves archives with
HTTP Range, as MapLibre's pmtiles protocol reads them."""

import gzip
from io import StringIO

import mapbox_vector_tile
import pytest
from django.core.management import CommandError, call_command
from pmtiles.reader import MmapSource, Reader
from pmtiles.tile import Compression, TileType

from tests.base import LUCHENG_POINT
from tests.tiles.builders import decode, tile_at, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def export(*args):
    out = StringIO()
    call_command("export_pmtiles", *args, stdout=out)
    return out.getvalue()


def test_an_archive_holds_the_tiles_the_site_serves_for_the_area(client, wenzhou, media):
    export("--area", "330302", "--zooms", "10-12", "--layers", "counties,villages")

    path = media / "pmtiles" / "330302.pmtiles"
    with path.open("rb") as handle:
        reader = Reader(MmapSource(handle))
        header = reader.header()
        z, x, y = tile_at(*LUCHENG_POINT, 12)
        packed = reader.get(z, x, y)
        assert (header["min_zoom"], header["max_zoom"]) == (10, 12)
        assert header["tile_type"] == TileType.MVT and header["tile_compression"] == Compression.GZIP
        assert [layer["id"] for layer in reader.metadata()["vector_layers"]] == ["counties", "villages"]
        assert reader.get(*tile_at(120.0, 27.5, 12)) is None, "a tile outside 鹿城区 is not in its package"
    served = client.get(url("counties,villages", z, x, y))
    assert decode(gzip.decompress(packed)) == decode(served)
    assert {f["properties"]["name"] for f in decode(gzip.decompress(packed))["counties"]} >= {"鹿城区"}


def test_the_site_serves_byte_ranges_of_an_archive(client, wenzhou_counties, media):
    export("--area", "330302", "--zooms", "8-9", "--layers", "counties")
    whole = (media / "pmtiles" / "330302.pmtiles").read_bytes()

    head = client.get("/tiles/pmtiles/330302.pmtiles", HTTP_RANGE="bytes=0-126")
    tail = client.get("/tiles/pmtiles/330302.pmtiles", HTTP_RANGE="bytes=-10")
    full = client.get("/tiles/pmtiles/330302.pmtiles")

    assert head.status_code == 206 and head.content == whole[:127] and head.content.startswith(b"PMTiles\x03")
    assert head["Content-Range"] == f"bytes 0-126/{len(whole)}"
    assert tail.status_code == 206 and tail.content == whole[-10:]
    assert full.status_code == 200 and full.content == whole and full["Accept-Ranges"] == "bytes"
    assert client.get("/tiles/pmtiles/330302.pmtiles", HTTP_RANGE=f"bytes={len(whole) + 5}-").status_code == 416
    assert client.get("/tiles/pmtiles/nosuch.pmtiles").status_code == 404
    endless = client.get("/tiles/pmtiles/330302.pmtiles", HTTP_RANGE="bytes=" + "9" * 5000 + "-")
    assert endless.status_code == 200 and endless.content == whole  # no file is that large: the range is none


def test_a_bad_area_or_zoom_range_is_refused_with_a_clear_message(wenzhou_counties, media):
    with pytest.raises(CommandError, match="330399"):
        export("--area", "330399", "--zooms", "10-12")
    with pytest.raises(CommandError, match="0–22"):
        export("--area", "330302", "--zooms", "12-30")
    with pytest.raises(CommandError, match="10-17"):
        export("--area", "330302", "--zooms", "ten")


def test_packed_tiles_decode_as_vector_tiles(wenzhou_counties, media):
    export("--area", "330329", "--zooms", "9", "--layers", "counties")

    with (media / "pmtiles" / "330329.pmtiles").open("rb") as handle:
        reader = Reader(MmapSource(handle))
        tile = reader.get(*tile_at(119.85, 27.50, 9))
    names = {f["properties"]["name"] for f in mapbox_vector_tile.decode(gzip.decompress(tile))["counties"]["features"]}
    assert "泰顺县" in names
