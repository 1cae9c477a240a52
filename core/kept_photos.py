"""Photos kept before photos lost their metadata on arrival (core.uploads.accept_photo): each app's data migration
rewrites its stored photos without it (camera, time, GPS position: core.images), once, on the upgrade.

- A photo's own file is replaced in place: the clean bytes are written beside it and renamed over it, so a crash
  leaves the old file or the new one, never half of one. Its name does not change; the pixels are the same bytes.
- A photo whose file belongs to another record (a place's photo that is a crew's field upload, stored as the device
  sent it) gets a clean copy of its own, as a new photo does; the other record's file is left as it is.
- Where the table keeps each photo's SHA-256 to recognise the same photo sent again, the digest becomes the clean
  content's, as accept_photo computes it for a photo sent today. When another photo of the same record already has
  that digest (one picture sent twice with different metadata), the row keeps its old digest: both photos stay.
- A file that is missing, or that is not an image the container walk knows, is left as it is.

Running it again changes nothing: a clean file comes back as the same bytes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from core import images


def strip_kept_photos(rows, file_field: str, *, sha256_field: str = "", own_folder: str = "") -> None:
    """Strips the metadata of the photos of ``rows`` (a queryset, historical models included) in ``file_field``;
    ``own_folder``: where the table's own files are ('' : every file is its own)."""
    for row in rows.exclude(**{file_field: ""}).iterator():
        stored = getattr(row, file_field)
        try:
            with stored.open("rb") as handle:
                data = handle.read()
            clean = images.without_metadata(data)
        except (OSError, images.Damaged):
            continue  # missing, or not an image the walk knows: left as it is
        if clean is not data and not stored.name.startswith(own_folder):
            stored.save(PurePath(stored.name).name, ContentFile(clean), save=False)  # under the field's upload_to
            type(row).objects.filter(pk=row.pk).update(**{file_field: stored.name})
            continue
        if clean is not data:
            _replace(stored.path, clean)
        if sha256_field and getattr(row, sha256_field):
            _redigest(row, sha256_field, hashlib.sha256(clean).hexdigest())


def _replace(path: str, data: bytes) -> None:
    temporary = f"{path}.clean"
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _redigest(row, field: str, digest: str) -> None:
    if getattr(row, field) == digest:
        return
    try:
        with transaction.atomic():
            type(row).objects.filter(pk=row.pk).update(**{field: digest})
    except IntegrityError:
        pass  # another photo of the record is that picture: both stay, this one under its old digest
