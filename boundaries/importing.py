"""Reading tabular files users supply: encoding detection and row reports shared by every importer."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from gis.errors import EncodingError


@dataclass
class RowProblem:
    row: int  # 1-based line number in the file, the header being line 1
    column: str
    value: str
    message: str

    def __str__(self):
        where = f"第 {self.row} 行" + (f"，{self.column} 列" if self.column else "")
        value = f"（值：{self.value!r}）" if self.value not in ("", None) else ""
        return f"{where}：{self.message}{value}"


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})

    @property
    def accepted(self) -> int:
        return self.total - len(self.rejected_rows)

    def reject(self, row: int, column: str, value, message: str):
        self.problems.append(RowProblem(row, column, "" if value is None else str(value), message))


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str | None]:
    """Returns the text and a note on the encoding used. ``auto`` tries UTF-8 (with or without BOM), then GB18030."""
    if encoding == "auto":
        try:
            return data.decode("utf-8-sig"), None
        except UnicodeDecodeError:
            try:
                return data.decode("gb18030"), "文件不是 UTF-8 编码，已按 GB18030（兼容 GBK）解码。"
            except UnicodeDecodeError as exc:
                raise _encoding_error(data, exc, "UTF-8 或 GBK/GB18030") from exc
    try:
        return data.decode("utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding), None
    except UnicodeDecodeError as exc:
        raise _encoding_error(data, exc, encoding) from exc
    except LookupError as exc:
        raise EncodingError(f"未知的编码：{encoding}", where={"encoding": encoding}) from exc


def _encoding_error(data: bytes, exc: UnicodeDecodeError, tried: str) -> EncodingError:
    line = data.count(b"\n", 0, exc.start) + 1
    hint = "该文件可能是 GBK 编码，请选择 GBK 或“自动识别”。" if tried.lower().startswith("utf") else None
    return EncodingError(f"文件不是 {tried} 编码，无法读取", where={"row": line, "byte": exc.start}, hint=hint)


def read_csv(source: str | Path | bytes, encoding: str = "auto",
             aliases: dict[str, str] | None = None) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Rows as (line number, {column: value}) with header aliases applied, and notes on the reading."""
    data = Path(source).read_bytes() if not isinstance(source, bytes) else source
    text, note = decode(data, encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [note] if note else []
    aliases = aliases or {}
    columns = [aliases.get(h.strip(), h.strip()) for h in header]
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        padded = values + [""] * (len(columns) - len(values))
        rows.append((reader.line_num, {c: v.strip() for c, v in zip(columns, padded, strict=False)}))
    return rows, [note] if note else []


def print_report(command, report: ImportReport, summary: str, *, dry_run: bool) -> None:
    """Writes an import report from a management command: notes, every rejected row, then the outcome.

    Raises CommandError when nothing was imported because of rejected rows, so scripts see a failure.
    """
    from django.core.management.base import CommandError

    for note in report.notes:
        command.stdout.write(note)
    for problem in report.problems:
        command.stderr.write(str(problem))
    summary = f"共 {report.total} 行，有效 {report.accepted} 行，拒绝 {len(report.rejected_rows)} 行；{summary}"
    if report.committed:
        command.stdout.write(command.style.SUCCESS("已导入。" + summary))
    elif dry_run:
        command.stdout.write("试运行，未写入。" + summary)
    elif report.problems:
        raise CommandError("未导入任何数据：" + summary + " 改正错误后重试，或用 --commit valid 导入其余有效行。")
    else:
        command.stdout.write("文件中没有数据行。")
