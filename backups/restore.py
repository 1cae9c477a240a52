"""Restoring a backup (backups.archive) over the running installation's data, losing nothing: the backup is loaded
into a new database and unpacked into a new folder first; only when both are whole are they put in place, and the
data they replace is kept beside them (the database renamed ``<name>_before_restore_<time>``, MEDIA_ROOT renamed
``<folder>.before-restore-<time>``) until an operator removes it."""

from __future__ import annotations

import os
import shutil
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import psycopg
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from psycopg import sql

from backups.archive import DUMP, MEDIA, Backup, BackupError, _run, libpq_env, pg_bin, require_room, verify
from backups.disks import database_directory

CLOSING_S = 3.0  # how long sessions that are closing are waited for before a restore is refused


@dataclass(frozen=True)
class Restored:
    backup: Backup
    database: str
    kept_database: str
    kept_media: Path | None


def _admin_connection(alias: str) -> psycopg.Connection:
    """A connection to the cluster's maintenance database (never to the one being replaced)."""
    s = settings.DATABASES[alias]
    params = {"host": s.get("HOST") or None, "port": s.get("PORT") or None, "user": s.get("USER") or None,
              "password": s.get("PASSWORD") or None, "connect_timeout": 10, "autocommit": True,
              **{k: v for k, v in (s.get("OPTIONS") or {}).items() if k == "sslmode"}}
    last = None
    for maintenance in ("postgres", "template1"):
        try:
            return psycopg.connect(dbname=maintenance, **{k: v for k, v in params.items() if v is not None})
        except psycopg.OperationalError as error:
            last = error
    raise BackupError(f"cannot reach the database server's maintenance database: {str(last).strip()}")


def unknown_migrations(backup: Backup) -> list[str]:
    """The backup's newest migrations that this version of the code does not have (a backup of a newer version)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(f"{app}.{name}" for app, name in backup.manifest["database"]["migrations"].items()
                  if (app, name) not in known)


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The archive's members, each a folder or a regular file at a relative path inside the folder it unpacks into;
    anything else (an absolute path, "..", a link, a device) makes the archive unusable."""
    members = tar.getmembers()
    for member in members:
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"media.tar holds {member.name!r}, which is not a file inside the media folder")
    return members


def _unpack_media(backup: Backup, into: Path) -> None:
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    with tarfile.open(backup.path / MEDIA) as tar:
        members = _safe_members(tar)
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, members=members, filter="data")
        else:  # Python before 3.11.4: the members were checked above
            tar.extractall(into, members=members)


def restore(path: Path | str, *, force: bool = False, alias: str = "default") -> Restored:
    """Puts the backup at ``path`` in place of the database and MEDIA_ROOT, keeping what it replaces.

    Refused, with nothing changed, when the backup is damaged, was made by a newer version of the code, or (without
    ``force``) when other programs are connected to the database (the web server and the worker: stop them first).
    """
    backup = verify(path)
    newer = unknown_migrations(backup)
    if newer:
        raise BackupError("the backup was made by a newer version of Diming (migrations unknown here: "
                          f"{', '.join(newer[:5])}); restore it with that version")
    try:  # an archive that could not be unpacked is refused before the database is touched, not after its restore
        with tarfile.open(backup.path / MEDIA) as tar:
            _safe_members(tar)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"media.tar cannot be unpacked: {error}") from None
    target = settings.DATABASES[alias]["NAME"]
    stamp = f"{timezone.localtime():%Y%m%d%H%M%S}"
    incoming, kept = f"{target}_restoring"[:63], f"{target}_before_restore_{stamp}"[-63:]
    data_directory = database_directory(alias)
    connections[alias].close()
    with _admin_connection(alias) as admin:
        others = 0 if force else _other_sessions(admin, target)
        if others:
            raise BackupError(f"{others} other connection(s) to the database {target}: stop the web server and the "
                              "worker first (stop `make run`), or give --force to end them")
        _check_rights(admin, target)
        _check_room(admin, target, backup, data_directory)
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(incoming)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(incoming)))
        try:
            _run([pg_bin("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error", f"--dbname={incoming}",
                  str(backup.path / DUMP)], libpq_env(alias, incoming), "pg_restore")
        except BackupError:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(incoming)))
            raise
        media_root = Path(settings.MEDIA_ROOT)
        fresh = media_root.parent / f".{media_root.name}.restoring"
        try:
            _unpack_media(backup, fresh)
        except (BackupError, OSError, tarfile.TarError) as error:
            shutil.rmtree(fresh, ignore_errors=True)
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(incoming)))
            raise BackupError(f"media.tar cannot be unpacked: {error}") from None
        kept_media = media_root.parent / f"{media_root.name}.before-restore-{stamp}" if media_root.exists() else None
        if kept_media:
            media_root.rename(kept_media)
        fresh.rename(media_root)
        try:
            _swap_databases(admin, target, incoming, kept)
        except BackupError:  # the files go back as they were, with the database
            media_root.rename(fresh)
            if kept_media:
                kept_media.rename(media_root)
            shutil.rmtree(fresh, ignore_errors=True)
            raise
    return Restored(backup, target, kept, kept_media)


def _other_sessions(admin: psycopg.Connection, target: str) -> int:
    """How many sessions other than ``admin``'s are on ``target``. A program that has just disconnected (a backup
    made a moment before) leaves its server process behind for a moment: those are given CLOSING_S to go."""
    deadline = time.monotonic() + CLOSING_S
    while True:
        others = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                               [target]).fetchone()[0]
        if not others or time.monotonic() >= deadline:
            return others
        time.sleep(0.2)


def _check_rights(admin: psycopg.Connection, target: str) -> None:
    """The restore creates a database beside ``target`` and renames ``target`` aside: its user must be allowed both
    (CREATEDB, and owning ``target``), which is checked before anything is done."""
    user, may_create, owner, owns = admin.execute(
        "SELECT r.rolname, r.rolcreatedb OR r.rolsuper, pg_get_userbyid(d.datdba), r.rolsuper OR d.datdba = r.oid "
        "FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = %s", [target]).fetchone()
    if not may_create:
        raise BackupError(f"the database user {user} may not create databases, and the restore loads the backup into "
                          f"a new one beside {target}: give it the right (ALTER ROLE {user} CREATEDB) or run restore "
                          "with a DATABASE_URL whose user has it")
    if not owns:
        raise BackupError(f"the database user {user} does not own the database {target} (its owner is {owner}), so "
                          "it cannot set it aside: run restore with a DATABASE_URL whose user is its owner")


def _check_room(admin: psycopg.Connection, target: str, backup: Backup, data_directory: Path | None) -> None:
    """The restored data is written beside the data it replaces, which is kept: refused when it would leave less
    than BACKUP_MIN_FREE on a disk. The files need media.tar's size next to MEDIA_ROOT; the database about its size
    when backed up (else the present one's), on the cluster's disk when that is this machine's (``data_directory``:
    backups.disks.database_directory)."""
    wanted = [(Path(settings.MEDIA_ROOT).parent, backup.manifest["files"][MEDIA]["bytes"])]
    if data_directory is not None:
        recorded = backup.manifest.get("database", {}).get("bytes")
        if not isinstance(recorded, int):
            recorded = admin.execute("SELECT pg_database_size(%s)", [target]).fetchone()[0]
        wanted.append((data_directory, recorded))
    disks: dict[int, tuple[Path, int]] = {}  # one disk may hold both: their needs add up
    for folder, needed in wanted:
        device = os.stat(folder).st_dev
        first, before = disks.get(device, (folder, 0))
        disks[device] = (first, before + needed)
    for folder, needed in disks.values():
        require_room(folder, needed, what="the restore")


def _swap_databases(admin: psycopg.Connection, target: str, incoming: str, kept: str) -> None:
    """``target`` becomes ``kept`` and ``incoming`` becomes ``target``: no one may connect to ``target`` meanwhile
    (programs that were connected are ended, and reconnect to the restored data)."""
    name = sql.Identifier
    admin.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(name(target)))
    try:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                      "AND pid <> pg_backend_pid()", [target])
        admin.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(name(target), name(kept)))
    except psycopg.Error as error:
        admin.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(name(target)))
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name(incoming)))
        raise BackupError(f"the database {target} cannot be set aside: {str(error).strip()}") from None
    admin.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(name(kept)))
    admin.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(name(incoming), name(target)))
