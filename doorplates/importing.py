"""Bulk import of doorplates (CSV, XLSX, GeoPackage) with a report of every rejected row and why.

A row names its base in one column: a road (``road`` or ``road_uuid``), a village or natural village (``village``)
or a residential area (``residential_area``), or in a free-text ``address`` that the parser splits. The file is read
once, row by row. Rows are checked in Python (base, number, type, status, date, coordinates) and in chunks
(coordinates through gis.intake as one MultiPoint per chunk, areas by STRtree, the named base and the distance to it
in metres), then COPYed into a staging table, where duplicates within the file and against the
registry are found in SQL. ``commit="all"`` writes nothing when any row is rejected; ``"valid"`` writes the
valid rest. The import is one audit record (a DoorplateImport); its plates point back to it.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.roles import Role
from accounts.scoping import ALL, area_prefixes, has_role
from audit.models import Action
from audit.services import record
from boundaries.importing import ImportReport
from boundaries.models import AdminArea
from doorplates import file_words, loading, readers
from doorplates.addresses import (
    BaseNames,
    Gazetteer,
    HouseNumber,
    base_names,
    gazetteer,
    parse_address,
    parse_group,
    texts_for,
)
from doorplates.models import DoorplateImport, PlateStatus, PlateType
from doorplates.services import (
    MAX_BASE_DISTANCE_M,
    MAX_ROAD_DISTANCE_M,
    REQUIRED_PARTS,
    missing_parts_message,
)
from gis.crs import METRIC_SRID, STORAGE_SRID, parse_crs, transform_xy
from gis.errors import DimingError, InputError, PermissionDenied
from gis.intake import intake_points, parse_lonlat
from placenames.bases import BaseKind, bases_in_use
from placenames.roads import roads_in_use

CHUNK = 50_000
MAX_DISTANCE_M = MAX_ROAD_DISTANCE_M
PLATE_TYPES = {**file_words.PLATE_TYPES, **{t.value: t.value for t in PlateType}}
STATUSES = {**file_words.STATUSES, **{s.value: s.value for s in PlateStatus}}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", file_words.DATE_FORMAT)
Progress = Callable[[str, int, int | None], None]


class _Rollback(Exception):
    pass


@dataclass
class _Pending:
    """A row that passed the per-row checks, waiting for its chunk's spatial checks."""

    line: int
    number: HouseNumber | None
    building: str
    unit: str
    room: str
    plate_type: str
    status: str
    installed_on: str | None
    x: float
    y: float
    road_name: str  # the name of the base
    road_uuid: str
    county: str
    base_kind: str = BaseKind.ROAD
    group: int = 0  # a village plate's villager group (村民小组)


@dataclass(kw_only=True)
class _Context:
    report: ImportReport
    crs: object
    prefixes: tuple | None
    roads_by_uuid: dict
    roads_by_name: dict  # (base kind, name) -> the roads, villages or residential areas of that name
    lines: dict  # base uuid -> metric shapely geometry (a road's line, a village's outline or point)
    locator: loading.AreaLocator
    area_prefixes: list[str]
    county_codes: dict  # county name or code -> code6
    county_names: dict  # code6 -> name
    max_distance_m: float
    batch_id: int | None
    # The parser's names, read before the COPY starts (no SQL may run while it lasts).
    gazetteer: Gazetteer | None = None
    base_names: BaseNames | None = None
    used_areas: set = field(default_factory=set)


@dataclass(frozen=True)
class _Road:
    """A road, village or residential area as the import sees it."""

    uuid: str
    name: str
    pinyin_key: str
    initials: str
    county: str  # code6
    kind: str = BaseKind.ROAD


def import_doorplates(source: str | Path, *, fmt: str | None = None, commit: str = "all", encoding: str = "auto",
                      crs="EPSG:4326", actor=None, dry_run: bool = False, max_distance_m: float = MAX_DISTANCE_M,
                      progress: Progress | None = None, file_name: str = "") -> ImportReport:
    if commit not in {"all", "valid"}:
        raise ValueError(f"commit must be 'all' or 'valid', not {commit!r}")
    if actor is not None and not has_role(actor, Role.OFFICER, Role.FIELD_CREW):
        raise PermissionDenied(_("Your role does not import doorplates."), code="role_required")
    path = Path(source)
    table = readers.open_table(path, readers.format_of(path, fmt), encoding, label=file_name or path.name)
    report = ImportReport(total=0, notes=list(table.notes), headers=table.header_of())
    _require_columns(table)
    declared = parse_crs(table.crs) if table.crs else parse_crs(crs)
    clock = _Clock()
    try:
        with transaction.atomic():
            batch = DoorplateImport.objects.create(file_name=(file_name or path.name)[:200], actor=actor, mode=commit)
            ctx = _context(report, declared, actor, max_distance_m, batch.pk)
            staged = loading.copy_to_staging(_checked_rows(table, ctx, progress))
            clock.lap(_("reading, checking and staging"))
            _reject_duplicates(report)
            clock.lap(_("finding duplicates"))
            if dry_run or (commit == "all" and report.problems) or report.accepted == 0:
                raise _Rollback
            _finish(batch, report, ctx, actor, progress, staged)
            clock.lap(_("writing the plates (indexes and triggers included)"))
        clock.lap(_("committing"))
    except _Rollback:
        report.committed = False
    report.notes.append(clock.summary())
    report.problems.sort(key=lambda p: p.row)
    return report


class _Clock:
    """Seconds per stage, for the report (a million-row import tells where its minutes went)."""

    def __init__(self):
        self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, label: str) -> None:
        now = time.perf_counter()
        self.laps.append((label, now - self.last))
        self.last = now

    def summary(self) -> str:
        laps = pgettext("stages", ", ").join(_("%(stage)s %(seconds).1f s") % {"stage": label, "seconds": seconds}
                                             for label, seconds in self.laps)
        return _("Time taken: %(laps)s") % {"laps": laps}


def _require_columns(table: readers.Table) -> None:
    has_road = any(name in table.columns for name in ("road", "road_uuid", "village", "residential_area", "address"))
    has_number = any(name in table.columns for name in ("number", "address", "building"))
    missing = [name for name, ok in (("road", has_road), ("number", has_number),
                                     ("lon", "lon" in table.columns), ("lat", "lat" in table.columns)) if not ok]
    if missing:
        raise InputError(_("The file lacks the required columns: %(columns)s.")
                         % {"columns": ", ".join(readers.column_label(m) for m in missing)}, code="missing_columns",
                         hint=_("An import needs four columns: road (or address), house number, longitude and "
                                "latitude."))


def _context(report, crs, actor, max_distance_m, batch_id) -> _Context:
    roads, lines = [], {}
    for kind, places in ((BaseKind.ROAD, roads_in_use()), (BaseKind.VILLAGE, bases_in_use(BaseKind.VILLAGE)),
                         (BaseKind.RESIDENTIAL, bases_in_use(BaseKind.RESIDENTIAL))):
        roads += [_Road(str(u), n, k, i, c[:6], kind) for u, n, k, i, c in
                  places.values_list("uuid", "name", "pinyin_key", "initials", "area__code12")]
        lines.update({str(u): _metric_line(g) for u, g in places.values_list("uuid", "geom")})
    counties = list(AdminArea.objects.filter(level="county").values_list("code", "name"))
    county_codes = {**{c: c for c, _n in counties}, **{n: c for c, n in counties}}
    locator = loading.AreaLocator()
    return _Context(report=report, crs=crs, prefixes=None if actor is None else area_prefixes(actor),
                    roads_by_uuid={r.uuid: r for r in roads}, roads_by_name=_by_name(roads), lines=lines,
                    locator=locator, area_prefixes=locator.prefixes(), county_codes=county_codes,
                    county_names=dict(counties), max_distance_m=max_distance_m, batch_id=batch_id,
                    gazetteer=gazetteer(), base_names=base_names())


def _by_name(roads: list[_Road]) -> dict[tuple[str, str], list[_Road]]:
    named: dict[tuple[str, str], list[_Road]] = {}
    for road in roads:
        named.setdefault((road.kind, road.name), []).append(road)
    return named


def _metric_line(geom):
    shape = shapely.from_wkb(bytes(geom.wkb))
    xy = shapely.get_coordinates(shape)
    x, y = transform_xy(xy[:, 0], xy[:, 1], STORAGE_SRID, METRIC_SRID)
    return shapely.set_coordinates(shape, np.column_stack([x, y]))


def _checked_rows(table: readers.Table, ctx: _Context, progress: Progress | None) -> Iterator[loading.PlateRow]:
    """Rows that passed every check, chunk by chunk; rejected ones go to the report. Runs during COPY: no SQL."""
    columns = _Columns(table)
    chunk: list[_Pending] = []
    for line, values in table.rows:
        ctx.report.total += 1
        pending = _check_row(line, columns.read(values), ctx)
        if pending is not None:
            chunk.append(pending)
        if ctx.report.total % CHUNK == 0:
            yield from _spatial(chunk, ctx)
            chunk = []
            if progress:
                progress("rows", CHUNK, table.total)
    yield from _spatial(chunk, ctx)
    if progress:
        progress("rows", ctx.report.total % CHUNK, table.total)


class _Columns:
    """Reads a row's cells by canonical name; absent columns read as empty."""

    def __init__(self, table: readers.Table):
        self.positions = [(name, table.index(name)) for name in readers.COLUMNS]

    def read(self, values: tuple) -> dict[str, str]:
        return {name: (values[i] if i is not None else "") for name, i in self.positions}


@lru_cache(maxsize=65_536)
def _number(text: str) -> HouseNumber:
    return HouseNumber.parse(text)  # a file repeats the same few thousand labels


_BASE_COLUMNS = (("road", BaseKind.ROAD), ("road_uuid", BaseKind.ROAD), ("village", BaseKind.VILLAGE),
                 ("residential_area", BaseKind.RESIDENTIAL))


def _base_kind(line: int, cells: dict[str, str], report: ImportReport) -> str | None:
    """The kind of base a row names; a row naming two kinds (a road and a village) is rejected."""
    kinds = {kind for column, kind in _BASE_COLUMNS if cells[column]}
    if len(kinds) > 1:
        column = next(c for c, kind in _BASE_COLUMNS if cells[c] and kind != BaseKind.ROAD)
        report.reject(line, column, cells[column], _("A row names one base only: a road, a village or a "
                                                     "residential area."))
        return None
    return kinds.pop() if kinds else ""


def _check_row(line: int, cells: dict[str, str], ctx: _Context) -> _Pending | None:
    report = ctx.report
    kind = _base_kind(line, cells, report)
    if kind is None:
        return None
    numbered = cells["number"] or (kind == BaseKind.RESIDENTIAL and cells["building"])
    if not kind or (not numbered and (kind == BaseKind.ROAD or cells["address"])):
        kind = _from_address(line, cells, ctx)
        if kind is None:
            return None
    try:
        number = _number(cells["number"]) if cells["number"] else None
    except InputError as error:
        report.reject(line, "number", cells["number"], _("%(message)s (for example %(examples)s)")
                      % {"message": error.message, "examples": file_words.NUMBER_EXAMPLES})
        return None
    group = _group(line, cells, kind, report)
    if group is None:
        return None
    plate_type = PLATE_TYPES.get(cells["plate_type"] or file_words.DEFAULT_PLATE_TYPE)
    status = STATUSES.get(cells["status"] or file_words.DEFAULT_STATUS)
    installed_on, date_ok = _date(cells["installed_on"])
    problem = _problem(cells, plate_type, status, date_ok)
    if problem:
        report.reject(line, *problem)
        return None
    try:
        x, y = float(cells["lon"]), float(cells["lat"])
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ValueError
    except ValueError:
        return _reject_cell(line, cells["lon"], cells["lat"], report)
    county = cells["county"]
    county_code = ctx.county_codes.get(county, "") if county else ""
    if county and not county_code:
        report.reject(line, "county", county, _("No such county"))
        return None
    name = {BaseKind.ROAD: cells["road"], BaseKind.VILLAGE: cells["village"],
            BaseKind.RESIDENTIAL: cells["residential_area"]}[kind]
    return _Pending(line, number, cells["building"], cells["unit"], cells["room"], plate_type, status, installed_on,
                    x, y, name, cells["road_uuid"], county_code, kind, group)


def _group(line: int, cells: dict[str, str], kind: str, report: ImportReport) -> int | None:
    """The row's villager group (3, 3组, 三组, 第三组), 0 for none; None when the row is rejected for it."""
    try:
        group = parse_group(cells["villager_group"])
    except InputError as error:
        report.reject(line, "villager_group", cells["villager_group"], error.message)
        return None
    if group and kind != BaseKind.VILLAGE:
        report.reject(line, "villager_group", cells["villager_group"], _("Only a village's plate has a villager group."))
        return None
    return group


_BASE_CELLS = {BaseKind.ROAD: "road", BaseKind.VILLAGE: "village", BaseKind.RESIDENTIAL: "residential_area"}


def _from_address(line: int, cells: dict[str, str], ctx: _Context) -> str | None:
    """Fills base, number, building, unit, room and county from a free-text ``address`` cell; the base's kind."""
    report = ctx.report
    parsed = parse_address(cells["address"], ctx.gazetteer, ctx.base_names) if cells["address"] else None
    if parsed is None or not parsed.base or not (parsed.number or parsed.building):
        report.reject(line, "address" if parsed else "road", cells["address"],
                      _("The base (road, village or residential area) or the number is missing, and the address "
                        "does not give them."))
        return None
    cells[_BASE_CELLS[parsed.base_kind]] = parsed.base
    cells["number"] = parsed.number.label if parsed.number else ""
    cells["villager_group"] = cells["villager_group"] or (str(parsed.group) if parsed.group else "")
    for part in ("building", "unit", "room"):
        cells[part] = cells[part] or getattr(parsed, part)
    cells["county"] = cells["county"] or parsed.area_codes.get("county", "")
    return parsed.base_kind


def _problem(cells: dict[str, str], plate_type: str | None, status: str | None,
             date_ok: bool) -> tuple[str, str, str] | None:
    """(column, value, message) of the first thing wrong with the row's plain cells."""
    if not cells["number"] and not (cells["residential_area"] and cells["building"]):
        return "number", "", _("The house number is missing (only a residential area's building, unit or room "
                               "plate may go without one).")
    if plate_type is None:
        return "plate_type", cells["plate_type"], _("The plate type is one of %(types)s") % {
            "types": file_words.PLATE_TYPE_CHOICES}
    missing = [p for p in REQUIRED_PARTS[plate_type] if not cells[p]]
    if missing:
        return missing[0], "", missing_parts_message(plate_type, missing)
    for part in ("building", "unit", "room"):
        if len(cells[part]) > 16:
            return part, cells[part], _("A building, unit or room number has at most 16 characters")
    if status is None:
        return "status", cells["status"], _("The status is one of %(statuses)s") % {
            "statuses": file_words.STATUS_CHOICES}
    if not date_ok:
        return "installed_on", cells["installed_on"], _("A date is written like 2024-05-01")
    return None


def _reject_cell(line: int, lon_text: str, lat_text: str, report: ImportReport) -> None:
    try:
        parse_lonlat(lon_text, lat_text, row=line)
        report.reject(line, "lon,lat", f"{lon_text}, {lat_text}", _("The coordinates cannot be read"))
    except DimingError as error:
        where = error.where.get("field", "lon")
        report.reject(line, where, error.where.get("value", ""), str(error.message))
    return None


def _date(text: str) -> tuple[str | None, bool]:
    if not text:
        return None, True
    try:
        return dt.date.fromisoformat(text[:10]).isoformat(), True
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat(), True
        except ValueError:
            continue
    return None, False


def _spatial(chunk: list[_Pending], ctx: _Context) -> Iterator[loading.PlateRow]:
    """Checks a chunk in storage coordinates: area, region, road, distance to the road; yields loading rows."""
    chunk, lon, lat = _intake(chunk, ctx)
    if not chunk:
        return
    where = ctx.locator.locate(lon, lat)
    mx, my = transform_xy(lon, lat, STORAGE_SRID, METRIC_SRID)
    candidates = [_located_roads(p, int(where[i]), lon[i], lat[i], ctx) for i, p in enumerate(chunk)]
    chosen, distance = _nearest(chunk, candidates, mx, my, ctx)
    for i, p in enumerate(chunk):
        road = chosen[i]
        if road is None:
            continue
        point_county = ctx.locator.code12[int(where[i])][:6]
        if p.county and p.county not in (point_county, road.county):
            ctx.report.reject(p.line, "county", p.county, _("The plate lies in %(county)s, not in the county given")
                              % {"county": ctx.county_names.get(point_county, point_county)})
            continue
        limit = ctx.max_distance_m if road.kind == BaseKind.ROAD else MAX_BASE_DISTANCE_M[road.kind]
        if distance[i] > limit:
            ctx.report.reject(p.line, _BASE_CELLS[road.kind], road.name, _(
                "The plate is %(distance).0f m from %(base)s (more than %(limit).0f m): the road or the coordinates may "
                "be wrong") % {"distance": distance[i], "base": road.name, "limit": limit})
            continue
        yield _row(p, road, int(where[i]), float(lon[i]), float(lat[i]), ctx)


def _nearest(chunk: list[_Pending], candidates: list[list[_Road]], mx: np.ndarray, my: np.ndarray,
             ctx: _Context) -> tuple[list[_Road | None], np.ndarray]:
    """Each row's base and its distance in metres (None and inf for a row without one), every row's candidates in
    one vectorised call: of several bases of that name the nearest, a metre's preference going to the declared
    county's, the first of the row's list on a tie (as argmin over each row's list gives)."""
    chosen: list[_Road | None] = [None] * len(chunk)
    distance = np.full(len(chunk), np.inf)
    flat = [road for roads in candidates for road in roads]
    if not flat:
        return chosen, distance
    rows = np.repeat(np.arange(len(chunk)), [len(roads) for roads in candidates])
    d = shapely.distance(np.array([ctx.lines[road.uuid] for road in flat], dtype=object),
                         shapely.points(mx[rows], my[rows]))
    preferred = np.array([road.county == chunk[i].county for i, road in zip(rows.tolist(), flat, strict=True)])
    order = np.lexsort((np.arange(len(flat)), d - preferred, rows))  # by row, then score, then place in the list
    firsts = order[np.r_[True, rows[order][1:] != rows[order][:-1]]]
    for k in firsts.tolist():
        chosen[rows[k]], distance[rows[k]] = flat[k], d[k]
    return chosen, distance


def _intake(chunk: list[_Pending], ctx: _Context) -> tuple[list[_Pending], np.ndarray, np.ndarray]:
    """Storage coordinates for the chunk through gis.intake's many-points door (axes, ranges, service area); a
    chunk that fails is halved until the bad rows are found, each rejected with intake's own message."""
    if not chunk:
        return [], np.array([]), np.array([])
    try:
        xy = _intake_coordinates(chunk, ctx.crs)
        return chunk, xy[:, 0], xy[:, 1]
    except DimingError as error:
        if len(chunk) == 1:
            p = chunk[0]
            hint = f" {error.hint}" if error.hint else ""
            ctx.report.reject(p.line, "lon,lat", f"{p.x}, {p.y}", f"{error.message}{hint}")
            return [], np.array([]), np.array([])
    half = len(chunk) // 2
    left, right = _intake(chunk[:half], ctx), _intake(chunk[half:], ctx)
    return left[0] + right[0], np.concatenate([left[1], right[1]]), np.concatenate([left[2], right[2]])


def _intake_coordinates(chunk: list[_Pending], crs) -> np.ndarray:
    return intake_points([(p.x, p.y) for p in chunk], crs=crs)


def _located_roads(p: _Pending, where: int, lon: float, lat: float, ctx: _Context) -> list[_Road]:
    report = ctx.report
    if where < 0:
        report.reject(p.line, "lon,lat", f"{lon:.6f}, {lat:.6f}",
                      _("The position is outside the city's administrative areas"))
        return []
    code12 = ctx.locator.code12[where]
    if ctx.prefixes is not ALL and not any(code12.startswith(prefix) for prefix in ctx.prefixes):
        report.reject(p.line, "lon,lat", f"{lon:.6f}, {lat:.6f}", _("The position is outside your area"))
        return []
    return _roads_for(p, ctx)


def _row(p: _Pending, road: _Road, where: int, lon: float, lat: float, ctx: _Context) -> loading.PlateRow:
    ctx.used_areas.add(where)
    text = texts_for(ctx.area_prefixes[where], road.name, road.pinyin_key, road.initials, p.number,
                     p.building, p.unit, p.room, group=p.group)
    number = p.number or HouseNumber(1)  # sub, style and annex of a plate without a number: 0, dash, no
    ids = {"road_id": None, "village_id": None, "residential_area_id": None, f"{_BASE_CELLS[road.kind]}_id": road.uuid}
    return loading.PlateRow(
        line=p.line, **ids, number=p.number.number if p.number else None, sub_number=number.sub,
        sub_style=number.style, annex=number.annex, building=p.building, unit=p.unit, room=p.room, plate_type=p.plate_type,
        status=p.status, installed_on=p.installed_on, lon=lon, lat=lat, area_id=int(ctx.locator.ids[where]),
        road_name=road.name, number_label=text.number_label, address=text.address, search_text=text.search_text,
        source="import", batch_id=ctx.batch_id, villager_group=p.group)


def _roads_for(p: _Pending, ctx: _Context) -> list[_Road]:
    """The bases a row may mean: a road by UUID, or every in-use road, village or residential area of that name (the
    point picks the nearest; a plate near a county line may belong to the neighbouring county's road)."""
    report = ctx.report
    if p.base_kind != BaseKind.ROAD:
        found = ctx.roads_by_name.get((p.base_kind, p.road_name), [])
        if not found:
            report.reject(p.line, _BASE_CELLS[p.base_kind], p.road_name,
                          _("No such village (it must be a named village or natural village in use).")
                          if p.base_kind == BaseKind.VILLAGE
                          else _("No such residential area (it must be a named residential area in use)."))
        return found
    if p.road_uuid:
        road = ctx.roads_by_uuid.get(p.road_uuid.lower())
        if road is None:
            report.reject(p.line, "road_uuid", p.road_uuid, _("No such road (the road ID does not exist or was retired)"))
            return []
        if p.road_name and p.road_name != road.name:
            report.reject(p.line, "road", p.road_name, _("The road ID is %(road)s's, not the road named")
                          % {"road": road.name})
            return []
        return [road]
    roads = ctx.roads_by_name.get((BaseKind.ROAD, p.road_name), [])
    if not roads:
        report.reject(p.line, "road", p.road_name, _("No such road (it must be a named road in use)"))
    return roads


def _reject_duplicates(report: ImportReport) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_IN_FILE_DUPLICATES)
        in_file = cursor.fetchall()
    for line, first in in_file:
        report.reject(line, "number", "", _("Same as row %(row)s (same road, house number, building, unit and room)")
                      % {"row": first})
    loading.drop_staged([line for line, _first in in_file])
    existing = loading.duplicate_lines()
    for line, address in existing:
        report.reject(line, "number", address, _("The plate already exists"))
    loading.drop_staged([line for line, _address in existing])


_IN_FILE_DUPLICATES = """
SELECT line, first_line FROM (
    SELECT line, first_value(line) OVER w AS first_line, row_number() OVER w AS n
    FROM doorplate_staging
    WINDOW w AS (PARTITION BY road_id, village_id, residential_area_id, villager_group, number, sub_number, annex, building, unit, room
                 ORDER BY line)
) ranked WHERE n > 1
"""


def _finish(batch: DoorplateImport, report: ImportReport, ctx: _Context, actor, progress: Progress | None,
            staged: int) -> None:
    if progress:
        progress("insert", 0, None)
    report.created = loading.insert_staged(staged)
    if progress:
        progress("insert", report.created, report.created)  # also where a cancel asked during the insert stops it
    batch.total_rows, batch.created, batch.rejected = report.total, report.created, len(report.rejected_rows)
    batch.area = _common_area(ctx)
    batch.save()
    record(batch, Action.IMPORT, actor=actor, reason=_("imported from %(file)s") % {"file": batch.file_name},
           after={"file": batch.file_name, "mode": batch.mode, "rows": report.total, "created": report.created,
                  "rejected": batch.rejected})
    report.committed = True


def _common_area(ctx: _Context) -> AdminArea | None:
    codes = [ctx.locator.code12[i] for i in ctx.used_areas]
    if not codes:
        return None
    common = os.path.commonprefix(codes)
    for length in (9, 6, 4, 2):
        if len(common) >= length:
            area = AdminArea.objects.filter(code12=common[:length].ljust(12, "0")).first()
            if area is not None:
                return area
    return None
