"""Reading doorplate files row by row: CSV (UTF-8 or GBK), XLSX and GeoPackage, without holding a million dicts.

Each reader yields ``(line, values)`` with ``values`` a tuple in the order of ``Table.columns`` (canonical
column names after the Chinese and English header aliases). A GeoPackage's point geometry becomes lon/lat
columns in the layer's own CRS, which ``Table.crs`` reports.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gis.errors import EncodingError, InputError

HEADER_ALIASES = {
    "道路": "road", "路名": "road", "道路名称": "road", "街路巷": "road", "街路巷名称": "road", "road_name": "road",
    "道路编码": "road_uuid", "道路标识": "road_uuid", "road_id": "road_uuid",
    "区县": "county", "县区": "county", "区县代码": "county", "区县名称": "county",
    "门牌号": "number", "门牌号码": "number", "号": "number", "号码": "number",
    "幢": "building", "幢号": "building", "楼": "building", "楼栋": "building", "楼号": "building",
    "单元": "unit", "单元号": "unit", "室": "room", "室号": "room", "户室": "room", "户室号": "room",
    "类型": "plate_type", "门牌类型": "plate_type", "牌类": "plate_type", "type": "plate_type",
    "状态": "status", "安装日期": "installed_on", "安装时间": "installed_on", "installed": "installed_on",
    "经度": "lon", "lng": "lon", "longitude": "lon", "x": "lon", "纬度": "lat", "latitude": "lat", "y": "lat",
    "地址": "address", "标准地址": "address",
}
COLUMNS = ("road", "road_uuid", "county", "number", "building", "unit", "room", "plate_type", "status",
           "installed_on", "lon", "lat", "address")
FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".gpkg": "gpkg"}


@dataclass
class Table:
    columns: tuple[str, ...]  # canonical names present in the file
    rows: Iterator[tuple[int, tuple]]
    total: int | None  # data rows, when known before reading
    notes: list[str]
    crs: object = None  # the CRS the file declares (GeoPackage), else None

    def index(self, name: str) -> int | None:
        return self.columns.index(name) if name in self.columns else None


def canonical(header: str) -> str:
    key = str(header or "").strip().replace("\ufeff", "")
    return HEADER_ALIASES.get(key, HEADER_ALIASES.get(key.lower(), key.lower()))


def format_of(path: Path, declared: str | None = None) -> str:
    fmt = declared or FORMATS.get(path.suffix.lower())
    if fmt not in {"csv", "xlsx", "gpkg"}:
        raise InputError(f"不支持的文件格式：{path.suffix or path.name}", code="unsupported_format",
                         hint="支持 CSV（UTF-8 或 GBK）、XLSX 和 GeoPackage (.gpkg)")
    return fmt


def open_table(path: Path, fmt: str, encoding: str = "auto") -> Table:
    return {"csv": read_csv_table, "xlsx": read_xlsx_table, "gpkg": read_gpkg_table}[fmt](path, encoding)


def read_csv_table(path: Path, encoding: str = "auto") -> Table:
    """Streams the file (a million rows never sit in memory as text); the encoding is settled by a first pass."""
    codec, note = detect_encoding(Path(path), encoding)
    total = max(0, _count_lines(Path(path)) - 1)
    handle = open(path, encoding=codec, newline="")  # noqa: SIM115 - closed when the rows are exhausted
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        handle.close()
        return Table((), iter(()), 0, [note] if note else [])
    columns = tuple(canonical(h) for h in header)

    def rows():
        width = len(columns)
        with handle:
            for values in reader:
                if not any(v.strip() for v in values):
                    continue
                if len(values) < width:
                    values = values + [""] * (width - len(values))
                yield reader.line_num, tuple(v.strip() for v in values[:width])

    return Table(columns, rows(), total, [note] if note else [])


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
            raise EncodingError(f"未知的编码：{encoding}", where={"encoding": encoding}) from exc
        _check_decodes(path, codec, encoding)
        return codec, None
    try:
        _check_decodes(path, "utf-8-sig", "UTF-8")
        return "utf-8-sig", None
    except EncodingError:
        _check_decodes(path, "gb18030", "UTF-8 或 GBK/GB18030")
        return "gb18030", "文件不是 UTF-8 编码，已按 GB18030（兼容 GBK）解码。"


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
                hint = "该文件可能是 GBK 编码，请选择 GBK 或“自动识别”。" if label.lower().startswith("utf") else None
                raise EncodingError(f"文件不是 {label} 编码，无法读取", where={"row": line, "byte": offset + where},
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


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e6:
        return str(int(value))
    return str(value).strip()


def read_xlsx_table(path: Path, encoding: str = "auto") -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError(f"无法读取 XLSX 文件：{exc}", code="unreadable_file") from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = tuple(canonical(_cell(h)) for h in header)
    total = max(0, (sheet.max_row or 1) - 1) if sheet.max_row else None

    def data():
        for line, values in enumerate(rows, start=2):
            cells = tuple(_cell(v) for v in values[: len(columns)])
            if any(cells):
                yield line, cells + ("",) * (len(columns) - len(cells))
        book.close()

    return Table(columns, data(), total, [])


def read_gpkg_table(path: Path, encoding: str = "auto") -> Table:
    from django.contrib.gis.gdal import DataSource, GDALException

    try:
        source = DataSource(str(path), encoding="utf-8")
    except GDALException as exc:
        raise InputError(f"无法读取 GeoPackage 文件：{exc}", code="unreadable_file") from exc
    if not len(source):
        return Table((), iter(()), 0, [])
    layer = source[0]
    fields = list(layer.fields)
    # The point geometry is the location; attribute columns that read as lon/lat are kept under other names.
    columns = tuple(f"attribute_{c}" if c in ("lon", "lat") else c for c in map(canonical, fields)) + ("lon", "lat")
    crs = layer.srs.srid if layer.srs is not None and layer.srs.srid else None

    def data():
        for line, feature in enumerate(layer, start=2):
            values = tuple(_cell(feature.get(f)) for f in fields)
            geom = feature.geom
            if geom is None or geom.geom_type.name not in ("Point", "Point25D"):
                yield line, values + ("", "")
            else:
                yield line, values + (repr(geom.x), repr(geom.y))

    return Table(columns, data(), len(layer), [], crs)
