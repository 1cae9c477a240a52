"""Photos and signatures by content: resumable chunked uploads (the tus protocol's core: HEAD for the offset, PATCH
with Upload-Offset), checked by SHA-256 and by content (core.uploads) before they count.

A content is stored once: a second upload of a complete SHA-256 changes nothing. A chunk that does not start at the
offset the server holds is refused with that offset (the client resumes from it), so a cut connection never leaves
a duplicate or a gap. The partial file lives beside the final ones and is renamed on completion.

The bytes are stored as sent, metadata and all (core.uploads.accept_photo is not used here): the device names a
photo by the SHA-256 of its bytes and checks and resends it by that name, so the stored file must hash to it. The
field app's own photos carry no EXIF: the tablet draws them onto a canvas and encodes a new JPEG (photos.js).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads as content
from core.durable import sync_folder
from field.models import Upload
from gis.errors import Conflict, DimingError, InputError

SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_BYTES = 10 << 20
MAX_CHUNK = 1 << 20
ACCEPTED = (content.JPEG, content.PNG, content.WEBP)


class TooLarge(DimingError):
    code = "too_large"
    http_status = 413


class Unprocessable(DimingError):
    http_status = 422


class OffsetMismatch(Conflict):
    code = "offset_mismatch"

    def __init__(self, message, offset: int):
        super().__init__(message, where={"offset": offset})
        self.offset = offset

    @property
    def headers(self) -> dict[str, str]:
        return {"Upload-Offset": str(self.offset)}


def check_sha(value: str) -> str:
    if not isinstance(value, str) or not SHA256.fullmatch(value):
        raise InputError(_("A photo is named by the SHA-256 of its bytes: 64 lower-case hexadecimal digits."),
                         code="invalid_sha256", where={"sha256": str(value)[:70]})
    return value


def folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / "field" / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _partial_path(sha: str) -> Path:
    return folder() / f"{sha}.part"


def state(sha: str) -> Upload | None:
    return Upload.objects.filter(sha256=check_sha(sha)).first()


def receive(user, sha: str, *, offset: int, length: int, chunk: bytes) -> Upload:
    """Appends ``chunk`` at ``offset`` of the upload of ``sha``; completes it when its last byte arrives."""
    _check_sizes(sha, length, chunk)
    failed = None
    with transaction.atomic():
        # Locked first, created only when missing: a partial the cleanup dropped meanwhile (prune_partial) is
        # simply started again from byte 0 (the client's offset is then refused with 0, and it resumes from there).
        upload = Upload.objects.select_for_update().filter(sha256=sha).first()
        if upload is None:  # one INSERT .. ON CONFLICT DO NOTHING: another request may be creating it too
            Upload.objects.bulk_create([Upload(sha256=sha, length=length, created_by=user)], ignore_conflicts=True)
            upload = Upload.objects.select_for_update().get(sha256=sha)
        if upload.complete:
            return upload  # stored already: nothing more to do, whoever sends it again
        _check_place(upload, offset, length, chunk)
        partial = _partial_path(sha)
        _write(partial, offset, chunk)
        upload.offset = offset + len(chunk)
        if upload.offset == length:
            try:
                _complete(upload, partial)
            except Unprocessable as error:
                partial.unlink(missing_ok=True)
                upload.delete()  # committed: the next try starts from byte 0
                failed = error
        if failed is None:
            upload.save()
    if failed is not None:
        raise failed
    return upload


def _check_sizes(sha: str, length: int, chunk: bytes) -> None:
    check_sha(sha)
    if length <= 0:
        raise InputError(_("Upload-Length must be the file's size in bytes."), code="invalid_length")
    if length > MAX_BYTES:
        raise TooLarge(_("A photo may be at most %(mb)s MB.") % {"mb": MAX_BYTES >> 20}, where={"length": length})
    if len(chunk) > MAX_CHUNK:
        raise TooLarge(_("A chunk may be at most 1 MB."), where={"chunk": len(chunk)})
    if not chunk:
        raise InputError(_("The chunk is empty."), code="empty_chunk")


def _check_place(upload: Upload, offset: int, length: int, chunk: bytes) -> None:
    if upload.length != length:
        if upload.offset:
            raise Conflict(_("This upload was started with another length."), code="length_mismatch",
                           where={"length": upload.length})
        upload.length = length
    if offset != upload.offset:
        raise OffsetMismatch(_("The upload continues at byte %(n)s.") % {"n": upload.offset}, upload.offset)
    if offset + len(chunk) > length:
        raise InputError(_("The chunk goes past Upload-Length."), code="past_length")
    if offset == 0:
        _check_head(chunk)


def _write(partial: Path, offset: int, chunk: bytes) -> None:
    """The chunk on the disk before the offset that counts it commits: a resume after a power cut starts from bytes
    that are there."""
    with partial.open("r+b" if offset and partial.exists() else "wb") as handle:
        handle.seek(offset)
        handle.write(chunk)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
    if offset == 0:
        sync_folder(partial.parent)


def _check_head(chunk: bytes) -> None:
    import io

    probe = io.BytesIO(chunk)
    if content.kind_of(probe) not in ACCEPTED:
        raise Unprocessable(_("This file is not a JPEG, PNG or WebP image, judged by its content."),
                            code="unsupported_file_type")


def _complete(upload: Upload, partial: Path) -> None:
    digest = hashlib.sha256()
    with partial.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
        handle.seek(0)
        kind = content.kind_of(handle)
    if digest.hexdigest() != upload.sha256 or kind not in ACCEPTED:
        raise Unprocessable(_("The bytes received do not match their SHA-256: the upload is discarded; send it "
                              "again."), code="sha256_mismatch")
    final = folder() / f"{upload.sha256}{kind.extension}"
    partial.replace(final)
    sync_folder(final.parent)
    upload.file.name = str(final.relative_to(Path(settings.MEDIA_ROOT)))
    upload.content_type = kind.content_type
    upload.complete = True


def complete_set(shas) -> set[str]:
    return set(Upload.objects.filter(sha256__in=list(shas), complete=True).values_list("sha256", flat=True))


# -- cleanup of uploads never completed -------------------------------------------------------------------------------
def retention() -> dt.timedelta:
    """How long a started upload may wait for its next chunk (a crew may be a fortnight in the mountains)."""
    return dt.timedelta(days=getattr(settings, "FIELD_PARTIAL_UPLOAD_DAYS", 14))


@dataclass(frozen=True)
class Pruned:
    uploads: int  # partial uploads dropped (row and bytes)
    orphans: int  # partial files without an upload row
    bytes: int


def prune_partial(older_than: dt.timedelta | None = None, *, dry_run: bool = False) -> Pruned:
    """Drops the uploads never completed whose last chunk came before ``older_than`` ago (default: retention()),
    with their partial files, and partial files no upload row names. Complete uploads are never touched. A device
    still holding the photo sends it again from byte 0 (it keeps every photo until its record is accepted)."""
    cutoff = timezone.now() - (retention() if older_than is None else older_than)
    dropped = size = 0
    with transaction.atomic():
        # skip_locked: an upload receiving a chunk right now is not stale, whatever its time says.
        stale = list(Upload.objects.select_for_update(skip_locked=True)
                     .filter(complete=False, updated_at__lt=cutoff).only("pk", "sha256"))
        for upload in stale:
            partial = _partial_path(upload.sha256)
            size += partial.stat().st_size if partial.exists() else 0
            if not dry_run:
                partial.unlink(missing_ok=True)
        dropped = len(stale)
        if not dry_run and stale:
            Upload.objects.filter(pk__in=[u.pk for u in stale]).delete()
    orphans = 0
    known = None
    for partial in folder().glob("*.part"):
        try:
            stat = partial.stat()
        except FileNotFoundError:
            continue
        if dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC) >= cutoff:
            continue
        if known is None:
            known = set(Upload.objects.values_list("sha256", flat=True))
        if partial.stem in known:
            continue
        orphans += 1
        size += stat.st_size
        if not dry_run:
            partial.unlink(missing_ok=True)
    return Pruned(uploads=dropped, orphans=orphans, bytes=size)
