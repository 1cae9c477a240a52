"""Files users upload and others read back (evidence, photos): what a file is, judged by its content, and how it
is served.

A file is accepted only when its first bytes show one of the allowed kinds; it is stored under its own stem with
the extension of the kind found, so the stored name says what the content is. It is served only through a view
that checked the reader's right to its record (never from a public /media/ URL), as an attachment of the kind's
content type, with ``nosniff`` and a sandboxing CSP: an HTML page renamed .pdf is refused at upload, and a file
stored before these checks is still downloaded, never rendered on the site's origin.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from core import images
from gis.errors import InputError


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extension: str


PDF = Kind("PDF", "application/pdf", ".pdf")
PNG = Kind("PNG", "image/png", ".png")
JPEG = Kind("JPEG", "image/jpeg", ".jpg")
GIF = Kind("GIF", "image/gif", ".gif")
WEBP = Kind("WebP", "image/webp", ".webp")
DOCX = Kind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = Kind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
PPTX = Kind("PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx")
DOC = Kind("Word 97-2003", "application/msword", ".doc")
XLS = Kind("Excel 97-2003", "application/vnd.ms-excel", ".xls")
PPT = Kind("PowerPoint 97-2003", "application/vnd.ms-powerpoint", ".ppt")
ODT = Kind("OpenDocument", "application/vnd.oasis.opendocument.text", ".odt")
ODS = Kind("OpenDocument", "application/vnd.oasis.opendocument.spreadsheet", ".ods")
ODP = Kind("OpenDocument", "application/vnd.oasis.opendocument.presentation", ".odp")

IMAGES = (PNG, JPEG, GIF, WEBP)
EVIDENCE = (PDF, *IMAGES, DOCX, XLSX, PPTX, DOC, XLS, PPT, ODT, ODS, ODP)
BY_EXTENSION = {k.extension: k for k in EVIDENCE} | {".jpeg": JPEG}

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Office 97-2003; the name tells which program
OLE_BY_EXTENSION = {".doc": DOC, ".xls": XLS, ".ppt": PPT}
OOXML_MAIN_PART = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
ODF_MIMETYPES = {k.content_type.encode(): k for k in (ODT, ODS, ODP)}
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def kind_of(upload, name: str = "") -> Kind | None:
    """The kind the content shows, or None. Reads the first bytes (and a zip's directory) and rewinds."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(OLE):
        return OLE_BY_EXTENSION.get(PurePath(name).suffix.lower())
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return None


def _zip_kind(upload) -> Kind | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                return ODF_MIMETYPES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                return next((kind for part, kind in OOXML_MAIN_PART.items() if part in names), None)
            return None
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        upload.seek(0)


def accept(upload, allowed: tuple[Kind, ...], *, field: str, max_bytes: int | None = None):
    """``upload`` renamed to its stem plus the extension of the kind its content shows, or an InputError naming
    the kinds ``allowed``."""
    kind = kind_of(upload, upload.name or "")
    if kind not in allowed:
        names = _(", ").join(dict.fromkeys(str(k.label) for k in allowed))
        raise InputError(_("This file is not one of the accepted kinds (%(kinds)s), judged by its content.")
                         % {"kinds": names}, code="unsupported_file_type", where={"field": field})
    if max_bytes is not None and upload.size > max_bytes:
        raise InputError(_("The file is larger than %(mb)s MB.") % {"mb": max_bytes >> 20}, code="too_large",
                         where={"field": field})
    stem = UNSAFE_NAME.sub("_", PurePath(upload.name or "file").stem).strip(" ._")[:80] or "file"
    upload.name = stem + kind.extension
    upload.content_type = kind.content_type
    return upload


def accept_photo(upload, *, field: str, max_bytes: int | None = None):
    """A photo that others will see, as ``accept`` takes an image, without what it tells beyond its pixels (camera,
    time, GPS position: core.images): the upload itself when it carries none, else a file of the clean bytes under
    the same name. Its SHA-256 is the clean content's, so the same photo sent again is recognised. A container cut
    short or damaged is an InputError."""
    upload = accept(upload, IMAGES, field=field, max_bytes=max_bytes)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        clean = images.without_metadata(data)
    except images.Damaged as exc:
        raise InputError(_("This image is damaged or cut short: save it again and upload it."),
                         code="damaged_image", where={"field": field}) from exc
    if clean is data:
        return upload
    stripped = ContentFile(clean, name=upload.name)
    stripped.content_type = upload.content_type
    return stripped


def sha256_of(upload) -> str:
    """The hex SHA-256 of an uploaded or stored file's content (read in chunks; the file is left at its start)."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def display_name(name: str | None, limit: int = 120) -> str:
    """A user's file name as reports and titles show it: no control character (PostgreSQL cannot store NUL), no
    folder, bounded."""
    text = UNSAFE_NAME.sub("_", PurePath(str(name or "")).name).strip(" ._")
    return text[-limit:] or "file"


def attachment(stored_file, download_name: str = "") -> FileResponse:
    """A stored upload as a download: the content type its stored extension names (accept() chose it), else
    octet-stream; never rendered by the browser on the site's origin."""
    if not stored_file:
        raise Http404
    name = PurePath(stored_file.name).name
    kind = BY_EXTENSION.get(PurePath(name).suffix.lower())
    try:
        handle = stored_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=download_name or name,
                            content_type=kind.content_type if kind else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-cache"
    return response
