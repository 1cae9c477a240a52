"""Backups of the product's data: the database (pg_dump's custom format, one consistent snapshot) and the uploaded
files under MEDIA_ROOT (photos, evidence, agreement maps, weekly reports, offline packages), as one directory:

    <BACKUP_DIR>/diming-20261204-021500/
        database.dump   pg_dump --format=custom (derived caches without their rows: tiles, Django's cache)
        media.tar       MEDIA_ROOT as it was right after the dump
        manifest.json   when, from which database and migrations, each file's size and SHA-256

A backup is written under a hidden name and renamed once complete, so a directory with the usual name is always
whole; ``verify`` checks it against its manifest before anything is restored from it. The database is dumped first,
then the files: a file the dump names was there before the dump began (uploads are never rewritten in place), so the
archive holds every file the database refers to (and perhaps a few newer ones, which are harmless).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone

from core.durable import sync_folder, sync_tree

FORMAT = 1
NAME = re.compile(r"diming-\d{8}-\d{6}")
DUMP, MEDIA, MANIFEST = "database.dump", "media.tar", "manifest.json"
# Rows that are derived and rebuilt on demand, or that mean something only to this cluster (recent edits by their
# transaction ids, which the tile cache compares with its snapshots): dumped as tables without their rows.
DERIVED_TABLES = ("tiles_tilecache", "tiles_edit", "diming_cache")


class BackupError(CommandError):
    """A backup cannot be made, read or restored; the message says what and where, for an operator (a management
    command prints it as its error)."""


class NoRoom(BackupError):
    """The disk a backup or its copy would be written to has too little free space: writing it anyway could fill the
    disk the database lives on (var/ under `make run`) and stop it. Nothing is written."""

    def __init__(self, directory: Path, *, free: int, needed: int, reserve: int, what: str = "the backup"):
        self.directory, self.free, self.needed, self.reserve = directory, free, needed, reserve
        super().__init__(f"not enough free space in {directory}: {_mb(free)} free, {what} needs about "
                         f"{_mb(needed)} and {_mb(reserve)} must stay free (DIMING_BACKUP_MIN_FREE_MB)")


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict

    @property
    def made_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.manifest["made_at"])

    @property
    def when(self) -> str:
        return f"{timezone.localtime(self.made_at):%Y-%m-%d %H:%M}"

    @property
    def size(self) -> int:
        return sum(part["bytes"] for part in self.manifest["files"].values())


def pg_bin(program: str) -> str:
    """The newest PostgreSQL client ``program`` on the machine (Debian keeps each version's under
    /usr/lib/postgresql/N/bin), else the one on PATH."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version_key(p.parent.name),
                      reverse=True)
    for directory in versions:
        if (directory / program).is_file():
            return str(directory / program)
    found = shutil.which(program)
    if found is None:
        raise BackupError(f"{program} is not installed (Debian: apt install postgresql-client)")
    return found


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


def libpq_env(alias: str = "default", database: str | None = None) -> dict[str, str]:
    """The environment that points libpq's programs at a Django database (the password never on a command line)."""
    s = settings.DATABASES[alias]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(PGHOST=s.get("HOST") or "", PGPORT=str(s.get("PORT") or 5432), PGUSER=s.get("USER") or "",
               PGDATABASE=database or s["NAME"], PGCONNECT_TIMEOUT="10")
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    sslmode = (s.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return {k: v for k, v in env.items() if v != ""}


def _mb(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{what} failed: {detail[-1] if detail else f'exit status {done.returncode}'}")


def _database_facts(alias: str = "default") -> dict:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), postgis_lib_version(), "
                       "pg_database_size(current_database())")
        server, postgis, size = cursor.fetchone()
        cursor.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
        migrations = dict(cursor.fetchall())
    return {"name": settings.DATABASES[alias]["NAME"], "server_version": server, "postgis_version": postgis,
            "bytes": size, "migrations": migrations}


def _tar_media(media_root: Path, out: Path) -> int:
    """MEDIA_ROOT's regular files and folders into ``out``; links and special files are left out (an upload is never
    one). Returns how many files."""
    count = 0
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        if not media_root.is_dir():
            return 0
        for directory, folders, files in os.walk(media_root):
            folders.sort()
            for name in sorted(files):
                path = Path(directory) / name
                if path.is_symlink() or not path.is_file():
                    continue
                tar.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                count += 1
    return count


def _forget_partials(directory: Path, older_than: dt.timedelta = dt.timedelta(hours=6)) -> None:
    """Removes what backups that never finished (their process was killed) left behind."""
    limit = timezone.now().timestamp() - older_than.total_seconds()
    for left in directory.glob(".diming-*.partial"):
        if left.stat().st_mtime < limit:
            shutil.rmtree(left, ignore_errors=True)


def _dumped_bytes(alias: str) -> int:
    """What the dump may take at the most: the tables' data as the database stores it (the dump leaves out the
    indexes and the derived tables' rows, and compresses the rest)."""
    with connections[alias].cursor() as cursor:
        cursor.execute("""SELECT coalesce(sum(pg_table_size(c.oid)), 0) FROM pg_class c
                          JOIN pg_namespace n ON n.oid = c.relnamespace
                          WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                            AND NOT c.relname = ANY(%s)""", [list(DERIVED_TABLES)])
        return int(cursor.fetchone()[0])


def _media_bytes(media_root: Path) -> int:
    """What media.tar will take: each regular file and a tar header (and padding) of its own."""
    total = 0
    for directory, _folders, files in os.walk(media_root):
        for name in files:
            path = Path(directory) / name
            if not path.is_symlink() and path.is_file():
                total += path.stat().st_size + 1536
    return total + 10240


def require_room(folder: Path, needed: int, what: str = "the backup") -> None:
    """NoRoom unless ``needed`` bytes fit on ``folder``'s disk with BACKUP_MIN_FREE left over."""
    free = shutil.disk_usage(folder).free
    if free - needed < settings.BACKUP_MIN_FREE:
        raise NoRoom(folder, free=free, needed=needed, reserve=settings.BACKUP_MIN_FREE, what=what)


def _make_room(directory: Path, needed: int, keep: int) -> None:
    """require_room in ``directory``; when it is short, the oldest backups that the new one would replace anyway
    (those beyond the newest ``keep`` - 1) go first."""
    try:
        require_room(directory, needed)
    except NoRoom:
        prune(directory, keep - 1)
        require_room(directory, needed)


def make_backup(directory: Path | str | None = None, *, keep: int | None = None, alias: str = "default") -> Backup:
    """A complete backup in ``directory`` (BACKUP_DIR), the oldest beyond ``keep`` (BACKUP_KEEP) then removed."""
    directory = Path(directory or settings.BACKUP_DIR or "")
    if not str(directory) or str(directory) == ".":
        raise BackupError("no backup directory: set DIMING_BACKUP_DIR or give --dir")
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)  # the owners' names and phones are in it
    now = timezone.now()
    name = f"diming-{timezone.localtime(now):%Y%m%d-%H%M%S}"
    final = directory / name
    if final.exists():
        raise BackupError(f"{final} already exists: a backup was made this very second")
    if keep is None:
        keep = settings.BACKUP_KEEP
    partial = directory / f".{name}.partial"
    _forget_partials(directory)
    found = backups(directory)
    # the last dump's size tells best what this one takes (with room to grow); before the first, the tables' size
    last = (found[0].manifest.get("files") or {}).get(DUMP) if found else None
    last = last.get("bytes") if isinstance(last, dict) else None
    dump = int(last * 1.25) if isinstance(last, int) else _dumped_bytes(alias)
    _make_room(directory, dump + _media_bytes(Path(settings.MEDIA_ROOT)), keep)
    partial.mkdir(mode=0o700)
    with _completed_as(final, partial):
        facts = _database_facts(alias)
        argv = [pg_bin("pg_dump"), "--format=custom", "--no-owner", "--no-acl", f"--file={partial / DUMP}"]
        argv += [f"--exclude-table-data={table}" for table in DERIVED_TABLES]
        _run(argv, libpq_env(alias), "pg_dump")
        files = _tar_media(Path(settings.MEDIA_ROOT), partial / MEDIA)
        manifest = {"format": FORMAT, "made_at": now.isoformat(), "database": facts, "media_files": files,
                    "files": {part: {"bytes": (partial / part).stat().st_size, "sha256": _sha256(partial / part)}
                              for part in (DUMP, MEDIA)}}
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    prune(directory, keep)
    return Backup(final, manifest)


@contextmanager
def _completed_as(final: Path, partial: Path):
    """The block writes ``partial``; when it ends whole, ``partial`` is flushed to the disk and only then named
    ``final`` (a power cut leaves a partial folder, never a damaged backup under its usual name); else it goes."""
    try:
        yield
        sync_tree(partial)
        partial.rename(final)
        sync_folder(final.parent)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def copy_backup(backup: Backup, directory: Path | str | None = None, *, keep: int | None = None) -> Backup:
    """``backup`` copied into ``directory`` (BACKUP_COPY_DIR: another disk, a mounted network share), checked there
    against its manifest before it counts, the oldest copies beyond ``keep`` then removed. A copy already there
    and whole is left as it is; one that is not (a share that went away mid-copy) is made again."""
    directory = Path(directory or settings.BACKUP_COPY_DIR or "")
    if not str(directory) or str(directory) == ".":
        raise BackupError("no copy directory: set DIMING_BACKUP_COPY_DIR")
    if directory.resolve() == backup.path.parent.resolve():
        raise BackupError(f"{directory} is where the backups are made: a copy must go somewhere else")
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    final = directory / backup.path.name
    if final.is_dir():
        if _whole(final, backup.manifest):  # checked in full when it was copied; its sizes tell it is still there
            return Backup(final, backup.manifest)
        shutil.rmtree(final)
    _forget_partials(directory)
    partial = directory / f".{backup.path.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    keep = settings.BACKUP_KEEP if keep is None else keep
    _make_room(directory, backup.size, keep)
    with _completed_as(final, partial):
        shutil.copytree(backup.path, partial, copy_function=shutil.copyfile)
        partial.chmod(0o700)
        verify(partial)
    prune(directory, keep)
    return Backup(final, backup.manifest)


def _whole(path: Path, manifest: dict) -> bool:
    try:
        if json.loads((path / MANIFEST).read_text(encoding="utf-8")) != manifest:
            return False
        return all((path / part).stat().st_size == manifest["files"][part]["bytes"] for part in (DUMP, MEDIA))
    except (OSError, ValueError, KeyError, TypeError):
        return False


FAILURE = ".last-failure.json"  # in BACKUP_DIR: why the worker's last look failed, for the administrator's status


def record_failure(step: str, error: BaseException) -> None:
    """Keeps why the daily ``step`` ("backup" or "copy") failed, for the admin's status: the space figures when the
    disk had too little room (the status says them in words), else only that it failed (the log has the rest)."""
    failure = {"at": timezone.now().isoformat(), "step": step, "no_room": isinstance(error, NoRoom)}
    if isinstance(error, NoRoom):
        failure.update(free=error.free, needed=error.needed, reserve=error.reserve)
    try:
        (Path(settings.BACKUP_DIR) / FAILURE).write_text(json.dumps(failure), encoding="utf-8")
    except OSError:  # the folder itself is unusable: the status already says no backup is recent
        pass


def forget_failure() -> None:
    (Path(settings.BACKUP_DIR) / FAILURE).unlink(missing_ok=True)


def last_failure() -> dict | None:
    """The failure ``record_failure`` kept, or None (none, or not readable as one)."""
    try:
        failure = json.loads((Path(settings.BACKUP_DIR) / FAILURE).read_text(encoding="utf-8"))
        failure["at"] = dt.datetime.fromisoformat(failure["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if failure.get("step") not in ("backup", "copy"):
        return None
    for size in ("free", "needed", "reserve"):
        if not isinstance(failure.get(size, 0), int):
            return None
    return failure


def backups(directory: Path | str | None = None) -> list[Backup]:
    """The complete backups in ``directory``, newest first (a directory without a readable manifest is not one)."""
    directory = Path(directory or settings.BACKUP_DIR or "")
    if not str(directory) or not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        if NAME.fullmatch(path.name) and path.is_dir():
            try:
                manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(manifest, dict) and {"made_at", "files", "media_files"} <= manifest.keys():
                found.append(Backup(path, manifest))
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def prune(directory: Path, keep: int) -> list[Path]:
    """Removes the complete backups beyond the newest ``keep`` (never fewer than one is kept)."""
    removed = []
    for old in backups(directory)[max(keep, 1):]:
        shutil.rmtree(old.path)
        removed.append(old.path)
    return removed


def verify(path: Path | str) -> Backup:
    """The backup at ``path``, checked against its manifest: both files there, of the size and SHA-256 written."""
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{path} is not a backup: it has no {MANIFEST}") from None
    except (OSError, ValueError) as error:
        raise BackupError(f"{path / MANIFEST} cannot be read: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path / MANIFEST} is not a backup manifest of format {FORMAT}")
    for part in (DUMP, MEDIA):
        expected = manifest.get("files", {}).get(part) or {}
        file = path / part
        if not file.is_file():
            raise BackupError(f"{file} is missing")
        if file.stat().st_size != expected.get("bytes") or _sha256(file) != expected.get("sha256"):
            raise BackupError(f"{file} is not the file the backup wrote (its size or SHA-256 differs): damaged")
    return Backup(path, manifest)
