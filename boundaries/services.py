"""Loading official code lists (统计用区划代码 / GB/T 2260) and the demo areas."""

from __future__ import annotations

import copy
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils.translation import gettext as _

from boundaries import code_list_words
from boundaries.importing import ImportReport, read_csv
from boundaries.models import LEVEL_RANK, PREFIX_LENGTH, AdminArea, Level, code12_of
from boundaries.provinces import PROVINCES
from boundaries.signals import area_imported

HEADER_ALIASES = code_list_words.HEADERS
LEVEL_ALIASES = code_list_words.LEVELS
# How many digits the canonical code of a level has: GB/T 2260 for the upper three, the statistical code below.
CODE_LENGTH = {Level.PROVINCE: 6, Level.CITY: 6, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}
REQUIRED = ("code", "name", "level", "parent_code")


def parent_level(level: str) -> str | None:
    order = list(PREFIX_LENGTH)
    rank = LEVEL_RANK[level]
    return order[rank - 1] if rank else None


def _canonical_code(raw: str, level: str) -> str | None:
    """The code at its level's length, accepting the 12-digit padded form; None when it does not fit."""
    if not raw.isdigit() or len(raw) not in (6, 9, 12):
        return None
    length = CODE_LENGTH[level]
    if len(raw) < length or raw[length:].strip("0"):
        return None
    code = raw[:length]
    county_part = code[:6]
    shape_ok = {
        Level.PROVINCE: county_part[2:] == "0000",
        Level.CITY: county_part[2:4] != "00" and county_part[4:] == "00",
        Level.COUNTY: county_part[4:] != "00",
        Level.TOWNSHIP: code[6:] != "000",
        Level.VILLAGE: code[9:] != "000",
    }[level]
    return code if shape_ok else None


def _validate(line: int, row: dict, report: ImportReport) -> dict | None:
    level = LEVEL_ALIASES.get(row.get("level", ""), row.get("level", ""))
    if level not in LEVEL_RANK:
        report.reject(line, "level", row.get("level"), _("The level is province/city/county/township/village (or "
                                                          "%(levels)s)") % {"levels": code_list_words.LEVEL_CHOICES})
        return None
    code = _canonical_code(row.get("code", ""), level)
    if code is None:
        report.reject(line, "code", row.get("code"),
                      _("Not a valid %(level)s code (6, 9 or 12 digits, fitting the level)")
                      % {"level": Level(level).label})
        return None
    name = row.get("name", "")
    if not name or len(name) > 64:
        report.reject(line, "name", name, _("The name is not empty and has at most 64 characters"))
        return None
    parent_raw = row.get("parent_code", "")
    parent_code = None
    if level != Level.PROVINCE:
        parent_lvl = parent_level(level)
        parent_code = _canonical_code(parent_raw, parent_lvl) if parent_raw else None
        expected = code12_of(code)[: PREFIX_LENGTH[parent_lvl]]
        if parent_code is None or not code12_of(parent_code).startswith(expected):
            report.reject(line, "parent_code", parent_raw, _(
                "The parent code is %(expected)s (%(level)s): it does not fit the code %(code)s") % {
                "expected": code12_of(expected)[:CODE_LENGTH[parent_lvl]], "level": Level(parent_lvl).label,
                "code": code})
            return None
    urban = row.get("urban_rural_code", "")
    if urban and not (urban.isdigit() and len(urban) == 3):
        report.reject(line, "urban_rural_code", urban, _("The urban-rural code has 3 digits"))
        return None
    return {"line": line, "code": code, "name": name, "level": level, "parent_code": parent_code,
            "urban_rural_code": urban}


def import_divisions(source: str | Path | bytes, *, commit: str = "all", encoding: str = "auto",
                     actor=None, source_label: str = "", dry_run: bool = False) -> ImportReport:
    """Imports a code list. ``commit="all"`` writes nothing if any row is rejected; ``"valid"`` writes the rest."""
    if commit not in {"all", "valid"}:
        raise ValueError(f"commit must be 'all' or 'valid', not {commit!r}")
    rows, notes = read_csv(source, encoding, HEADER_ALIASES)
    report = ImportReport(total=len(rows), notes=notes)
    if rows:
        missing = [c for c in REQUIRED if c not in rows[0][1]]
        if missing:
            for line, _row in rows:
                report.reject(line, ",".join(missing), "",
                              _("The file lacks required columns: %(columns)s") % {"columns": ", ".join(missing)})
            return report
    accepted = _accept_rows(rows, report)
    if dry_run or (commit == "all" and report.problems) or not accepted:
        return report
    label = source_label or (Path(source).name if not isinstance(source, bytes) else "upload")
    with transaction.atomic():
        _write(accepted, report, actor, f"import:{label}"[:64])
    report.committed = True
    return report


def _accept_rows(rows, report: ImportReport) -> list[dict]:
    valid: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for line, row in rows:
        item = _validate(line, row, report)
        if item is None:
            continue
        if item["code"] in first_line:
            report.reject(line, "code", item["code"], _("Repeated code (already on row %(row)s)")
                          % {"row": first_line[item["code"]]})
            continue
        first_line[item["code"]] = line
        valid[item["code"]] = item
    existing = set(AdminArea.objects.filter(code__in={v["parent_code"] for v in valid.values() if v["parent_code"]})
                   .values_list("code", flat=True))
    accepted: list[dict] = []
    ok: set[str] = set()
    for item in sorted(valid.values(), key=lambda v: (LEVEL_RANK[v["level"]], v["line"])):
        parent = item["parent_code"]
        if parent and parent not in ok and parent not in existing:
            if parent in valid:
                report.reject(item["line"], "parent_code", parent, _("The parent %(code)s (row %(row)s) was not imported")
                              % {"code": parent, "row": valid[parent]["line"]})
                continue
            if parent not in PROVINCES:
                report.reject(item["line"], "parent_code", parent,
                              _("The parent code is neither in the file nor in the system"))
                continue
            report.notes.append(_("The parent %(code)s %(name)s is not in the file: it was added from the GB/T 2260 "
                                  "list of provinces.") % {"code": parent, "name": PROVINCES[parent]})
            accepted.append({"line": 0, "code": parent, "name": PROVINCES[parent], "level": Level.PROVINCE,
                             "parent_code": None, "urban_rural_code": ""})
            existing.add(parent)
        ok.add(item["code"])
        accepted.append(item)
    return accepted


def _write(items: list[dict], report: ImportReport, actor, source: str):
    by_code = {a.code: a for a in AdminArea.objects.filter(code__in=[i["code"] for i in items])}
    for item in items:
        parent = by_code.get(item["parent_code"]) if item["parent_code"] else None
        if parent is None and item["parent_code"]:
            parent = by_code[item["parent_code"]] = AdminArea.objects.get(code=item["parent_code"])
        area = by_code.get(item["code"])
        fields = {"name": item["name"], "level": item["level"], "parent": parent}
        if item["urban_rural_code"]:
            fields["urban_rural_code"] = item["urban_rural_code"]
        if area is None:
            area = AdminArea(code=item["code"], source=source, **fields)
            area.save()
            area_imported.send(AdminArea, area=area, before=None, actor=actor, reason=source)
            report.created += 1
        elif any(getattr(area, k) != v for k, v in fields.items()):
            before = copy.copy(area)
            for key, value in fields.items():
                setattr(area, key, value)
            area.save()
            area_imported.send(AdminArea, area=area, before=before, actor=actor, reason=source)
            report.updated += 1
        else:
            report.unchanged += 1
        by_code[area.code] = area


def save_demo_areas(specs) -> dict[str, AdminArea]:
    """Writes the demo areas (boundaries.demo.build_area_specs) in one pass; returns them by code."""
    areas: dict[str, AdminArea] = {}
    for spec in specs:
        geom = GEOSGeometry(memoryview(spec.geom.wkb), srid=4490) if spec.geom is not None else None
        point = GEOSGeometry(memoryview(spec.service_point.wkb), srid=4490) if spec.service_point is not None else None
        area, _created = AdminArea.objects.update_or_create(
            code=spec.code,
            defaults={"name": spec.name, "level": spec.level, "parent": areas.get(spec.parent_code),
                      "geom": geom, "urban_rural_code": spec.urban_rural_code,
                      "elderly_population": spec.elderly_population, "service_point": point, "source": "demo"},
        )
        areas[spec.code] = area
    return areas
