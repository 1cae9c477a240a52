"""Boundary line workflows: deriving a line from two areas' shared edge, importing an agreed line, an agreed change
(the old version kept), registering markers and numbering them along the line (GB/T 17796). Each change audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiLineString
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import LineString as ShapelyLine

from audit.models import Action
from audit.services import record, snapshot
from borders.access import require_edit
from boundaries import sql
from boundaries.importing import check_cells, decode
from boundaries.line_models import (
    BoundaryLine,
    BoundaryMarker,
    LineSource,
    LineVersion,
    MarkerClass,
    MarkerPhoto,
    MarkerType,
    ReferenceFeature,
    Side,
)
from boundaries.models import STORAGE_SRID, AdminArea, Level
from core import uploads
from core.params import within
from gis import gdal_files
from gis.crs import METRIC_SRID, transform_geometry
from gis.errors import Conflict, InputError
from gis.intake import intake_geometry, parse_lonlat

LINE_FIELDS = ("name", "line_code", "agreement_number", "agreement_date", "course_description", "department_a",
               "department_b", "inspection_interval_years", "valid_from")
MARKER_FIELDS = ("elevation_m", "material", "form", "maintained_by", "note", "set_on", "marker_class")
TYPE_CODES = {1: (MarkerType.SINGLE,), 2: (MarkerType.PAIR_A, MarkerType.PAIR_B),
              3: (MarkerType.TRIPLE_C, MarkerType.TRIPLE_D, MarkerType.TRIPLE_E)}


def ordered_sides(a: AdminArea, b: AdminArea) -> tuple[AdminArea, AdminArea]:
    """(side A, side B): A has the smaller code, as GB/T 17796 gives A to the smaller province code."""
    if a.level != b.level:
        raise InputError(_("The two sides of a line must be areas of the same level."), code="levels_differ",
                         where={"side_a": a.code, "side_b": b.code})
    if a.level == Level.VILLAGE:
        raise InputError(_("Village boundaries are not managed as boundary lines."), code="village_line",
                         where={"side_a": a.code})
    if a.pk == b.pk:
        raise InputError(_("A line needs two different areas."), code="same_area", where={"side_a": a.code})
    return (a, b) if a.code12 < b.code12 else (b, a)


def shared_edge(a: AdminArea, b: AdminArea) -> MultiLineString:
    """The stretch of outline the two areas share, merged, in EPSG:4490."""
    raw = sql.shared_edge_ewkb(a.pk, b.pk)
    geom = GEOSGeometry(memoryview(raw)) if raw else None
    if geom is None or geom.empty:
        raise InputError(_("%(a)s and %(b)s share no boundary.") % {"a": a.name, "b": b.name},
                         code="no_shared_edge", where={"side_a": a.code, "side_b": b.code})
    geom.srid = STORAGE_SRID
    return geom


CODE_DIGITS = {Level.PROVINCE: (0, 2), Level.CITY: (2, 4), Level.COUNTY: (4, 6), Level.TOWNSHIP: (6, 9)}


def default_line_code(a: AdminArea, b: AdminArea) -> str:
    """The two sides' own digits of their codes: 3335 for Zhejiang-Fujian, as GB/T 17796 numbers a provincial line.
    A default only: lower levels follow the province's practice, so the code is a field the office may change."""
    start, end = CODE_DIGITS[a.level]
    return a.code12[start:end] + b.code12[start:end]


@transaction.atomic
def derive_line(actor, a: AdminArea, b: AdminArea, *, name: str = "", **fields: Any) -> BoundaryLine:
    """A new boundary line along the shared edge of ``a`` and ``b``."""
    side_a, side_b = ordered_sides(a, b)
    _check_fields(fields, LINE_FIELDS)
    if BoundaryLine.objects.filter(side_a=side_a, side_b=side_b).exists():
        raise Conflict(_("A line between these two areas exists already."), code="line_exists",
                       where={"side_a": side_a.code, "side_b": side_b.code})
    line = BoundaryLine(side_a=side_a, side_b=side_b, level=side_a.level, geom=shared_edge(side_a, side_b),
                        name=name or f"{side_a.name}-{side_b.name}",
                        source=fields.pop("source", LineSource.DERIVED), **fields)
    line.line_code = line.line_code or default_line_code(side_a, side_b)
    require_edit(actor, line)
    line.save()
    record(line, Action.CREATE, actor=actor, reason=_("derived from the shared edge"))
    return line


def read_line_file(content: bytes, filename: str, *, crs=None) -> MultiLineString:
    """An agreed line from GeoJSON, a GeoPackage or a CSV of vertices (columns part, lon, lat; or x, y with crs)."""
    name = filename.lower()
    if name.endswith(".csv"):
        return _line_from_csv(content, crs)
    if name.endswith(".gpkg"):
        return _line_from_gpkg(content, crs, filename)
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InputError(_("%(file)s is not a GeoJSON file.") % {"file": filename}, code="bad_file") from None
    features = None
    if isinstance(data, dict):
        features = data.get("features") if data.get("type") == "FeatureCollection" else [data]
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise InputError(_("%(file)s must hold a GeoJSON geometry, feature or feature collection.") % {"file": filename},
                         code="bad_file")
    parts = [f.get("geometry", f) if f.get("type") == "Feature" else f for f in features]
    return _merged([intake_geometry(p, crs=crs, field="geometry").geometry for p in parts])


def _line_from_csv(content: bytes, crs) -> MultiLineString:
    text, _note = decode(content)  # UTF-8, else GBK/GB18030, else an EncodingError naming the line
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    if not rows:
        raise InputError(_("The CSV file has no vertices."), code="empty_file")
    lon_key = "lon" if "lon" in rows[0] else "x"
    lat_key = "lat" if "lat" in rows[0] else "y"
    parts: dict[str, list[tuple[float, float]]] = {}
    for number, row in enumerate(rows, start=2):
        check_cells(number, [str(k) for k in row], [v if isinstance(v, str) else "" for v in row.values()])
        if lon_key not in row or lat_key not in row:
            raise InputError(_("The CSV file needs the columns lon and lat (or x and y)."), code="missing_column",
                             where={"row": number})
        lon, lat = parse_lonlat(row[lon_key], row[lat_key], lon_field=lon_key, lat_field=lat_key, row=number)
        parts.setdefault(row.get("part") or "1", []).append((lon, lat))
    lines = [{"type": "LineString", "coordinates": coords} for coords in parts.values()]
    return _merged([intake_geometry(line, crs=crs or STORAGE_SRID, field="vertices").geometry for line in lines])


def _line_from_gpkg(content: bytes, crs, label: str) -> MultiLineString:
    import tempfile
    from pathlib import Path

    with tempfile.NamedTemporaryFile(suffix=".gpkg") as handle:
        handle.write(content)
        handle.flush()
        source = gdal_files.open_vector(Path(handle.name), "gpkg", label=label)  # the GPKG driver only
        if not len(source):
            raise InputError(_("The file holds no line."), code="empty_file")
        layer = source[0]
        srid = layer.srs.srid if layer.srs is not None and layer.srs.srid else None
        geoms = [intake_geometry(feature.geom.wkt, crs=crs or srid or STORAGE_SRID, field="geometry").geometry
                 for feature in layer]
    return _merged(geoms)


def _merged(geoms) -> MultiLineString:
    lines = []
    for geom in geoms:
        shape = shapely.from_wkb(bytes(geom.wkb))
        if shape.geom_type not in ("LineString", "MultiLineString"):
            raise InputError(_("A boundary line must be a line, not %(kind)s.") % {"kind": shape.geom_type},
                             code="wrong_geometry_type")
        lines.append(shape)
    if not lines:
        raise InputError(_("The file holds no line."), code="empty_file")
    merged = shapely.line_merge(shapely.union_all(lines))
    parts = list(merged.geoms) if hasattr(merged, "geoms") else [merged]
    return MultiLineString(*[GEOSGeometry(memoryview(p.wkb)) for p in parts], srid=STORAGE_SRID)


@transaction.atomic
def import_line(actor, a: AdminArea, b: AdminArea, geom: MultiLineString, *, name: str = "",
                **fields: Any) -> BoundaryLine:
    side_a, side_b = ordered_sides(a, b)
    _check_fields(fields, LINE_FIELDS)
    line = BoundaryLine(side_a=side_a, side_b=side_b, level=side_a.level, geom=geom, source=LineSource.IMPORTED,
                        name=name or f"{side_a.name}-{side_b.name}", **fields)
    line.line_code = line.line_code or default_line_code(side_a, side_b)
    require_edit(actor, line)
    line.save()
    record(line, Action.IMPORT, actor=actor, reason=_("imported agreed line"))
    return line


@transaction.atomic
def agreed_change(actor, line: BoundaryLine, geom: MultiLineString, *, agreement_number: str,
                  agreement_date: dt.date, valid_from: dt.date | None = None, course_description: str | None = None,
                  version: int | None = None, reason: str = "") -> BoundaryLine:
    """An agreed change of the line: the current geometry and agreement become a version valid until the day
    before ``valid_from``; the line takes the new ones."""
    line = _locked_line(line, version)
    require_edit(actor, line)
    before = snapshot(line)
    valid_from = valid_from or agreement_date
    LineVersion.objects.create(line=line, number=line.version, geom=line.geom,
                               agreement_number=line.agreement_number, agreement_date=line.agreement_date,
                               course_description=line.course_description, valid_from=line.valid_from,
                               valid_to=valid_from - dt.timedelta(days=1), reason=reason)
    line.geom = geom
    line.agreement_number, line.agreement_date, line.valid_from = agreement_number, agreement_date, valid_from
    if course_description is not None:
        line.course_description = course_description
    line.version += 1
    line.save()
    record(line, Action.UPDATE, actor=actor, before=before, reason=reason or "agreed change")
    return line


@transaction.atomic
def update_line(actor, line: BoundaryLine, changes: dict[str, Any], *, version: int | None = None) -> BoundaryLine:
    _check_fields(changes, LINE_FIELDS)
    line = _locked_line(line, version)
    require_edit(actor, line)
    return _update(actor, line, changes)


def _locked_line(line: BoundaryLine, version: int | None) -> BoundaryLine:
    current = BoundaryLine.objects.select_for_update().select_related("side_a", "side_b").get(pk=line.pk)
    if version is not None and version != current.version:
        raise Conflict(_("The line was changed by someone else; reload and try again."), code="stale_version",
                       where={"version": version, "current": current.version})
    return current


def _check_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed) - {"source"}
    if unknown:
        raise InputError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
                         where={"fields": sorted(unknown)})


# -- markers ------------------------------------------------------------------------------------------------------
def chainage_order(line: BoundaryLine, points) -> list[float]:
    """For each point, its position along the line read west to east, or north to south when the line runs more
    north-south than east-west (GB/T 17796). Metres in the CGCS2000 Gauss-Krüger projection."""
    metric = shapely.from_wkb(bytes(transform_geometry(line.geom, dst=METRIC_SRID).wkb))
    parts = list(metric.geoms) if hasattr(metric, "geoms") else [metric]
    minx, miny, maxx, maxy = metric.bounds
    east_west = (maxx - minx) >= (maxy - miny)

    def key(x, y):
        return x if east_west else -y

    oriented = []
    for part in parts:
        start, end = part.coords[0], part.coords[-1]
        oriented.append(part if key(*start) <= key(*end) else ShapelyLine(list(part.coords)[::-1]))
    oriented.sort(key=lambda p: key(*p.coords[0]))
    offsets, total = [], 0.0
    for part in oriented:
        offsets.append(total)
        total += part.length
    out = []
    for point in points:
        p = shapely.from_wkb(bytes(transform_geometry(point, dst=METRIC_SRID).wkb))
        i = min(range(len(oriented)), key=lambda k: oriented[k].distance(p))
        out.append(offsets[i] + oriented[i].project(p))
    return out


def type_codes(count: int) -> tuple[str, ...]:
    if count not in TYPE_CODES:
        raise InputError(_("A marker site holds one, two or three markers, not %(n)s.") % {"n": count},
                         code="bad_marker_group")
    return TYPE_CODES[count]


@transaction.atomic
def register_markers(actor, line: BoundaryLine, sites: list[dict], *, marker_class: MarkerClass | None = None):
    """Registers marker sites along ``line``, numbered from the line's next free sequence in the order given.

    Each site: {"points": [Point, ...] (1 to 3, the markers of a same-number pair or triple, side A's first),
    "elevations": [...], "material", "form", "maintained_by", "references": [{"name", "bearing_deg",
    "distance_m"}]}. Call ``renumber`` after to put all numbers in GB/T 17796 order along the line."""
    require_edit(actor, line)
    marker_class = marker_class or MarkerClass.standard()
    sequence = (line.markers.order_by("-sequence").values_list("sequence", flat=True).first() or 0)
    created = []
    for site in sites:
        sequence += 1
        points = site["points"]
        for i, (point, code) in enumerate(zip(points, type_codes(len(points)), strict=True)):
            elevations = site.get("elevations") or [None] * len(points)
            maintained = site.get("maintained_by") or (Side.A if code in "QAC" else Side.B)
            marker = BoundaryMarker.objects.create(
                line=line, sequence=sequence, type_code=code, marker_class=site.get("marker_class", marker_class),
                geom=point, elevation_m=elevations[i], material=site.get("material", ""),
                form=site.get("form", ""), maintained_by=maintained, set_on=site.get("set_on"),
                note=site.get("note", ""))
            for ref in site.get("references", ()):
                ReferenceFeature.objects.create(marker=marker, **ref)
            record(marker, Action.CREATE, actor=actor)
            created.append(marker)
    return created


def numbering(line: BoundaryLine) -> list[tuple[BoundaryMarker, int, str]]:
    """(marker, sequence, type code) of every marker of ``line`` in GB/T 17796 order: sites (markers sharing a
    sequence) ordered along the line from 001; within a pair or triple the type codes keep their order."""
    markers = list(line.markers.select_related("line").order_by("sequence", "type_code"))
    sites: dict[int, list[BoundaryMarker]] = {}
    for marker in markers:
        sites.setdefault(marker.sequence, []).append(marker)
    groups = list(sites.values())
    if not groups:
        return []
    centres = [g[0].geom for g in groups]
    positions = chainage_order(line, centres)
    ordered = [g for _pos, g in sorted(zip(positions, groups, strict=True), key=lambda t: t[0])]
    out = []
    for seq, group in enumerate(ordered, start=1):
        for marker, code in zip(group, type_codes(len(group)), strict=True):
            out.append((marker, seq, code))
    return out


@transaction.atomic
def renumber(actor, line: BoundaryLine) -> int:
    """Applies ``numbering``; returns how many markers changed number. Both sides' agreement is the campaign's
    signed records; this only writes the register."""
    require_edit(actor, line)
    plan = [(m, seq, code) for m, seq, code in numbering(line) if (m.sequence, m.type_code) != (seq, code)]
    if not plan:
        return 0
    befores = {m.pk: snapshot(m) for m, _s, _c in plan}
    # Two passes so no intermediate state breaks the unique (line, sequence, type) constraint.
    offset = 100000
    for marker, _seq, _code in plan:
        BoundaryMarker.objects.filter(pk=marker.pk).update(sequence=marker.sequence + offset)
    for marker, seq, code in plan:
        marker.sequence, marker.type_code = seq, code
        marker.version += 1
        marker.save(update_fields=["sequence", "type_code", "version", "updated_at"])
        record(marker, Action.UPDATE, actor=actor, before=befores[marker.pk], reason=_("renumbered along the line"))
    return len(plan)


@transaction.atomic
def update_marker(actor, marker: BoundaryMarker, changes: dict[str, Any], *, version: int | None = None):
    """Attributes of a registered marker. Its position changes only through a joint inspection record both sides
    signed (borders.inspections), never here."""
    _check_fields(changes, MARKER_FIELDS)
    current = BoundaryMarker.objects.select_for_update().select_related("line__side_a", "line__side_b").get(
        pk=marker.pk)
    require_edit(actor, current.line)
    if version is not None and version != current.version:
        raise Conflict(_("The marker was changed by someone else; reload and try again."), code="stale_version",
                       where={"version": version, "current": current.version})
    return _update(actor, current, changes)


MARKER_PHOTO_MAX_BYTES = 15 << 20  # as a record photo from a tablet (borders.api)


@transaction.atomic
def add_marker_photo(actor, marker: BoundaryMarker, upload, *, caption: str = "") -> MarkerPhoto:
    """A photo of the marker for its register entry, by one who may edit the line's records: a JPEG, PNG, GIF or
    WebP judged by its content (core.uploads; stored under the extension of what it is), audited. Read back only
    through the view that checks the reader's right to the line."""
    require_edit(actor, marker.line)
    if upload is None:
        raise InputError(_("Choose a photo to upload."), code="missing_value", where={"field": "photo"})
    upload = uploads.accept_photo(upload, field="photo", max_bytes=MARKER_PHOTO_MAX_BYTES)
    photo = MarkerPhoto.objects.create(marker=marker, image=upload, caption=within(caption, 200, _("The caption"), "caption"),
                                       uploaded_by=actor)
    record(photo, Action.CREATE, actor=actor, reason=_("marker register photo"))
    return photo


def _update(actor, obj, changes: dict[str, Any]):
    """Writes checked changes to a locked line or marker as its next version, audited."""
    before = snapshot(obj)
    for key, value in changes.items():
        setattr(obj, key, value)
    obj.version += 1
    obj.save()
    record(obj, Action.UPDATE, actor=actor, before=before)
    return obj


# -- 平安边界: the register of disputes and incidents --------------------------------------------------------------
@transaction.atomic
def record_dispute(actor, line: BoundaryLine, *, title: str, what: str, reported_on, where=None, mediation: str = "",
                   outcome: str = "", state: str = "open"):
    from boundaries.line_models import Dispute, DisputeState

    require_edit(actor, line)
    if not title.strip() or not what.strip():
        raise InputError(_("A dispute needs a title and what happened."), where={"field": "title"})
    if state not in DisputeState.values:
        raise InputError(_("Unknown state."), where={"field": "state"})
    dispute = Dispute.objects.create(line=line, title=title.strip(), what=what.strip(), reported_on=reported_on,
                                     geom=where, mediation=mediation, outcome=outcome, state=state)
    record(dispute, Action.CREATE, actor=actor)
    return dispute
