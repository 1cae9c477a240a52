"""Reading a bulk place-name file (CSV in UTF-8 or GBK, XLSX, GeoPackage) row by row, keeping the user's own headers
so that the report names a column the way the file does (名称, 类别代码 ...).

The CSV is decoded as a whole (boundaries.importing.decode: UTF-8, else GB18030, naming the line that is neither):
half a million names are some 60 MB of text. A GeoPackage's geometry (any type) becomes a WKT column in the
layer's own CRS, which ``Table.crs`` reports.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from boundaries.importing import check_cells, csv_rows, decode
from core import tabular
from gis import gdal_files
from gis.errors import InputError

HEADER_ALIASES = {
    "名称": "name", "地名": "name", "标准名称": "name", "标准地名": "name", "name": "name",
    "类别": "category", "地名类别": "category", "类别代码": "category", "地名类别代码": "category",
    "category": "category",
    "区县": "county", "县区": "county", "所在区县": "county", "区县代码": "county", "county": "county",
    "乡镇": "township", "乡镇街道": "township", "所在乡镇": "township", "township": "township",
    "汉语拼音": "pinyin", "拼音": "pinyin", "罗马字母拼写": "pinyin", "pinyin": "pinyin",
    "含义": "meaning", "地名含义": "meaning", "meaning": "meaning",
    "来历": "origin", "地名来历": "origin", "origin": "origin",
    "别名": "aliases", "曾用名": "aliases", "别名/曾用名": "aliases", "别名、曾用名": "aliases", "aliases": "aliases",
    "历史沿革": "history", "history": "history",
    "地理实体描述": "description", "实体描述": "description", "description": "description",
    "资料来源": "source", "来源": "source", "source": "source",
    "登记人": "registrar", "registrar": "registrar",
    "位置描述": "location", "地理位置": "location", "location": "location",
    "经度": "lon", "lng": "lon", "lon": "lon", "longitude": "lon", "纬度": "lat", "lat": "lat", "latitude": "lat",
    "几何": "wkt", "空间数据": "wkt", "wkt": "wkt", "geometry": "wkt",
}
FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".gpkg": "gpkg"}
XLSX_MAX_COLUMNS = 60


@dataclass
class Table:
    columns: tuple[str, ...]  # canonical names
    headers: dict[str, str]  # canonical name -> the file's own header
    rows: Iterator[tuple[int, tuple]]
    notes: list[str]
    crs: object = None

    def index(self, name: str) -> int | None:
        return self.columns.index(name) if name in self.columns else None

    def header(self, name: str) -> str:
        return self.headers.get(name, name)


def canonical(header) -> str:
    key = str(header or "").strip().replace("\ufeff", "")
    return HEADER_ALIASES.get(key, HEADER_ALIASES.get(key.lower(), key.lower()))


def format_of(path: Path, declared: str | None = None) -> str:
    fmt = declared or FORMATS.get(Path(path).suffix.lower())
    if fmt not in {"csv", "xlsx", "gpkg"}:
        raise InputError(_("Files of this kind cannot be imported: upload CSV, XLSX or GeoPackage."),
                         code="unsupported_format")
    return fmt


def open_table(path: Path, fmt: str, encoding: str = "auto", label: str = "") -> Table:
    label = label or Path(path).name
    return {"csv": _csv, "xlsx": _xlsx, "gpkg": _gpkg}[fmt](Path(path), encoding, label)


def _table(header, rows, notes, crs=None) -> Table:
    header = [str(h or "").strip().replace("\ufeff", "") for h in header]
    columns = tuple(canonical(h) for h in header)
    headers = {}
    for column, original in zip(columns, header, strict=True):
        headers.setdefault(column, original)
    return Table(columns, headers, rows, notes, crs)


def _csv(path: Path, encoding: str, label: str) -> Table:
    text, note = decode(path.read_bytes(), encoding, label)
    reader = csv_rows(io.StringIO(text, newline=""))
    header = next(reader, (1, None))[1]
    if header is None:
        return _table((), iter(()), [note] if note else [])
    check_cells(1, header, header)
    width = len(header)

    def rows():
        for line, values in reader:
            if not any(v.strip() for v in values):
                continue
            cells = tuple(v.strip() for v in (values + [""] * width)[:width])
            check_cells(line, header, cells)
            yield line, cells

    return _table(header, rows(), [note] if note else [])


def _xlsx(path: Path, encoding: str, label: str) -> Table:
    from openpyxl import load_workbook

    tabular.check_xlsx_archive(path, label)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise InputError(_("%(file)s cannot be read as XLSX.") % {"file": label}, code="unreadable_file") from exc
    found = sheet.iter_rows(values_only=True, max_col=XLSX_MAX_COLUMNS)
    header = [tabular.cell(h) for h in (next(found, None) or ())]
    while header and not header[-1]:
        header.pop()
    check_cells(1, header, header)
    width = len(header)

    def rows():
        for line, values in enumerate(found, start=2):
            cells = tuple(tabular.cell(v) for v in values[:width])
            if any(cells):
                check_cells(line, header, cells)
                yield line, cells + ("",) * (width - len(cells))
        book.close()

    return _table(header, rows(), [])


def _gpkg(path: Path, encoding: str, label: str) -> Table:
    source = gdal_files.open_vector(path, "gpkg", label=label)
    if not len(source):
        return _table((), iter(()), [])
    layer = source[0]
    fields = list(layer.fields)
    crs = layer.srs.srid if layer.srs is not None and layer.srs.srid else None
    header = [f for f in fields if canonical(f) != "wkt"] + ["wkt"]

    def rows():
        kept = [f for f in fields if canonical(f) != "wkt"]
        for line, feature in enumerate(layer, start=2):
            values = tuple(tabular.cell(feature.get(f)) for f in kept)
            check_cells(line, kept, values)
            geom = feature.geom
            yield line, values + (geom.wkt if geom is not None else "",)

    return _table(header, rows(), [], crs)
