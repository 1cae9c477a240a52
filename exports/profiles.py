"""Export profiles: one small class per target format, all in one registry (``PROFILES``).

A profile says which columns a file has, which coordinate system its coordinates are in and how a chunk of
records becomes rows. Coordinates are transformed per chunk on numpy arrays (gis.coords), never point by point.
Amap and Baidu are point platforms: every feature goes there as its label point (a road as the middle of its
line); the open formats carry the full geometry as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from django.apps import apps
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exports.platform_columns import SHANGTU_HEADER
from exports.sources import SIMPLE_TYPES, AreaNames, Chunk, Source, plain
from exports.writers import CsvWriter, GeoJsonWriter, GeoPackageWriter, Warnings, XlsxWriter
from gis import coords
from gis.errors import InputError

PROFILES: dict[str, Profile] = {}

OP_COLUMN = "dm_op"
ID_COLUMN = "dm_id"
BAIDU_MAX_BYTES = 10_000_000  # "under 10 MB", whichever megabyte the platform means


def register(cls):
    PROFILES[cls.name] = cls()
    return cls


def get_profile(name: str) -> Profile:
    if name not in PROFILES:
        raise InputError(_("Unknown export format %(name)s (choose from %(choices)s).") % {"name": name, "choices": ", ".join(PROFILES)}, code="unknown_profile",
                         where={"profile": name})
    return PROFILES[name]


@dataclass
class Context:
    """What row building needs besides the chunk: area names, warnings, and the running row number."""

    source: Source
    areas: AreaNames
    warnings: Warnings
    incremental: bool = False
    row: int = 0


class Profile:
    name: ClassVar[str]
    title: ClassVar[str]
    extension: ClassVar[str] = ".csv"
    crs: ClassVar[str] = "CGCS2000"
    geometry: ClassVar[str | None] = None  # "geojson" / "wkt": the full geometry is read as well
    encodings: ClassVar[tuple[str, ...]] = ("utf-8", "utf-8-sig", "gbk")
    default_encoding: ClassVar[str] = "utf-8"
    max_bytes: ClassVar[int | None] = None  # a CSV larger than the platform takes is cut into parts

    def source(self, layer: str) -> Source:
        return Source.named(layer)

    def transform(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return lon, lat

    def custom_properties(self, source: Source) -> list[str]:
        """The public properties that go to a platform as custom columns (not the name, not the id again)."""
        skip = {*source.name_columns, source.layer.id_field, "pk"}
        return [p for p in source.properties if p not in skip]

    def header(self, source: Source) -> list[str]:
        raise NotImplementedError

    def rows(self, chunk: Chunk, ctx: Context) -> list[list]:
        raise NotImplementedError

    def writer(self, path: Path, source: Source, encoding: str, warnings: Warnings, header: list[str]):
        return CsvWriter(path, header, encoding=encoding, warnings=warnings, max_bytes=self.max_bytes,
                         id_column=header.index(ID_COLUMN))

    # -- shared helpers -----------------------------------------------------------------------------------------
    def full_header(self, source: Source, incremental: bool) -> list[str]:
        header = self.header(source)
        return [OP_COLUMN, *header] if incremental else header

    def output(self, chunk: Chunk, ctx: Context) -> list:
        rows = self.rows(chunk, ctx)
        if ctx.incremental:
            rows = [[op, *row] for op, row in zip(chunk.ops or (), rows, strict=True)]
        return rows

    @staticmethod
    def address(row: tuple, source: Source, areas: AreaNames) -> str:
        """The record's address: the layer's address text, led by the admin-area names when it lacks them."""
        index = source.address_index
        return areas.address(row[1], str(row[index] or "") if index is not None else "")

    def cut(self, value: str, limit: int, column: str, ctx: Context, record: str, row: int) -> str:
        if len(value) <= limit:
            return value
        ctx.warnings.add(row, column, _("Length %(length)s is over the %(title)s limit of %(limit)s: cut to the first "
                                        "%(limit)s characters") % {"length": len(value), "title": self.title,
                                                                   "limit": limit}, record)
        return value[:limit]


class PlatformProfile(Profile):
    """A point platform's batch CSV: name, address and transformed label coordinates, then custom columns."""

    name_column: ClassVar[str]
    address_column: ClassVar[str]
    name_limit: ClassVar[int]
    address_limit: ClassVar[int]

    def coordinate_columns(self, lon: float, lat: float) -> list:
        raise NotImplementedError

    def coordinate_header(self) -> list[str]:
        raise NotImplementedError

    def custom_properties(self, source: Source) -> list[str]:
        """Besides name and id, the address text (it is in the address column) and any property named like a
        platform column are left out."""
        fixed = {self.name_column, self.address_column, *self.coordinate_header(), ID_COLUMN,
                 source.options.get("address_field")}
        return [p for p in super().custom_properties(source) if p not in fixed]

    def header(self, source: Source) -> list[str]:
        return [self.name_column, self.address_column, *self.coordinate_header(), ID_COLUMN,
                *self.custom_properties(source)]

    def rows(self, chunk: Chunk, ctx: Context) -> list[list]:
        source, areas = ctx.source, ctx.areas
        lon, lat = self.transform(chunk.lon, chunk.lat)
        lon, lat = lon.tolist(), lat.tolist()
        custom = [source.index_of(p) for p in self.custom_properties(source)]
        names, address_at = source.name_indexes, source.address_index
        name_limit, address_limit = self.name_limit, self.address_limit
        blank = ["", "", *[""] * len(self.coordinate_header())]
        simple = SIMPLE_TYPES
        out = []
        first = ctx.row
        for i, row in enumerate(chunk.rows):
            fid = row[0]
            if chunk.ops and chunk.ops[i] == "delete":
                out.append([*blank, fid, *[""] * len(custom)])
                continue
            name = row[names[0]] or "" if len(names) == 1 else "".join(str(row[j] or "") for j in names)
            address = areas.address(row[1], row[address_at] or "" if address_at is not None else "")
            if len(name) > name_limit:
                name = self.cut(name, name_limit, self.name_column, ctx, fid, first + i + 1)
            if len(address) > address_limit:
                address = self.cut(address, address_limit, self.address_column, ctx, fid, first + i + 1)
            out.append([name, address, *self.coordinate_columns(lon[i], lat[i]), fid,
                        *[v if type(v) in simple else plain(v) for v in (row[j] for j in custom)]])
        ctx.row += len(chunk.rows)
        return out


@register
class Amap(PlatformProfile):
    """高德 云图 batch create: _name, _address, longitude, latitude (GCJ-02, coordtype autonavi)."""

    name = "amap"
    title = gettext_lazy("Amap")
    crs = "GCJ-02"
    name_column, address_column = "_name", "_address"
    name_limit = address_limit = 200

    def transform(self, lon, lat):
        return coords.wgs84_to_gcj02(lon, lat)

    def coordinate_header(self):
        return ["longitude", "latitude"]

    def coordinate_columns(self, lon, lat):
        return [lon, lat]


@register
class AmapXlsx(Amap):
    """The same layout as an Excel workbook (云图 accepts XLSX too)."""

    name = "amap-xlsx"
    title = gettext_lazy("Amap (Excel)")
    extension = ".xlsx"
    encodings = ("utf-8",)

    def writer(self, path, source, encoding, warnings, header):
        return XlsxWriter(path, header, sheet_title=source.layer.name, warnings=warnings,
                          id_column=header.index(ID_COLUMN))


@register
class Baidu(PlatformProfile):
    """百度 LBS 云 geotable upload: title, address, latitude, longitude, coord_type 3 (BD-09 lat/lng)."""

    name = "baidu"
    title = gettext_lazy("Baidu Maps")
    crs = "BD-09"
    name_column, address_column = "title", "address"
    name_limit, address_limit = 45, 256
    max_bytes = BAIDU_MAX_BYTES

    def transform(self, lon, lat):
        return coords.wgs84_to_bd09(lon, lat)

    def coordinate_header(self):
        return ["latitude", "longitude", "coord_type"]

    def coordinate_columns(self, lon, lat):
        return [lat, lon, 3]


@register
class Shangtu(Profile):
    """民政 上图 list of standard names: what an announcement carries, with CGCS2000 coordinates."""

    name = "shangtu"
    title = gettext_lazy("List of standard names for the map")
    default_encoding = "utf-8-sig"
    HEADER = [*SHANGTU_HEADER, ID_COLUMN]
    EXTRA = ("st_pinyin", "st_kind", "st_location", "st_authority", "st_approved_on")

    def source(self, layer: str) -> Source:
        source = Source.named(layer)
        if not source.options.get("place_names"):
            raise InputError(_("The standard-name list is for place-name layers only; %(layer)s is not one.") % {"layer": source.layer.title}, code="not_place_names",
                             where={"layer": layer})
        return Source(source.layer, extra_columns=self._annotations(source))

    @staticmethod
    def _annotations(source: Source) -> dict[str, Any]:
        """Romanization, kind, location and the approval (authority, date) of the place's current name."""
        names = {"st_pinyin": F("pinyin"), "st_kind": F("kind__name"), "st_location": F("location_description")}
        authority: Any = Value("", output_field=CharField())
        approved: Any = Value(None, output_field=CharField())
        if apps.is_installed("placenames"):
            place_name = apps.get_model("placenames", "PlaceName")
            current = place_name.objects.filter(place=OuterRef("pk"), valid_to__isnull=True)
            approved = Cast(Subquery(current.values("valid_from")[:1]), CharField())
            try:
                application = apps.get_model("placenames", "Application")
            except LookupError:
                application = None
            if application is not None and hasattr(application, "approving_authority"):
                decided = application.objects.filter(place=OuterRef("pk"), approved_on__isnull=False)
                decided = decided.order_by("-approved_on", "-pk")
                authority = Coalesce(Subquery(decided.values("approving_authority")[:1]), authority)
                approved = Coalesce(Cast(Subquery(decided.values("approved_on")[:1]), CharField()), approved)
        return {**names, "st_authority": authority, "st_approved_on": approved}

    def header(self, source):
        return list(self.HEADER)

    def rows(self, chunk, ctx):
        source = ctx.source
        out = []
        lon, lat = chunk.lon.tolist(), chunk.lat.tolist()
        extra = [source.index_of(c) for c in self.EXTRA]
        name_index = source.index_of(source.name_column)
        for i, row in enumerate(chunk.rows):
            ctx.row += 1
            if chunk.ops and chunk.ops[i] == "delete":
                out.append(["", "", "", "", "", "", "", "", "", "", row[0]])
                continue
            code, _name, full = ctx.areas.get(row[1])
            pinyin, kind, location, authority, approved = (plain(row[j]) for j in extra)
            out.append([row[name_index], pinyin, kind, code, full, location or "", lon[i], lat[i],
                        authority or "", approved or "", row[0]])
        return out


@register
class Csv(Profile):
    """Open CSV for GIS users: CGCS2000 (EPSG:4490) label point and the full geometry as WKT."""

    name = "csv"
    title = gettext_lazy("CSV (CGCS2000)")
    geometry = "wkt"

    def header(self, source):
        return [ID_COLUMN, "area_code", *source.properties, "longitude", "latitude", "wkt"]

    def rows(self, chunk, ctx):
        source = ctx.source
        props = [source.index_of(p) for p in source.properties]
        lon, lat = chunk.lon.tolist(), chunk.lat.tolist()
        out = []
        for i, row in enumerate(chunk.rows):
            ctx.row += 1
            if chunk.ops and chunk.ops[i] == "delete":
                out.append([row[0], *[""] * (len(props) + 4)])
                continue
            code = ctx.areas.get(row[1])[0]
            out.append([row[0], code, *(plain(row[j]) for j in props), lon[i], lat[i], row[-1]])
        return out


@register
class GeoJson(Profile):
    """RFC 7946 GeoJSON (WGS84 lon/lat, which CGCS2000 equals at map scale); always UTF-8."""

    name = "geojson"
    title = "GeoJSON"
    extension = ".geojson"
    crs = "WGS84"
    geometry = "geojson"
    encodings = ("utf-8",)

    def header(self, source):
        return [ID_COLUMN, "area_code", *source.properties, "label_lon", "label_lat"]

    def features(self, chunk: Chunk, ctx: Context) -> list[tuple[str, dict, str | None]]:
        source = ctx.source
        names = list(source.properties)
        index = [source.index_of(p) for p in names]
        lon, lat = chunk.lon.tolist(), chunk.lat.tolist()
        out = []
        for i, row in enumerate(chunk.rows):
            ctx.row += 1
            op = chunk.ops[i] if chunk.ops else None
            if op == "delete":
                out.append((row[0], {ID_COLUMN: row[0], OP_COLUMN: op}, None))
                continue
            properties = {ID_COLUMN: row[0], "area_code": ctx.areas.get(row[1])[0]}
            properties.update((name, plain(row[j])) for name, j in zip(names, index, strict=True))
            properties.update(label_lon=lon[i], label_lat=lat[i])
            if op:
                properties[OP_COLUMN] = op
            out.append((row[0], properties, row[-1]))
        return out

    def output(self, chunk, ctx):
        return self.features(chunk, ctx)

    def writer(self, path, source, encoding, warnings, header):
        return GeoJsonWriter(path)


@register
class GeoPackage(GeoJson):
    """OGC GeoPackage in CGCS2000 (EPSG:4490), written by GDAL."""

    name = "gpkg"
    title = gettext_lazy("GeoPackage (CGCS2000)")
    extension = ".gpkg"
    crs = "CGCS2000"

    def writer(self, path, source, encoding, warnings, header):
        return GeoPackageWriter(path, layer_name=source.layer.name)


def describe() -> list[dict[str, Any]]:
    """The profiles for the export page and the API."""
    return [{"name": p.name, "title": str(p.title), "crs": p.crs, "extension": p.extension,
             "encodings": list(p.encodings), "default_encoding": p.default_encoding} for p in PROFILES.values()]
