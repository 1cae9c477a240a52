"""Offline packages (离线地图包): a PMTiles archive of an admin area's public tiles, for tablets in the field.

The tiles are the very ones the site serves (public variant, through the tile cache), gzip-compressed, written in
tile-id order with the ``pmtiles`` package's writer; tiles that do not touch the area's outline or carry nothing are
left out. The site serves the archives from MEDIA_ROOT/pmtiles/ with HTTP Range for MapLibre's pmtiles protocol.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _
from pmtiles.reader import MmapSource, Reader
from pmtiles.tile import Compression, MagicNumberNotFound, SpecVersionUnsupported, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from boundaries.models import AdminArea
from core.durable import sync_folder
from gis.errors import InputError, NotFound
from tiles import services
from tiles.access import Viewer, resolve
from tiles.sql import LABEL_POINT, has_label_points

ZOOMS = re.compile(r"^(\d{1,2})(?:-(\d{1,2}))?$")
MAX_TILES = 2_000_000
DEFAULT_ZOOMS = (10, 17)
# What a package holds, kept in its metadata as "diming_format". 2: areas carry their label points (tiles.sql
# LABEL_POINT), where the style labels them; a package without (1, made before them) draws its villages and counties
# unlabelled, so the worker builds it again (tiles.jobs.renew_packages).
ARCHIVE_FORMAT = 2

# The tiles of zoom z whose envelope meets the area's outline (EPSG:3857), from the outline's bounding tiles.
TILES_OF_AREA = """
WITH a AS (SELECT geom_3857 AS g, %(z)s::int AS z, 20037508.342789244 AS half FROM boundaries_adminarea WHERE id = %(id)s),
r AS (SELECT g, z, half * 2 / (1 << z) AS size, half FROM a)
SELECT x, y FROM r,
  generate_series(floor((ST_XMin(g) + half) / size)::int, floor((ST_XMax(g) + half) / size)::int) AS x,
  generate_series(floor((half - ST_YMax(g)) / size)::int, floor((half - ST_YMin(g)) / size)::int) AS y
WHERE ST_Intersects(ST_TileEnvelope(z, x, y), g)
"""


@dataclass
class ExportResult:
    path: Path
    tiles: int
    written: int
    size: int


def archive_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "pmtiles"


def archive_path(name: str) -> Path:
    return archive_dir() / f"{name}.pmtiles"


@dataclass(frozen=True)
class Archive:
    """A package on the server as its own header and metadata describe it; ``format`` 0 when it cannot be read."""

    name: str
    zooms: tuple[int, int]
    format: int
    made: dt.datetime


def read_archive(path: Path) -> Archive:
    made = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
    try:
        with path.open("rb") as handle:
            reader = Reader(MmapSource(handle))
            header, metadata = reader.header(), reader.metadata()
        zooms = (int(header["min_zoom"]), int(header["max_zoom"]))
        found = metadata.get("diming_format", 1) if isinstance(metadata, dict) else 0
        version = found if type(found) is int else 0
    except (OSError, ValueError, KeyError, TypeError, EOFError, IndexError, gzip.BadGzipFile, json.JSONDecodeError,
            MagicNumberNotFound, SpecVersionUnsupported):
        return Archive(path.stem, DEFAULT_ZOOMS, 0, made)  # truncated or damaged: no use to a tablet either
    return Archive(path.stem, zooms, version, made)


def outdated_archives() -> list[Archive]:
    """The packages on the server in an older format than ARCHIVE_FORMAT, or unreadable."""
    found = []
    for name in archive_names():
        try:
            archive = read_archive(archive_path(name))
        except FileNotFoundError:
            continue  # replaced or removed meanwhile
        if archive.format < ARCHIVE_FORMAT:
            found.append(archive)
    return found


def archive_names() -> list[str]:
    folder = archive_dir()
    return sorted(p.stem for p in folder.glob("*.pmtiles")) if folder.is_dir() else []


def parse_zooms(text: str) -> tuple[int, int]:
    match = ZOOMS.match(text.strip())
    if not match:
        raise InputError(_("A zoom range is written like 10-17: %(text)s.") % {"text": text[:20]}, code="invalid_zooms", where={"zooms": text[:20]})
    low, high = int(match[1]), int(match[2] or match[1])
    if not 0 <= low <= high <= 22:
        raise InputError(_("The zoom range %(low)s-%(high)s is not within 0–22.") % {"low": low, "high": high}, code="invalid_zooms", where={"zooms": text})
    return low, high


def tiles_of(area: AdminArea, zooms: tuple[int, int]) -> list[tuple[int, int, int]]:
    found = []
    with connection.cursor() as cursor:
        for z in range(zooms[0], zooms[1] + 1):
            cursor.execute(TILES_OF_AREA, {"z": z, "id": area.pk})
            found.extend((z, x, y) for x, y in cursor.fetchall())
            if len(found) > MAX_TILES:
                raise InputError(_("The package would hold more than %(max)s tiles: choose a smaller area or zoom range.")
                                 % {"max": MAX_TILES}, code="too_many_tiles",
                                 where={"area": area.code, "zoom": z})
    return sorted(found, key=lambda t: zxy_to_tileid(*t))


def export_area(area_code: str, zooms: tuple[int, int], layer_names: str | None = None, out: Path | None = None,
                progress: Callable[[int, int], None] | None = None) -> ExportResult:
    area = AdminArea.objects.filter(code=area_code).exclude(geom=None).first()
    if area is None:
        raise NotFound(_("No administrative area with a boundary has the code %(code)s.") % {"code": area_code}, code="unknown_area", where={"area": area_code})
    viewer = Viewer()
    names = layer_names or ",".join(layer.name for layer in viewer.visible_layers())
    layers = resolve(names, viewer)
    addresses = tiles_of(area, zooms)
    out = out or archive_path(area.code)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    written = 0
    try:
        with partial.open("wb") as handle:
            writer = Writer(handle)
            for done, (z, x, y) in enumerate(addresses, start=1):
                tile = services.get_tile(layers, z, x, y)
                if not tile.empty:
                    writer.write_tile(zxy_to_tileid(z, x, y), tile.body)  # gzip, as the header declares
                    written += 1
                if progress and done % 500 == 0:
                    progress(done, len(addresses))
            if not written:
                raise InputError(_("The area has no features at the zoom levels chosen."), code="empty_export", where={"area": area_code})
            writer.finalize(_header(area, zooms), _metadata(area, layers.views))
            handle.flush()
            os.fsync(handle.fileno())  # a power cut after the rename leaves the whole package, never an empty one
    except BaseException:
        partial.unlink(missing_ok=True)  # an empty, failed or cancelled package leaves nothing behind
        raise
    os.replace(partial, out)
    sync_folder(out.parent)
    return ExportResult(out, len(addresses), written, out.stat().st_size)


def _header(area: AdminArea, zooms: tuple[int, int]) -> dict:
    minx, miny, maxx, maxy = area.geom.extent
    return {
        "tile_type": TileType.MVT, "tile_compression": Compression.GZIP,
        "min_lon_e7": int(minx * 1e7), "min_lat_e7": int(miny * 1e7),
        "max_lon_e7": int(maxx * 1e7), "max_lat_e7": int(maxy * 1e7),
        "center_zoom": zooms[0], "center_lon_e7": int((minx + maxx) / 2 * 1e7),
        "center_lat_e7": int((miny + maxy) / 2 * 1e7),
    }


def _metadata(area: AdminArea, views) -> dict:
    return {
        "diming_format": ARCHIVE_FORMAT,
        "name": _("%(area)s offline map package") % {"area": area.name},
        "description": _("Public layers of %(area)s (%(code)s)") % {"area": area.full_name(), "code": area.code},
        "attribution": _("Wenzhou Civil Affairs Bureau"),
        "vector_layers": [
            {"id": v.layer.name, "description": v.layer.title, "minzoom": v.layer.minzoom, "maxzoom": v.layer.maxzoom,
             "fields": {**{name: "String" for name in v.properties},
                        **({LABEL_POINT: "Boolean"} if has_label_points(v.layer) else {})}}
            for v in views
        ],
    }
