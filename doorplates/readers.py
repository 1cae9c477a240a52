"""Reading doorplate files row by row: CSV (UTF-8 or GBK), XLSX and GeoPackage, without holding a million dicts.

Each reader yields ``(line, values)`` with ``values`` a tuple in the order of ``Table.columns`` (canonical
column names after the Chinese and English header aliases). A GeoPackage's point geometry becomes lon/lat
columns in the layer's own CRS, which ``Table.crs`` reports.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from boundaries.importing import check_cells, csv_rows
from core import tabular
from doorplates import file_words
from doorplates.addresses import BASE_HEADERS
from gis import gdal_files
from gis.errors import EncodingError, InputError

HEADER_ALIASES = {
    **file_words.HEADERS, **BASE_HEADERS, "road_name": "road", "road_id": "road_uuid", "village_name": "village",
    "residential": "residential_area", "type": "plate_type", "installed": "installed_on",
    "lng": "lon", "longitude": "lon", "x": "lon", "latitude": "lat", "y": "lat",
}
COLUMNS = ("road", "road_uuid", "village", "residential_area", "villager_group", "county", "number", "building", "unit", "room", "plate_type", "status",
           "installed_on", "lon", "lat", "address")
FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".gpkg": "gpkg"}


@dataclass
class Table:
    columns: tuple[str, ...]  # canonical names present in the file
    rows: Iterator[tuple[int, tuple]]
    total: int | None  # data rows, when known before reading
    notes: list[str]
    crs: object = None  # the CRS the file declares (GeoPackage), else None
    headers: tuple[str, ...] = ()  # the header row as the file wrote it, in the order of ``columns``

    def index(self, name: str) -> int | None:
        return self.columns.index(name) if name in self.columns else None

    def header_of(self) -> dict[str, str]:
        """canonical column name -> the header the file used for it (经度 for lon), so reports speak the user's
        words."""
        return {column: header for column, header in zip(self.columns, self.headers, strict=False) if header}


# What a column is called where the file has none to name it (a missing column, the template files): in the
# user's language; the Chinese labels are also headers the reader understands (HEADER_ALIASES).
COLUMN_LABELS = {
    "road": pgettext_lazy("import column", "road"), "road_uuid": pgettext_lazy("import column", "road ID"),
    "villager_group": pgettext_lazy("import column", "villager group"),
    "county": pgettext_lazy("import column", "county"), "number": pgettext_lazy("import column", "house number"),
    "building": pgettext_lazy("import column", "building"), "unit": pgettext_lazy("import column", "unit"),
    "room": pgettext_lazy("import column", "room"), "plate_type": pgettext_lazy("import column", "plate type"),
    "status": pgettext_lazy("import column", "status"),
    "installed_on": pgettext_lazy("import column", "installed on"),
    "lon": pgettext_lazy("import column", "longitude"), "lat": pgettext_lazy("import column", "latitude"),
    "address": pgettext_lazy("import column", "address"),
}
TEMPLATE_COLUMNS = ("road", "number", "lon", "lat", "county", "building", "unit", "room", "plate_type", "status",
                    "installed_on")


def column_label(column: str, headers: dict[str, str] | None = None) -> str:
    """How a report names ``column`` (``lon,lat`` for a point): the file's own header, else its label."""
    if "," in column:
        return " / ".join(column_label(part, headers) for part in column.split(","))
    return (headers or {}).get(column) or str(COLUMN_LABELS.get(column, column))


def canonical(header: str) -> str:
    key = str(header or "").strip().replace("\ufeff", "")
    return HEADER_ALIASES.get(key, HEADER_ALIASES.get(key.lower(), key.lower()))


def format_of(path: Path, declared: str | None = None) -> str:
    fmt = declared or FORMATS.get(path.suffix.lower())
    if fmt not in {"csv", "xlsx", "gpkg"}:
        raise InputError(_("Unsupported file format: %(suffix)s") % {"suffix": path.suffix[:20] or _("(no extension)")},
                         code="unsupported_format", hint=_("CSV (UTF-8 or GBK), XLSX and GeoPackage (.gpkg) are read."))
    return fmt


def open_table(path: Path, fmt: str, encoding: str = "auto", label: str = "") -> Table:
    """The rows of ``path``; ``label`` names the file in errors (the name its user gave it, never the path)."""
    label = label or Path(path).name
    return {"csv": read_csv_table, "xlsx": read_xlsx_table, "gpkg": read_gpkg_table}[fmt](path, encoding, label)


def read_csv_table(path: Path, encoding: str = "auto", label: str = "") -> Table:
    """Streams the file (a million rows never sit in memory as text); the encoding is settled by a first pass."""
    with open(path, "rb") as head:
        tabular.refuse_binary(head.read(16), label or Path(path).name)
    codec, note = detect_encoding(Path(path), encoding)
    total = max(0, _count_lines(Path(path)) - 1)
    handle = open(path, encoding=codec, newline="")  # noqa: SIM115 - closed when the rows are exhausted
    reader = csv_rows(handle)
    try:
        header = next(reader, (1, None))[1]
        if header is not None:
            check_cells(1, header, header)
    except InputError:
        handle.close()
        raise
    if header is None:
        handle.close()
        return Table((), iter(()), 0, [note] if note else [])
    columns = tuple(canonical(h) for h in header)
    names = tuple(_header_text(h) or c for h, c in zip(header, columns, strict=False))  # errors name the file's header

    def rows():
        width = len(columns)
        with handle:
            for line, values in reader:
                if not any(v.strip() for v in values):
                    continue
                if len(values) < width:
                    values = values + [""] * (width - len(values))
                cells = tuple(v.strip() for v in values[:width])
                check_cells(line, names, cells)
                yield line, cells

    return Table(columns, rows(), total, [note] if note else [], headers=tuple(_header_text(h) for h in header))


def _header_text(header) -> str:
    return str(header or "").strip().replace("\ufeff", "")


CHUNK_BYTES = 1 << 20


def detect_encoding(path: Path, encoding: str = "auto") -> tuple[str, str | None]:
    """The codec to read ``path`` with and a note for the report: ``auto`` is UTF-8 (with or without BOM), else
    GB18030 (a superset of GBK). A file that is neither raises EncodingError naming the line (like
    boundaries.importing.decode, without holding the file in memory)."""
    if encoding != "auto":
        codec = "utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding
        try:
            codecs.lookup(codec)
        except LookupError as exc:
            raise EncodingError(_("Unknown encoding: %(encoding)s") % {"encoding": encoding}, where={"encoding": encoding}) from exc
        _check_decodes(path, codec, encoding)
        return codec, None
    try:
        _check_decodes(path, "utf-8-sig", "UTF-8")
        return "utf-8-sig", None
    except EncodingError:
        _check_decodes(path, "gb18030", _("UTF-8 or GBK/GB18030"))
        return "gb18030", _("The file is not UTF-8: it was decoded as GB18030 (which GBK is part of).")


def _check_decodes(path: Path, codec: str, label: str) -> None:
    decoder = codecs.getincrementaldecoder(codec)()
    offset, lines = 0, 1
    with open(path, "rb") as f:
        while True:
            chunk = f.read(CHUNK_BYTES)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                where = max(0, min(exc.start, len(chunk)))
                line = lines + chunk.count(b"\n", 0, where)
                hint = _("The file may be GBK: choose GBK or “detect”.") if label.lower().startswith("utf") else None
                raise EncodingError(_("The file is not %(encoding)s and cannot be read") % {"encoding": label}, where={"row": line, "byte": offset + where},
                                    hint=hint) from exc
            if not chunk:
                return
            offset += len(chunk)
            lines += chunk.count(b"\n")


def _count_lines(path: Path) -> int:
    count, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (0 if last == b"\n" else 1)


XLSX_MAX_COLUMNS = 200


def read_xlsx_table(path: Path, encoding: str = "auto", label: str = "") -> Table:
    from openpyxl import load_workbook

    label = label or Path(path).name
    tabular.check_xlsx_archive(path, label)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file; none names the path
        raise InputError(_("%(file)s cannot be read as XLSX.") % {"file": label}, code="unreadable_file") from exc
    rows = sheet.iter_rows(values_only=True, max_col=XLSX_MAX_COLUMNS)
    header = tuple(tabular.cell(h) for h in (next(rows, None) or ()))
    while header and not header[-1]:
        header = header[:-1]  # a styled empty cell right of the header is no column
    check_cells(1, header, header)
    columns = tuple(canonical(h) for h in header)
    names = tuple(_header_text(h) or c for h, c in zip(header, columns, strict=False))  # errors name the file's header
    total = max(0, (sheet.max_row or 1) - 1) if sheet.max_row else None

    def data():
        width = len(columns)
        for line, values in enumerate(rows, start=2):
            if line > tabular.XLSX_MAX_ROWS + 1:
                raise InputError(_("%(file)s has more than %(rows)s rows.")
                                 % {"file": label, "rows": tabular.XLSX_MAX_ROWS}, code="too_large", where={"row": line})
            cells = tuple(tabular.cell(v) for v in values[:width])
            if any(cells):
                check_cells(line, names, cells)
                yield line, cells + ("",) * (width - len(cells))
        book.close()

    return Table(columns, data(), total, [], headers=tuple(_header_text(h) for h in header))


def read_gpkg_table(path: Path, encoding: str = "auto", label: str = "") -> Table:
    source = gdal_files.open_vector(path, "gpkg", label=label)
    if not len(source):
        return Table((), iter(()), 0, [])
    layer = source[0]
    fields = list(layer.fields)
    # The point geometry is the location; attribute columns that read as lon/lat are kept under other names.
    columns = tuple(f"attribute_{c}" if c in ("lon", "lat") else c for c in map(canonical, fields)) + ("lon", "lat")
    crs = layer.srs.srid if layer.srs is not None and layer.srs.srid else None

    def data():
        for line, feature in enumerate(layer, start=2):
            values = tuple(tabular.cell(feature.get(f)) for f in fields)
            check_cells(line, columns, values)
            geom = feature.geom
            if geom is None or geom.geom_type.name not in ("Point", "Point25D"):
                yield line, values + ("", "")
            else:
                yield line, values + (repr(geom.x), repr(geom.y))

    headers = (*fields, str(COLUMN_LABELS["lon"]), str(COLUMN_LABELS["lat"]))
    return Table(columns, data(), len(layer), [], crs, headers=headers)
