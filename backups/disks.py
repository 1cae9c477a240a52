"""The disks the product's data lives on, as the administrator sees them on the admin's index: how much each has
free, in red when little is left (a full disk stops the database and refuses every upload), and a second backup
folder that is on the same disk as the backups (then a lost disk takes both)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils.translation import gettext_lazy as _

DATABASE, UPLOADS, BACKUPS, COPIES = "database", "uploads", "backups", "copies"
LABELS = {
    frozenset({DATABASE}): _("The database's disk"),
    frozenset({UPLOADS}): _("The uploaded files' disk"),
    frozenset({BACKUPS}): _("The backups' disk"),
    frozenset({COPIES}): _("The second backup folder's disk"),
    frozenset({DATABASE, UPLOADS}): _("The disk of the database and the uploaded files"),
    frozenset({DATABASE, BACKUPS}): _("The disk of the database and the backups"),
    frozenset({UPLOADS, BACKUPS}): _("The disk of the uploaded files and the backups"),
    frozenset({DATABASE, UPLOADS, BACKUPS}): _("The disk of the database, the uploaded files and the backups"),
}
LOW_SHARE = 0.05  # less than this share of a disk free is low, and less than twice what a backup must leave free


@dataclass(frozen=True)
class Disk:
    label: str
    free: int
    total: int
    low: bool
    holds: str = ""  # what is on it, in words of the code ("backups+database"): the same in every language


def database_directory(alias: str = "default") -> Path | None:
    """The database cluster's folder when it is on this machine (`make run`'s), else None: the server tells it to a
    superuser only, and a server elsewhere has its own disks."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT setting FROM pg_settings WHERE name = 'data_directory'")
            row = cursor.fetchone()
    except DatabaseError:
        return None
    path = Path(row[0]) if row and row[0] else None
    return path if path is not None and path.is_dir() else None


def _existing(path: Path) -> Path | None:
    """``path``, or its nearest folder that exists (a folder not made yet is on its parent's disk)."""
    for candidate in (path, *path.parents):
        if candidate.is_dir():
            return candidate
    return None


def disks() -> tuple[list[Disk], bool]:
    """Each disk the data is on, with what it holds, and whether the second backup folder shares the backups' disk."""
    places = {DATABASE: database_directory(), UPLOADS: Path(settings.MEDIA_ROOT),
              BACKUPS: Path(settings.BACKUP_DIR) if settings.BACKUP_DIR else None,
              COPIES: Path(settings.BACKUP_COPY_DIR) if settings.BACKUP_COPY_DIR else None}
    found: dict[int, tuple[Path, set[str]]] = {}
    for role, path in places.items():
        folder = _existing(path) if path is not None else None
        if folder is None:
            continue
        device = os.stat(folder).st_dev
        found.setdefault(device, (folder, set()))[1].add(role)
    shared = any({BACKUPS, COPIES} <= roles for _folder, roles in found.values())
    listed = []
    for folder, roles in found.values():
        usage = shutil.disk_usage(folder)
        label = LABELS.get(frozenset(roles)) or LABELS[frozenset(roles - {COPIES})]
        low = usage.free < max(2 * settings.BACKUP_MIN_FREE, LOW_SHARE * usage.total)
        listed.append(Disk(str(label), usage.free, usage.total, low, "+".join(sorted(roles))))
    return listed, shared
