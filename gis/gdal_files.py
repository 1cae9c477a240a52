"""GDAL on files users upload: network access off for the whole process, and a file opened only by the driver its
format names.

A file GDAL is free to interpret is a program: an OGR VRT (whatever its name) opens any other datasource, a local
file through ``CSV:/proc/self/status`` or a URL through the GeoJSON driver or ``/vsicurl/``. So an upload is opened
with ``GDALOpenEx`` and an allowed-drivers list of one, after its first bytes showed it is that format, and GDAL's
network is switched off once per process (``lock_down``), which this GDAL (3.6) allows through three settings that
each block a route by themselves (verified in tests/gis/test_gdal_never_reaches_the_network.py):

- an HTTP fetch callback that refuses every request ``CPLHTTPFetch`` would make (drivers, SRS URLs);
- ``CPL_VSIL_CURL_ALLOWED_FILENAME`` set to a name no ``/vsicurl/``, ``/vsis3/``… path can have;
- ``GDAL_HTTP_PROXY`` and ``GDAL_HTTPS_PROXY`` pointing at a closed port, for any curl handle left.

GDAL before 3.9 cannot keep ``SpatialReference(text)`` from reading a file or URL (Django's gis.W001): no text from
a user reaches it here (gis.crs.parse_crs knows its CRSs by name and SRID), and its URLs meet the closed network.
"""

from __future__ import annotations

import contextlib
import ctypes
import re
import sqlite3
from pathlib import Path

from django.utils.translation import gettext as _

from gis.errors import InputError

# A format the product reads -> (GDAL driver, the bytes its files start with).
FORMATS = {"gpkg": ("GPKG", b"SQLite format 3\x00")}
NETWORK_OFF = {
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "network-access-is-off",  # never equal to a /vsicurl/... path
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".network-access-is-off",
    "GDAL_HTTP_PROXY": "127.0.0.1:9",
    "GDAL_HTTPS_PROXY": "127.0.0.1:9",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_MAX_RETRY": "0",
    "CPL_VSIL_ZIP_ALLOWED_EXTENSIONS": ".network-access-is-off",
}

VIRTUAL_TABLE = re.compile(r"\bvirtual\s+table\b.*?\busing\s+\"?(\w+)", re.IGNORECASE | re.DOTALL)
_FETCH = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                          ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
_callback = None  # kept alive for as long as GDAL may call it
CPLHTTPRESULT_SIZE = 128  # larger than CPLHTTPResult (9 members); GDAL frees it with CPLHTTPDestroyResult


def lock_down() -> None:
    """Switches GDAL's network off in this process; idempotent, and cheap after the first call."""
    global _callback
    if _callback is not None:
        return
    from django.contrib.gis.gdal.libgdal import lgdal

    lgdal.CPLSetConfigOption.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    for name, value in NETWORK_OFF.items():
        lgdal.CPLSetConfigOption(name.encode(), value.encode())
    lgdal.VSICalloc.restype = ctypes.c_void_p
    lgdal.VSICalloc.argtypes = [ctypes.c_size_t, ctypes.c_size_t]

    def refuse(url, *args):
        result = lgdal.VSICalloc(1, CPLHTTPRESULT_SIZE)
        if result:
            ctypes.c_int.from_address(result).value = 1  # nStatus: the fetch failed, no data
        return result

    callback = _FETCH(refuse)
    lgdal.CPLHTTPSetFetchCallback.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    lgdal.CPLHTTPSetFetchCallback(ctypes.cast(callback, ctypes.c_void_p), None)
    _callback = callback


def open_vector(path: Path, fmt: str, *, label: str = ""):
    """A Django DataSource over ``path`` opened by the one driver of ``fmt``, or an InputError that names the file
    by ``label`` (never by its place on the server)."""
    from django.contrib.gis.gdal import DataSource, GDALException
    from django.contrib.gis.gdal.driver import Driver
    from django.contrib.gis.gdal.prototypes import ds as capi

    lock_down()
    driver, magic = FORMATS[fmt]
    label = label or Path(path).name
    with open(path, "rb") as f:
        head = f.read(len(magic))
    if head != magic:
        raise InputError(_("%(file)s is not a %(format)s file.") % {"file": label, "format": driver},
                         code="wrong_format")
    if fmt == "gpkg":
        _refuse_virtual_tables(path, label)
    Driver.ensure_registered()
    allowed = (ctypes.c_char_p * 2)(driver.encode(), None)
    no_siblings = (ctypes.c_char_p * 1)(None)
    try:
        handle = capi.open_ds(str(path).encode(), capi.GDAL_OF_READONLY | capi.GDAL_OF_VECTOR, allowed, None,
                              no_siblings)
    except GDALException:
        handle = None
    if not handle:
        raise InputError(_("%(file)s cannot be read as %(format)s.") % {"file": label, "format": driver},
                         code="unreadable_file")
    return DataSource(handle, capi.get_dataset_driver(handle))


def _refuse_virtual_tables(path: Path, label: str) -> None:
    """A GeoPackage is an SQLite database: a virtual table other than its R*Tree index (VirtualOGR, VirtualShape,
    VirtualXL...) would read other files."""
    try:
        with sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro&immutable=1", uri=True) as db:
            db.execute("PRAGMA trusted_schema = OFF")
            schema = [sql or "" for (sql,) in db.execute("SELECT sql FROM sqlite_master")]
    except sqlite3.DatabaseError as exc:
        raise InputError(_("%(file)s cannot be read as %(format)s.") % {"file": label, "format": "GPKG"},
                         code="unreadable_file") from exc
    modules = {m.lower() for sql in schema for m in VIRTUAL_TABLE.findall(sql)}
    if modules - {"rtree"}:  # a GeoPackage's spatial index is an R*Tree, SQLite's own
        raise InputError(_("%(file)s refers to other files or services; upload a plain GeoPackage.")
                         % {"file": label}, code="external_reference")


# -- rasters (DEMs) ------------------------------------------------------------------------------------------------
# GDAL raster driver -> the first bytes its files may start with (an SRTM .hgt has none: its name and size say it).
TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # TIFF and BigTIFF, either byte order
HGT_NAME = re.compile(r"^[NS]\d{2}[EW]\d{3}\.hgt$", re.IGNORECASE)
HGT_SIZES = {2 * 1201 * 1201, 2 * 3601 * 3601}  # SRTM 3" and 1" tiles of 16-bit heights


def raster_driver(path: Path, *, label: str = "") -> str:
    """The one GDAL driver that may open the raster at ``path`` (GTiff or SRTMHGT), judged by its bytes and, for an
    .hgt that has no header, by its name and size; an InputError otherwise."""
    path = Path(path)
    label = label or path.name
    if str(path).startswith("/vsi") or "://" in str(path):
        raise InputError(_("%(file)s is not a file on this server.") % {"file": label}, code="not_a_file")
    try:
        with open(path, "rb") as f:
            head = f.read(4)
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(_("%(file)s cannot be read.") % {"file": label}, code="unreadable_file") from exc
    if head in TIFF_MAGIC:
        return "GTiff"
    if HGT_NAME.match(path.name) and size in HGT_SIZES:
        return "SRTMHGT"
    raise InputError(_("%(file)s is neither a GeoTIFF nor an SRTM .hgt tile.") % {"file": label},
                     code="wrong_format")


@contextlib.contextmanager
def open_raster(path: Path, *, label: str = ""):
    """A rasterio dataset over ``path`` opened only by the driver its format names, with GDAL's network off (rasterio
    carries a GDAL of its own, so the options go through ``rasterio.Env``)."""
    import rasterio
    from rasterio.errors import RasterioIOError

    driver = raster_driver(path, label=label)
    label = label or Path(path).name
    with rasterio.Env(**NETWORK_OFF, GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR"):
        try:
            dataset = rasterio.open(path, driver=driver)
        except RasterioIOError as exc:
            raise InputError(_("%(file)s cannot be read as %(format)s.") % {"file": label, "format": driver},
                             code="unreadable_file") from exc
        with dataset:
            yield dataset
