"""Importing the zones where graves may not be (farmland, forest, scenic, heritage, reservoir, water source) from a
GeoPackage or a GeoJSON file, with a report row by row, like the doorplate import.

A GeoPackage is opened only by its own driver with GDAL's network off (gis.gdal_files); a GeoJSON file is read as
JSON, never by GDAL. Each feature's geometry goes through gis.intake (CRS, swapped axes, validity, repaired with a
note); its name comes from ``name``/``名称`` and its kind from ``kind``/``类型`` (a ZoneKind value or its Chinese
term) unless the whole file is given one kind. ``commit="valid"`` saves the good rows and reports the others;
``commit="all"`` saves nothing when a row is refused. Saving a zone re-tags the graves in it (cemeteries.signals).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from cemeteries.models import Zone, ZoneKind
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
    raise InputError(_("Zones are imported from a GeoPackage (.gpkg) or a GeoJSON file (.geojson)."),
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
                geometry.srid = int(srid) if str(srid).isdigit() else geometry.srid
            yield properties, geometry


def _first(properties: dict, keys) -> str:
    for key in keys:
        value = properties.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _kind(properties: dict, kind: str | None) -> str:
    if kind:
        return kind
    word = _first(properties, KIND_KEYS)
    if word in ZoneKind.values:
        return word
    if word in KIND_WORDS:
        return KIND_WORDS[word]
    raise InputError(_("The kind %(kind)s is not one of the zone kinds.") % {"kind": word[:40] or "—"},
                     code="unknown_kind", where={"field": "kind"})


def _row(number: int, properties: dict, geometry, *, kind, crs, source: str) -> tuple[ZoneRow, Zone | None]:
    name = _first(properties, NAME_KEYS)[:100].replace("\x00", "")
    try:
        if geometry is None:
            raise InputError(_("The feature has no geometry."), code="empty_geometry")
        zone_kind = _kind(properties, kind)
        result = intake_geometry(geometry, crs=crs, expected="MultiPolygon", repair=True)
    except DimingError as error:
        return ZoneRow(number, name, False, str(error.message)), None
    zone = Zone(name=name or _("zone %(n)d") % {"n": number}, kind=zone_kind, geom=result.geometry,
                source=source[:200])
    return ZoneRow(number, zone.name, True, notes=[str(n) for n in result.notes]), zone


def import_zones(path, *, kind: str | None = None, fmt: str | None = None, crs=None, commit: str = "valid",
                 label: str = "") -> ZoneImportReport:
    """Imports the zones of ``path``; returns the report (every row, saved or refused with its reason)."""
    path = Path(path)
    label = label or path.name
    if kind is not None and kind not in ZoneKind.values:
        raise InputError(_("The kind %(kind)s is not one of the zone kinds.") % {"kind": str(kind)[:40]},
                         code="unknown_kind", where={"field": "kind"})
    if commit not in ("valid", "all"):
        raise InputError(_("commit is valid or all."), where={"field": "commit"})
    fmt = _format_of(path, fmt)
    features = _geojson_features(path, label) if fmt == "geojson" else _gpkg_features(path, label, crs)
    report = ZoneImportReport(label)
    try:
        with transaction.atomic():
            for number, (properties, geometry) in enumerate(features, start=1):
                row, zone = _row(number, properties, geometry, kind=kind, crs=crs if fmt == "geojson" else None,
                                 source=label)
                report.rows.append(row)
                if zone is not None:
                    zone.save()
                    report.saved += 1
            if commit == "all" and report.rejected:
                raise _Rollback
    except _Rollback:
        report.saved = 0
    return report
