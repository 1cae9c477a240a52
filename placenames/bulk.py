"""Loading place names in bulk (地名普查 data: roads, residential areas, buildings, villages, natural villages, bridges,
natural features) with a report of every rejected row, in the file's own column names.

Rows are checked in Python (name, GB/T 18521 category, county and township, geometry and whether the category may
have it, pinyin) and COPYed into a staging table; SQL then finds the admin area of each geometry, duplicates within
the file and against the register, and the records the checking rules flag (placenames.checking): they are loaded
and wait in the checking queue (校核). ``commit="all"`` writes nothing when any row is rejected, ``"valid"`` the rest.
"""

from __future__ import annotations

import io
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import area_prefixes, has_role
from boundaries.importing import ImportReport
from boundaries.models import AdminArea
from gis.crs import CRS, STORAGE_SRID, parse_crs
from gis.errors import DimingError, InputError, PermissionDenied
from gis.intake import intake_geometry, parse_lonlat
from placenames import bulk_files, bulk_sql, checking
from placenames.bases import NATURAL_VILLAGE_CATEGORY
from placenames.models import PlaceCategory, PlaceImport, PlaceKind
from placenames.pinyin import reading
from placenames.rules import GEOMETRY_KIND_OF, geometry_label

Progress = Callable[[str, int, int | None], None]
MAX_NAME = 100
COPY_CHUNK = 20_000
GEOGRAPHIC_STORAGE = (CRS.CGCS2000, CRS.WGS84)  # coincide at map scale (DOMAIN.md): stored as they are
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
CENSUS_FIELDS = ("meaning", "origin", "aliases", "history", "description", "source", "registrar", "location")


class _Rollback(Exception):
    pass


@dataclass
class _Lookups:
    categories: dict  # code or name -> PlaceCategory
    kinds: dict  # id -> PlaceKind
    counties: dict  # name or code6 -> AdminArea
    townships: dict  # (county code6, name) -> AdminArea
    prefixes: tuple | None  # the importer's areas (None: everywhere)
    crs: object
    box: tuple = ()  # the service area (settings.DIMING_SERVICE_AREA)
    positions: dict = field(default_factory=dict)  # the table's canonical column name -> its index in a row
    road_terms: tuple = ()  # checking.road_terms of the kinds


def import_places(source: str | Path, *, fmt: str | None = None, commit: str = "all", encoding: str = "auto",
                  crs="EPSG:4490", actor=None, dry_run: bool = False, file_name: str = "",
                  progress: Progress | None = None) -> ImportReport:
    if commit not in {"all", "valid"}:
        raise ValueError(f"commit must be 'all' or 'valid', not {commit!r}")
    if actor is not None and not has_role(actor, Role.OFFICER):
        raise PermissionDenied(_("Importing place names needs the officer role."), code="role_required")
    path = Path(source)
    label = file_name or path.name
    table = bulk_files.open_table(path, bulk_files.format_of(path, fmt), encoding, label)
    _require_columns(table)
    report = ImportReport(total=0, notes=list(table.notes))
    lookups = _lookups(actor, parse_crs(table.crs) if table.crs else parse_crs(crs))
    lookups.positions = {name: i for i, name in reversed(list(enumerate(table.columns)))}  # the first wins
    started = time.perf_counter()
    try:
        with transaction.atomic():
            batch = PlaceImport.objects.create(file_name=label[:200], actor=actor, mode=commit)
            _stage(table, report, lookups, progress)
            laps = [time.perf_counter()]
            _check_in_sql(table, report, lookups.prefixes)
            laps.append(time.perf_counter())
            if dry_run or (commit == "all" and report.problems) or report.accepted == 0:
                raise _Rollback
            if progress:
                progress("insert", 0, report.accepted)
            created, flagged = bulk_sql.insert_staged(batch.pk, actor.pk if actor is not None else None)
            batch.created, batch.flagged = created, flagged
            batch.save(update_fields=["created", "flagged"])
            report.created = created
            laps.append(time.perf_counter())
            report.notes.append(_("Row checks %(rows).1f s, register checks %(sql).1f s, writing %(insert).1f s.")
                                % {"rows": laps[0] - started, "sql": laps[1] - laps[0], "insert": laps[2] - laps[1]})
            report.committed = True
            report.notes.append(_("%(n)s records flagged for checking.") % {"n": flagged})
    except _Rollback:
        report.committed = False
    report.notes.append(_("Took %(s).1f seconds.") % {"s": time.perf_counter() - started})
    report.problems.sort(key=lambda p: p.row)
    return report


def _require_columns(table: bulk_files.Table) -> None:
    has_geometry = "wkt" in table.columns or ("lon" in table.columns and "lat" in table.columns)
    missing = [label for label, ok in ((_("name"), "name" in table.columns),
                                       (_("category"), "category" in table.columns),
                                       (_("geometry (longitude and latitude, or WKT)"), has_geometry)) if not ok]
    if missing:
        raise InputError(_("The file lacks required columns: %(columns)s") % {"columns": ", ".join(missing)},
                         code="missing_columns",
                         hint=_("Needed: name, category code (or category name) and longitude + latitude (or a WKT column)."))


def _lookups(actor, crs) -> _Lookups:
    categories = {}
    for category in PlaceCategory.objects.select_related("kind"):
        categories[category.code] = categories[category.name] = category
    counties, townships = {}, {}
    for area in AdminArea.objects.filter(level__in=("county", "township")).defer("geom"):
        if area.level == "county":
            counties[area.code] = counties[area.name] = area
        else:
            townships[(area.code12[:6], area.name)] = area
    kinds = {k.pk: k for k in PlaceKind.objects.all()}
    return _Lookups(categories=categories, kinds=kinds, road_terms=checking.road_terms(kinds.values()), counties=counties,
                    townships=townships, prefixes=None if actor is None else area_prefixes(actor), crs=crs,
                    box=tuple(float(v) for v in settings.DIMING_SERVICE_AREA))


def _stage(table, report, lookups, progress) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS placenames_staging")  # a test's outer transaction keeps the last one
        cursor.execute(bulk_sql.CREATE_STAGING)
        with cursor.cursor.copy(bulk_sql.COPY_STAGING) as copy:
            buffer, pending = io.StringIO(), 0
            for line, values in table.rows:
                report.total += 1
                staged = _check_row(line, values, table, report, lookups)
                if staged is not None:
                    buffer.write(staged)
                    pending += 1
                if pending >= COPY_CHUNK:
                    copy.write(buffer.getvalue())
                    buffer, pending = io.StringIO(), 0
                    if progress:
                        progress("rows", report.total, None)
            copy.write(buffer.getvalue())


def _check_row(line, values, table, report, lookups) -> str | None:
    """The row as a line of COPY text, or None when it is rejected (the report says why)."""
    positions, width = lookups.positions, len(values)
    get = lambda name: values[i] if (i := positions.get(name, width)) < width else ""  # noqa: E731
    before = len(report.problems)
    name = unicodedata.normalize("NFKC", get("name")).strip()
    category = checking.category_for_code(get("category"), lookups.categories)
    county = lookups.counties.get(get("county")) if get("county") else None
    _check_name(line, name, table, report)
    if category is None:
        report.reject(line, table.header("category"), get("category"),
                      _("unknown place-name category: give a GB/T 18521 code or name (e.g. %(example)s)") % {"example": "2351"})
    if get("county") and county is None:
        report.reject(line, table.header("county"), get("county"), _("unknown county"))
    area = county
    if county is not None and get("township"):
        area = lookups.townships.get((county.code, get("township")))
        if area is None:
            report.reject(line, table.header("township"), get("township"), _("no such township in the county"))
    if area is not None and lookups.prefixes is not None and not area.code12.startswith(lookups.prefixes):
        report.reject(line, table.header("county"), get("county"), _("outside the areas you work in"))
    geom = _geometry(line, get, table, report, lookups)
    if geom is not None and category is not None:
        allowed = [g.strip() for g in category.kind.geometry_kinds.split(",")]
        if GEOMETRY_KIND_OF.get(geom[0]) not in allowed:
            report.reject(line, table.header("wkt" if get("wkt") else "lon"),
                          geometry_label(GEOMETRY_KIND_OF.get(geom[0], geom[0])),
                          _("a %(category)s is drawn as %(allowed)s") % {
                              "category": category.name, "allowed": " / ".join(geometry_label(a) for a in allowed)})
    if len(report.problems) > before:
        return None
    standard, specific, generic, sounds = _reading(name, category.code == NATURAL_VILLAGE_CATEGORY)
    flags = checking.row_flags(name, get("pinyin"), category, standard=standard, generic=generic)
    pinyin = get("pinyin") or standard
    key = "".join(sounds).replace("ü", "v") if pinyin else ""
    initials = "".join(s[0] for s in sounds).replace("ü", "v") if pinyin else ""
    census = [get(f) for f in CENSUS_FIELDS]
    cells = [str(line), str(uuid.uuid4()), name, specific, generic, pinyin, key, initials, str(category.pk),
             str(checking.kind_for(category, generic, lookups.road_terms)),
             str(area.pk) if area else None, geom[1], checking.flags_json(flags), *census]
    # None is COPY's NULL (the area is then found from the geometry, placenames.bulk_sql): written unescaped
    return "\t".join("\\N" if c is None else c.translate(_ESCAPE) for c in cells) + "\n"


def _check_name(line, name, table, report) -> None:
    header = table.header("name")
    if not name:
        report.reject(line, header, name, _("the name is empty"))
    elif len(name) > MAX_NAME:
        report.reject(line, header, name, _("the name is longer than %(n)s characters") % {"n": MAX_NAME})
    elif any(unicodedata.category(c)[0] not in "LN" and c not in "·-()" for c in name):
        report.reject(line, header, name, _("the name holds characters that are not letters or digits"))


def _geometry(line, get, table, report, lookups) -> tuple[str, str] | None:
    """(geometry type, the geometry as COPY takes it: hex EWKB, or EWKT for a plain point), or None when the
    geometry is rejected (the report says why)."""
    try:
        if "wkt" in table.columns and get("wkt"):
            return _stored(intake_geometry(get("wkt"), crs=lookups.crs).geometry)
        lon, lat = parse_lonlat(get("lon"), get("lat"), lon_field=table.header("lon"),
                                lat_field=table.header("lat"), row=line)
        if lookups.crs in GEOGRAPHIC_STORAGE and _in_box(lon, lat, lookups.box):
            # the common case, without intake's general machinery; repr() gives the float back exactly
            return "Point", f"SRID={STORAGE_SRID};POINT({lon!r} {lat!r})"
        return _stored(intake_geometry((lon, lat), crs=lookups.crs, expected="Point").geometry)
    except DimingError as error:
        column = table.header("wkt") if "wkt" in table.columns and get("wkt") else table.header("lon")
        value = get("wkt") if "wkt" in table.columns and get("wkt") else f"{get('lon')}, {get('lat')}"
        report.reject(line, column, value, _("bad geometry: %(why)s") % {"why": error.message})
        return None


def _stored(geom) -> tuple[str, str]:
    return geom.geom_type, geom.hexewkb.decode()


def _in_box(lon: float, lat: float, box) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


@lru_cache(maxsize=100_000)  # a census repeats its village names (下岙, 上垟) county after county
def _reading(name: str, natural_village: bool = False) -> tuple[str, str, str, tuple[str, ...]]:
    """(standard romanization, specific, generic, toneless syllables) as romanize, split_name and syllables
    give them (placenames.pinyin), from one reading; a name without a reading has no romanization, no generic
    and no syllables."""
    try:
        found = reading(name, one_word=natural_village)  # a natural village's name is one word (1984 art. 3)
    except DimingError:
        return "", name, "", ()
    return found.romanization, found.specific, found.generic, tuple(s for s in found.syllables if s)


def _check_in_sql(table, report, prefixes) -> None:
    """Areas, duplicates and the rules that need the register (placenames.bulk_sql)."""
    for line, reason, value in bulk_sql.locate_and_find_duplicates(prefixes):
        column = table.header("name") if reason not in ("outside", "region") else table.header(
            "wkt" if "wkt" in table.columns else "lon")
        report.reject(line, column, value, {
            "outside": _("the geometry lies outside every county of the city"),
            "region": _("outside the areas you work in"),
            "file": _("the same name and category appear earlier in the file"),
            "registered": _("this name is already registered in the county for this kind of place"),
        }[reason])
