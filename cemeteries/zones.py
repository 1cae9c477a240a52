"""Importing the zones where graves may not be (farmland, forest, scenic, heritage, reservoir, water source), and the
corridors (expressways, national and provincial roads, railways, rivers) whose bands graves may not be in, from a
GeoPackage or a GeoJSON file, with a report row by row, like the doorplate import (the page runs it as a background
job, cemeteries.jobs).

A GeoPackage is opened only by its own driver with GDAL's network off (gis.gdal_files); a GeoJSON file is read as
JSON, never by GDAL. Each feature's geometry goes through gis.intake (CRS, swapped axes, validity, repaired with a
note); its name comes from ``name``/``名称`` and its kind from ``kind``/``类型`` (a ZoneKind value or its Chinese
term) unless the whole file is given one kind. A corridor's line goes through the same intake (a MultiLineString);
its class comes from ``class``/``等级``/``编号``, its band width from ``buffer_m``/``缓冲宽度`` (empty: its kind's default),
its kind from ``kind``/``类型`` (高速公路, 国道, 省道, 铁路, 河流 …). ``commit="valid"`` saves the good rows and reports
the others; ``commit="all"`` saves nothing when a row is refused. Saving a zone or a corridor re-tags the graves
near it (cemeteries.signals) and a corridor queues its visibility counts (cemeteries.campaign_signals).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cemeteries.models import Corridor, CorridorKind, Zone, ZoneKind
from gis.errors import DimingError, InputError
from gis.intake import intake_geometry

MAX_GEOJSON_BYTES = 200 << 20
NAME_KEYS = ("name", "NAME", "名称", "mc", "MC")
KIND_KEYS = ("kind", "KIND", "类型", "lx", "LX")
# The words survey files use for each kind (第三次国土调查 classes and common names).
KIND_WORDS = {
    "耕地": ZoneKind.FARMLAND, "基本农田": ZoneKind.FARMLAND, "永久基本农田": ZoneKind.FARMLAND,
    "林地": ZoneKind.FOREST, "公益林": ZoneKind.FOREST,
    "风景名胜区": ZoneKind.SCENIC, "公园": ZoneKind.SCENIC, "景区": ZoneKind.SCENIC,
    "文物保护区": ZoneKind.HERITAGE, "文物保护单位": ZoneKind.HERITAGE,
    "水库": ZoneKind.RESERVOIR, "堤坝": ZoneKind.RESERVOIR,
    "水源保护区": ZoneKind.WATER_SOURCE, "饮用水水源保护区": ZoneKind.WATER_SOURCE,
}


@dataclass
class ZoneRow:
    row: int  # 1-based feature number in the file
    name: str
    ok: bool
    message: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class ZoneImportReport:
    file: str
    rows: list[ZoneRow] = field(default_factory=list)
    saved: int = 0
    what: str = "zones"  # or "corridors"

    @property
    def rejected(self) -> int:
        return sum(1 for r in self.rows if not r.ok)


class _Rollback(Exception):
    pass


def _format_of(path: Path, fmt: str | None) -> str:
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt in ("geojson", "json"):
        return "geojson"
    if fmt == "gpkg":
        return "gpkg"
    raise InputError(_("Zones and corridors are imported from a GeoPackage (.gpkg) or a GeoJSON file (.geojson)."),
                     code="unsupported_format", where={"file": path.name})


def _geojson_features(path: Path, label: str):
    if path.stat().st_size > MAX_GEOJSON_BYTES:
        raise InputError(_("%(file)s is larger than %(mb)d MB.") % {"file": label, "mb": MAX_GEOJSON_BYTES >> 20},
                         code="too_large")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InputError(_("%(file)s is not a GeoJSON file.") % {"file": label}, code="wrong_format") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise InputError(_("%(file)s must be a GeoJSON FeatureCollection.") % {"file": label}, code="wrong_format")
    crs = data.get("crs")
    for feature in data["features"]:
        if not isinstance(feature, dict):
            yield {}, None
            continue
        geometry = feature.get("geometry")
        if isinstance(geometry, dict) and crs is not None and "crs" not in geometry:
            geometry = {**geometry, "crs": crs}
        properties = feature.get("properties")
        yield (properties if isinstance(properties, dict) else {}), geometry


def _gpkg_features(path: Path, label: str, crs):
    from gis.gdal_files import open_vector

    source = open_vector(path, "gpkg", label=label)
    for layer in source:
        srid = crs
        if srid is None and layer.srs is not None:
            srid = layer.srs.srid
        for feature in layer:
            properties = {name: feature.get(name) for name in layer.fields}
            geometry = feature.geom.geos if feature.geom is not None else None
            if geometry is not None and srid:
                geometry.srid = int(srid) if str(srid).isdecimal() else geometry.srid
            yield properties, geometry


def _first(properties: dict, keys) -> str:
    for key in keys:
        value = properties.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


# -- corridors -----------------------------------------------------------------------------------------------------
CLASS_KEYS = ("class", "CLASS", "road_class", "等级", "编号", "路线编号", "dj", "DJ", "bh", "BH")
BUFFER_KEYS = ("buffer_m", "BUFFER_M", "band_m", "缓冲宽度", "缓冲区", "范围")
CORRIDOR_WORDS = {
    "高速": CorridorKind.EXPRESSWAY, "高速公路": CorridorKind.EXPRESSWAY, "国道": CorridorKind.NATIONAL,
    "省道": CorridorKind.PROVINCIAL, "铁路": CorridorKind.RAILWAY, "高铁": CorridorKind.RAILWAY,
    "河流": CorridorKind.RIVER, "河道": CorridorKind.RIVER, "江": CorridorKind.RIVER,
}
MAX_BUFFER_M = 5000


def _buffer(properties: dict) -> int | None:
    raw = _first(properties, BUFFER_KEYS)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if not value.is_integer() or not 1 <= value <= MAX_BUFFER_M:
        raise InputError(_("The band width %(value)s is not a whole number of metres from 1 to %(most)d.")
                         % {"value": raw[:20], "most": MAX_BUFFER_M}, code="bad_band", where={"field": "buffer_m"})
    return int(value)


def _corridor_fields(properties: dict) -> dict:
    return {"buffer_m": _buffer(properties), "road_class": _first(properties, CLASS_KEYS)[:32].replace("\x00", "")}


# -- either layer --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Layer:
    """What differs between importing zones (areas) and corridors (lines)."""

    what: str  # the report's word: "zones" or "corridors"
    model: type[Zone] | type[Corridor]
    kinds: type[ZoneKind] | type[CorridorKind]
    words: dict  # the words survey files use for each kind
    unknown_kind: str  # the message for a kind that is none of ``kinds``
    unnamed: str  # the name of a feature without one
    saved: str  # the import's last words: "%(saved)d … saved, %(rejected)d rows refused."
    geometry: str  # the geometry type the intake makes
    fields: Callable[[dict], dict] = lambda properties: {}  # the model's other fields from the properties

    def check_kind(self, kind: str | None) -> None:
        if kind is not None and kind not in self.kinds.values:
            raise self._unknown(str(kind)[:40])

    def kind_of(self, properties: dict, kind: str | None) -> str:
        if kind:
            return kind
        word = _first(properties, KIND_KEYS)
        if word in self.kinds.values:
            return word
        if word in self.words:
            return self.words[word]
        raise self._unknown(word[:40] or "—")

    def _unknown(self, word: str) -> InputError:
        return InputError(self.unknown_kind % {"kind": word}, code="unknown_kind", where={"field": "kind"})


ZONES = _Layer("zones", Zone, ZoneKind, KIND_WORDS, gettext_lazy("The kind %(kind)s is not one of the zone kinds."),
               gettext_lazy("zone %(n)d"), gettext_lazy("%(saved)d zones saved, %(rejected)d rows refused."),
               "MultiPolygon")
CORRIDORS = _Layer("corridors", Corridor, CorridorKind, CORRIDOR_WORDS,
                   gettext_lazy("The kind %(kind)s is not one of the corridor kinds."),
                   gettext_lazy("corridor %(n)d"), gettext_lazy("%(saved)d corridors saved, %(rejected)d rows refused."),
                   "MultiLineString", _corridor_fields)


def _row(layer: _Layer, number: int, properties: dict, geometry, *, kind, crs, source: str):
    name = _first(properties, NAME_KEYS)[:100].replace("\x00", "")
    try:
        if geometry is None:
            raise InputError(_("The feature has no geometry."), code="empty_geometry")
        fields = {"kind": layer.kind_of(properties, kind), **layer.fields(properties)}
        result = intake_geometry(geometry, crs=crs, expected=layer.geometry, repair=True)
    except DimingError as error:
        return ZoneRow(number, name, False, str(error.message)), None
    record = layer.model(name=name or layer.unnamed % {"n": number}, geom=result.geometry,
                         source=source[:layer.model._meta.get_field("source").max_length], **fields)
    return ZoneRow(number, record.name, True, notes=[str(n) for n in result.notes]), record


def import_zones(path, *, kind: str | None = None, fmt: str | None = None, crs=None, commit: str = "valid",
                 label: str = "") -> ZoneImportReport:
    """Imports the zones of ``path``; returns the report (every row, saved or refused with its reason)."""
    return import_layer(ZONES, path, kind=kind, fmt=fmt, crs=crs, commit=commit, label=label)


def import_corridors(path, *, kind: str | None = None, fmt: str | None = None, crs=None, commit: str = "valid",
                     label: str = "") -> ZoneImportReport:
    """Imports the corridors (lines) of ``path``; returns the report (every row, saved or refused with its reason)."""
    return import_layer(CORRIDORS, path, kind=kind, fmt=fmt, crs=crs, commit=commit, label=label)


def import_layer(layer: _Layer, path, *, kind: str | None = None, fmt: str | None = None, crs=None,
                 commit: str = "valid", label: str = "") -> ZoneImportReport:
    """Imports the features of ``path`` into ``layer`` (ZONES or CORRIDORS); returns the report."""
    layer.check_kind(kind)
    path = Path(path)
    label = label or path.name
    if commit not in ("valid", "all"):
        raise InputError(_("commit is valid or all."), where={"field": "commit"})
    fmt = _format_of(path, fmt)
    features = _geojson_features(path, label) if fmt == "geojson" else _gpkg_features(path, label, crs)
    report = ZoneImportReport(label, what=layer.what)
    try:
        with transaction.atomic():
            for number, (properties, geometry) in enumerate(features, start=1):
                row, record = _row(layer, number, properties, geometry, kind=kind,
                                   crs=crs if fmt == "geojson" else None, source=label)
                report.rows.append(row)
                if record is not None:
                    record.save()
                    report.saved += 1
            if commit == "all" and report.rejected:
                raise _Rollback
    except _Rollback:
        report.saved = 0
    return report
