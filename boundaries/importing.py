"""Reading tabular files users supply: encoding detection and row reports shared by every importer."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from core import tabular
from gis.errors import EncodingError, InputError, shown

MAX_CELL_CHARS = 1000  # no name, number or address comes near; a longer value is not data this product keeps
EXCERPT_CHARS = 60  # what a report keeps of a bad value
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class RowProblem:
    row: int  # 1-based line number in the file, the header being line 1
    column: str
    value: str
    message: str

    def __str__(self):
        where = (_("Row %(row)s, column %(column)s") % {"row": self.row, "column": self.column} if self.column
                 else _("Row %(row)s") % {"row": self.row})
        value = (_(" (value: “%(value)s”)") % {"value": shown(self.value, EXCERPT_CHARS)}
                 if self.value not in ("", None) else "")
        return _("%(where)s: %(message)s%(value)s") % {"where": where, "message": self.message, "value": value}


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    committed: bool = False
    headers: dict[str, str] = field(default_factory=dict)  # column -> the header the file used (its user's words)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})

    @property
    def accepted(self) -> int:
        return self.total - len(self.rejected_rows)

    def reject(self, row: int, column: str, value, message: str):
        self.problems.append(RowProblem(row, column, "" if value is None else excerpt(str(value)), message))


def excerpt(value: str) -> str:
    """A bounded, printable excerpt of a value for a report (a report is stored, shown and sent as JSON)."""
    text = value if len(value) <= EXCERPT_CHARS else value[:EXCERPT_CHARS] + "…"
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def check_cells(line: int, columns: Sequence[str], values: Sequence[str]) -> None:
    """Refuses a file with a NUL character (PostgreSQL text and jsonb cannot hold one) or an overlong value,
    naming the row and column: one check for every file importer."""
    if "\x00" not in "".join(values) and all(len(v) <= MAX_CELL_CHARS for v in values):
        return
    for column, value in zip(columns, values, strict=False):
        where = {"row": line, "column": column, "value": excerpt(value)}
        if "\x00" in value:
            raise InputError(_("Row %(row)s, column %(column)s holds a NUL character, which is not text.")
                             % {"row": line, "column": column}, code="nul_character", where=where,
                             hint=_("A file full of NUL characters is often UTF-16: save it as UTF-8 or GBK."))
        if len(value) > MAX_CELL_CHARS:
            raise InputError(_("Row %(row)s, column %(column)s is %(length)s characters long; at most %(max)s "
                               "are accepted.") % {"row": line, "column": column, "length": len(value),
                                                   "max": MAX_CELL_CHARS}, code="value_too_long", where=where)


def decode(data: bytes, encoding: str = "auto", label: str = "") -> tuple[str, str | None]:
    """Returns the text and a note on the encoding used. ``auto`` tries UTF-8 (with or without BOM), then GB18030.
    A file that is no text at all (a zip named .csv) is refused as what it is, ``label`` naming it."""
    tabular.refuse_binary(data[:16], label or _("The file"))
    if encoding == "auto":
        try:
            return data.decode("utf-8-sig"), None
        except UnicodeDecodeError:
            try:
                return data.decode("gb18030"), _("The file is not UTF-8: it was decoded as GB18030 (which GBK is part of).")
            except UnicodeDecodeError as exc:
                raise _encoding_error(data, exc, _("UTF-8 or GBK/GB18030")) from exc
    try:
        return data.decode("utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding), None
    except UnicodeDecodeError as exc:
        raise _encoding_error(data, exc, encoding) from exc
    except LookupError as exc:
        raise EncodingError(_("Unknown encoding: %(encoding)s") % {"encoding": encoding}, where={"encoding": encoding}) from exc


def _encoding_error(data: bytes, exc: UnicodeDecodeError, tried: str) -> EncodingError:
    line = data.count(b"\n", 0, exc.start) + 1
    hint = (_("The file may be in GBK: choose GBK or automatic detection.")
            if tried.lower().startswith("utf") else None)
    return EncodingError(_("Row %(row)s: the file is not in %(encoding)s and cannot be read.")
                         % {"row": line, "encoding": tried}, where={"row": line, "byte": exc.start}, hint=hint)


def read_csv(source: str | Path | bytes, encoding: str = "auto",
             aliases: dict[str, str] | None = None) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Rows as (line number, {column: value}) with header aliases applied, and notes on the reading."""
    data = Path(source).read_bytes() if not isinstance(source, bytes) else source
    text, note = decode(data, encoding)
    reader = csv_rows(io.StringIO(text, newline=""))
    try:
        header = next(reader)[1]
    except StopIteration:
        return [], [note] if note else []
    aliases = aliases or {}
    columns = [aliases.get(h.strip(), h.strip()) for h in header]
    check_cells(1, columns, header)
    rows = []
    for line, values in reader:
        if not any(v.strip() for v in values):
            continue
        check_cells(line, columns, values)
        padded = values + [""] * (len(columns) - len(values))
        rows.append((line, {c: v.strip() for c, v in zip(columns, padded, strict=False)}))
    return rows, [note] if note else []


def csv_rows(handle):
    """``(line, values)`` of a CSV text stream; a field beyond the csv module's limit or a broken quote becomes an
    InputError naming the line."""
    reader = csv.reader(handle)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise tabular.csv_error(reader.line_num, exc) from exc
        yield reader.line_num, values


def add_file_arguments(parser, *, crs: str | None = None) -> None:
    """A file-import command's arguments: the file, all-or-valid, the CSV's encoding, a dry run; with ``crs`` (the
    default coordinates' system) the geographic files' ones too: coordinates, format and the acting user."""
    parser.add_argument("file")
    parser.add_argument("--commit", choices=["all", "valid"], default="all",
                        help="all: import nothing if any row is rejected (default); valid: import the valid rest")
    parser.add_argument("--encoding", default="auto", help="CSV only: auto (UTF-8, else GBK/GB18030), utf-8, gbk")
    if crs:
        parser.add_argument("--crs", default=crs, help="coordinates' system: EPSG:4326, EPSG:4490, EPSG:4549, gcj02, "
                                                       "bd09 (a GeoPackage's own wins)")
        parser.add_argument("--format", choices=["csv", "xlsx", "gpkg"], help="default: from the file name")
        parser.add_argument("--user", help="import as this user (region and role are checked)")
    parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")


def command_user(username: str | None):
    """The user a command acts as (--user), None without one; an unknown name stops the command."""
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError

    if not username:
        return None
    actor = get_user_model().objects.filter(username=username).first()
    if actor is None:
        raise CommandError(_("No user %(name)s") % {"name": username})
    return actor


def print_report(command, report: ImportReport, summary: str, *, dry_run: bool) -> None:
    """Writes an import report from a management command: notes, every rejected row, then the outcome.

    Raises CommandError when nothing was imported because of rejected rows, so scripts see a failure.
    """
    from django.core.management.base import CommandError

    for note in report.notes:
        command.stdout.write(note)
    for problem in report.problems:
        command.stderr.write(str(problem))
    summary = _("%(total)s rows, %(accepted)s valid, %(rejected)s rejected; %(summary)s") % {
        "total": report.total, "accepted": report.accepted, "rejected": len(report.rejected_rows), "summary": summary}
    if report.committed:
        command.stdout.write(command.style.SUCCESS(_("Imported. %(summary)s") % {"summary": summary}))
    elif dry_run:
        command.stdout.write(_("Dry run, nothing written. %(summary)s") % {"summary": summary})
    elif report.problems:
        raise CommandError(_("Nothing was imported: %(summary)s Correct the errors and try again, or import the valid "
                             "rest with --commit valid.") % {"summary": summary})
    else:
        command.stdout.write(_("The file has no data rows."))
