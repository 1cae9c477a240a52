"""What every reader of a user's spreadsheet shares (doorplates.readers, placenames.bulk_files): a cell as text, and
the bounds an XLSX's parts are checked against before openpyxl inflates them."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from gis.errors import InputError

# An XLSX is a zip of XML parts that openpyxl inflates: a 100 KB file can hold gigabytes. The sizes its directory
# declares bound what Python's zipfile inflates, so they are checked before openpyxl opens anything.
XLSX_MAX_PARTS = 1000
XLSX_MAX_SHEET_BYTES = 512 << 20  # streamed by openpyxl's read-only mode
XLSX_MAX_SHARED_STRINGS_BYTES = 64 << 20  # held in memory whole
XLSX_MAX_OTHER_PART_BYTES = 32 << 20
XLSX_MAX_TOTAL_BYTES = 1 << 30
XLSX_MAX_ROWS = 1_048_576  # Excel's own limit


def cell(value) -> str:
    """A spreadsheet or GeoPackage cell as the text a CSV would hold: a date as ISO, a whole float without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e6:
        return str(int(value))
    return str(value).strip()


def check_xlsx_archive(path: Path, label: str) -> None:
    """Refuses an XLSX whose parts would inflate beyond the bounds above (a zip bomb), before it is read; ``label``
    names the file as its user did."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(_("%(file)s is not an XLSX file.") % {"file": label}, code="unreadable_file") from exc
    if len(parts) > XLSX_MAX_PARTS:
        raise InputError(_("%(file)s has %(count)s parts; an XLSX workbook has far fewer.")
                         % {"file": label, "count": len(parts)}, code="too_large")
    total = 0
    for part in parts:
        name = part.filename.lower()
        bound = (XLSX_MAX_SHEET_BYTES if name.startswith("xl/worksheets/")
                 else XLSX_MAX_SHARED_STRINGS_BYTES if "sharedstrings" in name else XLSX_MAX_OTHER_PART_BYTES)
        total += part.file_size
        if part.file_size > bound or total > XLSX_MAX_TOTAL_BYTES:
            raise InputError(_("%(file)s unpacks to more than %(mb)s MB (part %(part)s); save the list as CSV "
                               "or split it.") % {"file": label, "mb": min(bound, XLSX_MAX_TOTAL_BYTES) >> 20,
                                                  "part": part.filename[:100]}, code="too_large")


# What a file named .csv may really be: its first bytes say so before any decoder guesses at an encoding (a zip
# read as text is "not UTF-8, perhaps GBK", which sends the user after the wrong fault).
_NOT_TEXT = ((b"PK\x03\x04", "zip"), (b"SQLite format 3\x00", "sqlite"), (b"%PDF", "pdf"),
             (b"\xd0\xcf\x11\xe0", "ole"), (b"\x89PNG", "image"), (b"\xff\xd8\xff", "image"), (b"\x1f\x8b", "gzip"))


def refuse_binary(head: bytes, label: str) -> None:
    """Refuses, by its first bytes, a file given as CSV that is an archive, a database, a document or an image."""
    kind = next((kind for magic, kind in _NOT_TEXT if head.startswith(magic)), None)
    if kind is None:
        return
    what = {"zip": _("a ZIP archive (an Excel .xlsx workbook is one)"), "sqlite": _("a GeoPackage or SQLite database"),
            "pdf": _("a PDF document"), "ole": _("an old Excel (.xls) or Word document"), "image": _("an image"),
            "gzip": _("a compressed (gzip) file")}[kind]
    raise InputError(_("%(file)s is not a CSV text file but %(what)s: save it as CSV (or choose its own format, "
                       "where the page takes it).") % {"file": label, "what": what}, code="not_csv",
                     where={"file": label})


def csv_error(line: int, error: Exception) -> InputError:
    """The csv module's refusal of a row, in words: its own are English ("field larger than field limit")."""
    text = str(error)
    if "field larger than field limit" in text:
        reason = _("a cell is longer than %(limit)s characters") % {"limit": f"{csv.field_size_limit():,}"}
    elif "NUL" in text:
        reason = _("the row holds a NUL character")
    elif "unexpected end of data" in text or "new-line character" in text or "EOF" in text:
        reason = _("a quotation mark is not closed")
    else:
        reason = _("the row is not well-formed (check its quotation marks)")
    return InputError(_("Row %(row)s cannot be read as CSV: %(reason)s") % {"row": line, "reason": reason},
                      code="bad_csv", where={"row": line})
