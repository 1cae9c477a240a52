"""Files on disk before the rows that name them: an uploaded file is flushed to the disk (its bytes, then its folder's
entry) before the database commits the row that points at it, so that a power cut after the commit cannot leave a
row whose photo is empty or missing. The database makes its own commits durable; these make the files as durable.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage


def sync_file(path: Path | str) -> None:
    """The file's bytes on the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(path: Path | str) -> None:
    """The folder's entries (a file created or renamed in it) on the disk."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_tree(root: Path | str) -> None:
    """Every file and folder below ``root``, then ``root`` itself (a backup before it is renamed complete)."""
    for folder, _folders, files in os.walk(root):
        for name in files:
            sync_file(Path(folder) / name)
        sync_folder(folder)


class DurableStorage(FileSystemStorage):
    """MEDIA_ROOT's storage: Django's, each saved file then flushed with its folder's entry."""

    def _save(self, name, content):
        name = super()._save(name, content)
        path, root = Path(self.path(name)), Path(self.location)
        sync_file(path)
        for folder in path.parents:  # its folder, and each one above that Django may just have made, up to the root
            sync_folder(folder)
            if folder == root:
                break
        return name
