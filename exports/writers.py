"""File writers: CSV (UTF-8, UTF-8 with BOM, GBK; split below a size limit), XLSX, GeoJSON and GeoPackage.

Writers take rows chunk by chunk and never hold a whole export in memory. Nothing is dropped silently: a character
GBK cannot hold becomes "?" with a warning naming the row, the column and the character; an illegal XLSX control
character likewise. A text that a spreadsheet would run as a formula is written as text (gis.spreadsheets).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from gis.errors import DimingError, InputError
from gis.spreadsheets import csv_row, xlsx_cell

log = logging.getLogger(__name__)

# label, codec, byte-order mark
ENCODINGS = {
    "utf-8": ("UTF-8", "utf-8", b""),
    "utf-8-sig": ("UTF-8 with BOM (Excel)", "utf-8", b"\xef\xbb\xbf"),
    "gbk": ("GBK", "gbk", b""),
}
XLSX_MAX_ROWS = 1_048_576  # per sheet, header included


class ExportFailed(DimingError):
    code = "export_failed"
    http_status = 500


def codec_of(encoding: str) -> tuple[str, bytes]:
    if encoding not in ENCODINGS:
        raise InputError(_("Unsupported encoding %(encoding)s (choose from %(choices)s).") % {"encoding": encoding, "choices": ", ".join(ENCODINGS)}, code="bad_encoding",
                         where={"encoding": encoding})
    _label, codec, bom = ENCODINGS[encoding]
    return codec, bom


@dataclass
class Warnings:
    """Per-row warnings: the first ``keep`` in full, every one counted."""

    keep: int = 1000
    items: list[dict] = field(default_factory=list)
    count: int = 0

    def add(self, row: int, column: str, message: str, record: str = "") -> None:
        self.count += 1
        if len(self.items) < self.keep:
            self.items.append({"row": row, "record": record, "column": column, "message": message})

    def write(self, path: Path) -> Path | None:
        """The warnings as a UTF-8 CSV beside the export (``name.warnings.csv``); None when there are none."""
        if not self.count:
            return None
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "record", "column", "message"])
            for item in self.items:
                writer.writerow(csv_row([item["row"], item["record"], item["column"], item["message"]]))
            if self.count > len(self.items):
                writer.writerow(["", "", "", f"… {self.count - len(self.items)} more"])
        return path


def part_path(path: Path, number: int) -> Path:
    """name.csv -> name.part1.csv"""
    return path.with_name(f"{path.stem}.part{number}{path.suffix}")


class CsvWriter:
    """CSV in the chosen encoding; with ``max_bytes`` the file is cut into parts, each with the header, each
    below the limit (name.part1.csv, name.part2.csv ...; a single part keeps the plain name)."""

    def __init__(self, path: Path, header: list[str], *, encoding: str = "utf-8", max_bytes: int | None = None,
                 warnings: Warnings, id_column: int | None = None):
        self.path, self.header = Path(path), list(header)
        self.codec, self.bom = codec_of(encoding)
        self.max_bytes, self.warnings, self.id_column = max_bytes, warnings, id_column
        self.rows_written = 0
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer)
        self._parts: list[Path] = []
        self._handle = None
        self._size = 0
        self._header_bytes = self._encode_line(self.header, 0)
        if max_bytes is not None and len(self._header_bytes) + len(self.bom) >= max_bytes:
            raise InputError(_("A part is smaller than the header."), code="part_too_small")
        self._open_part()

    # -- encoding ------------------------------------------------------------------------------------------------
    def _render(self, rows) -> str:
        self._csv.writerows(map(csv_row, rows))
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text

    def _encode_line(self, row: list, row_number: int) -> bytes:
        text = self._render([row])
        try:
            return text.encode(self.codec)
        except UnicodeEncodeError:
            return self._render([self._replace_unencodable(row, row_number)]).encode(self.codec)

    def _replace_unencodable(self, row: list, row_number: int) -> list:
        record = str(row[self.id_column]) if self.id_column is not None and row_number else ""
        cleaned = []
        for column, value in zip(self.header, row, strict=False):
            if isinstance(value, str):
                bad = sorted({ch for ch in value if not _encodable(ch, self.codec)})
                if bad:
                    for ch in bad:
                        value = value.replace(ch, "?")
                    characters = _(", ").join(f"“{ch}”(U+{ord(ch):04X})" for ch in bad)
                    self.warnings.add(row_number, column, _("Characters %(encoding)s cannot write, %(characters)s, "
                                                            "were replaced by ?")
                                      % {"encoding": self.codec.upper(), "characters": characters}, record)
            cleaned.append(value)
        return cleaned

    # -- parts ---------------------------------------------------------------------------------------------------
    def _open_part(self) -> None:
        if self._handle is not None:
            self._handle.close()
        number = len(self._parts) + 1
        target = self.path if self.max_bytes is None else part_path(self.path, number)
        self._parts.append(target)
        self._handle = target.open("wb")
        self._handle.write(self.bom + self._header_bytes)
        self._size = len(self.bom) + len(self._header_bytes)

    def write(self, rows: list[list]) -> None:
        if not rows:
            return
        first = self.rows_written + 1
        text = self._render(rows)
        try:
            data = text.encode(self.codec)
        except UnicodeEncodeError:
            data = None
        if data is not None and (self.max_bytes is None or self._size + len(data) <= self.max_bytes):
            self._handle.write(data)
            self._size += len(data)
        else:
            for offset, row in enumerate(rows):
                self._write_line(self._encode_line(row, first + offset))
        self.rows_written += len(rows)

    def _write_line(self, data: bytes) -> None:
        if self.max_bytes is not None and self._size + len(data) > self.max_bytes:
            if len(self.bom) + len(self._header_bytes) + len(data) > self.max_bytes:
                raise InputError(_("A row is larger than a part."), code="row_too_large")
            self._open_part()
        self._handle.write(data)
        self._size += len(data)

    def close(self) -> list[Path]:
        self._handle.close()
        if self.max_bytes is not None and len(self._parts) == 1:
            self._parts[0].replace(self.path)
            self._parts = [self.path]
        return list(self._parts)


def _encodable(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


class XlsxWriter:
    """openpyxl in write-only mode (rows go to a temporary file as they come); a new sheet every 1,048,575 rows."""

    def __init__(self, path: Path, header: list[str], *, sheet_title: str, warnings: Warnings,
                 id_column: int | None = None):
        from openpyxl import Workbook

        self.path, self.header, self.warnings, self.id_column = Path(path), list(header), warnings, id_column
        self.sheet_title = sheet_title[:25]
        self.workbook = Workbook(write_only=True)
        self.rows_written = 0
        self._sheet_rows = 0
        self._sheets = 0
        self._new_sheet()

    def _new_sheet(self) -> None:
        self._sheets += 1
        title = self.sheet_title if self._sheets == 1 else f"{self.sheet_title} {self._sheets}"
        self.sheet = self.workbook.create_sheet(title)
        self.sheet.append([xlsx_cell(self.sheet, name) for name in self.header])
        self._sheet_rows = 1

    def write(self, rows: list[list]) -> None:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        for row in rows:
            self.rows_written += 1
            if self._sheet_rows >= XLSX_MAX_ROWS:
                self._new_sheet()
            cleaned = []
            for column, value in zip(self.header, row, strict=False):
                if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                    value = ILLEGAL_CHARACTERS_RE.sub("?", value)
                    record = str(row[self.id_column]) if self.id_column is not None else ""
                    self.warnings.add(self.rows_written, column, _("Control characters XLSX does not allow were replaced by ?"), record)
                cleaned.append(xlsx_cell(self.sheet, value))
            self.sheet.append(cleaned)
            self._sheet_rows += 1

    def close(self) -> list[Path]:
        self.workbook.save(self.path)
        return [self.path]


class GeoJsonWriter:
    """An RFC 7946 FeatureCollection, written feature by feature; geometries arrive as GeoJSON text from PostGIS.

    ``sequence=True`` writes GeoJSON Text Sequences instead (one feature per line, RFC 8142 without the RS byte,
    as GDAL's GeoJSONSeq reads them)."""

    def __init__(self, path: Path, *, sequence: bool = False):
        self.path, self.sequence = Path(path), sequence
        self.rows_written = 0
        self._handle = self.path.open("w", encoding="utf-8", newline="\n")
        if not sequence:
            self._handle.write('{"type":"FeatureCollection","features":[\n')

    def write(self, features: list[tuple[str, dict, str | None]]) -> None:
        """features: (id, properties, geometry GeoJSON text or None)."""
        out = []
        for fid, properties, geometry in features:
            out.append('{"type":"Feature","id":' + json.dumps(fid, ensure_ascii=False)
                       + ',"geometry":' + (geometry or "null")
                       + ',"properties":' + json.dumps(properties, ensure_ascii=False, default=str) + "}")
        if not out:
            return
        if self.sequence:
            self._handle.write("\n".join(out) + "\n")
        else:
            self._handle.write(("" if self.rows_written == 0 else ",\n") + ",\n".join(out))
        self.rows_written += len(out)

    def close(self) -> list[Path]:
        if not self.sequence:
            self._handle.write("\n]}\n")
        self._handle.close()
        return [self.path]


class GeoPackageWriter:
    """Features go to a GeoJSON sequence beside the target, which ogr2ogr (GDAL) turns into a GeoPackage layer
    in CGCS2000 (EPSG:4490); GDAL streams it, so memory stays flat."""

    def __init__(self, path: Path, *, layer_name: str):
        if shutil.which("ogr2ogr") is None:
            raise ExportFailed(_("GDAL's ogr2ogr is not installed on the server: no GeoPackage can be made."), code="gdal_missing")
        self.path, self.layer_name = Path(path), layer_name
        self._tmpdir = tempfile.TemporaryDirectory(dir=self.path.parent, prefix=".gpkg-")
        self._sequence = GeoJsonWriter(Path(self._tmpdir.name) / f"{layer_name}.geojsonl", sequence=True)

    @property
    def rows_written(self) -> int:
        return self._sequence.rows_written

    def write(self, features) -> None:
        self._sequence.write(features)

    def close(self) -> list[Path]:
        self._sequence.close()
        try:
            if self.path.exists():
                self.path.unlink()
            if self.rows_written:
                command = ["ogr2ogr", "-f", "GPKG", str(self.path), str(self._sequence.path), "-nln",
                           self.layer_name, "-a_srs", "EPSG:4490", "-gt", "65536", "-lco", "FID=fid"]
            else:  # GDAL cannot read an empty sequence: create the empty layer from an empty collection
                empty = Path(self._tmpdir.name) / "empty.geojson"
                empty.write_text('{"type":"FeatureCollection","features":[]}', encoding="utf-8")
                command = ["ogr2ogr", "-f", "GPKG", str(self.path), str(empty), "-nln", self.layer_name,
                           "-a_srs", "EPSG:4490"]
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            if result.returncode != 0:  # its message names the server's files: the log keeps it, not the user
                log.error("ogr2ogr failed for %s: %s", self.path, result.stderr.strip()[:2000])
                raise ExportFailed(_("ogr2ogr failed to make the GeoPackage; the server log has the details."), code="gdal_failed")
        finally:
            self._tmpdir.cleanup()
        return [self.path]
