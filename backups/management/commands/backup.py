"""Backs up the database and the uploaded files (backups.archive), or lists the backups there are."""

import argparse

from django.conf import settings
from django.core.management.base import BaseCommand

from backups.archive import backups, copy_backup, make_backup


def pending_migrations() -> int:
    """How many migrations an existing schema is waiting for (0 for an empty database: there is nothing to keep)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if "django_migrations" not in connection.introspection.table_names():
        return 0
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def count(raw: str) -> int:
    """--keep: a whole number of backups, at least 1."""
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        raise argparse.ArgumentTypeError(f"takes a whole number from 1 to 10000, not {raw[:40]!r}")
    return int(raw)


class Command(BaseCommand):
    help = ("Writes a backup of the database (pg_dump) and of MEDIA_ROOT into --dir (BACKUP_DIR: var/backups under "
            "`make run`), then removes the oldest beyond --keep, and copies it into --copy-to (BACKUP_COPY_DIR) when set. "
            "The background worker makes one daily. Set a copy folder off this disk: a backup on the same disk does "
            "not survive the disk.")

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="directory", default=None, help="where to write (default BACKUP_DIR)")
        parser.add_argument("--keep", type=count, default=None,
                            help=f"backups to keep, the newest (default BACKUP_KEEP = {settings.BACKUP_KEEP})")
        parser.add_argument("--copy-to", dest="copy_to", default=None,
                            help="also copy the backup here and check it (default BACKUP_COPY_DIR; none when unset)")
        parser.add_argument("--list", dest="listing", action="store_true",
                            help="list the backups in --dir (and the copies in --copy-to) instead of making one")
        parser.add_argument("--before-migrate", action="store_true",
                            help="only when the database has data and migrations are waiting to be applied (what "
                                 "`make run` does before it upgrades the schema); nothing without BACKUP_DIR")

    def handle(self, *args, directory, keep, copy_to, listing, before_migrate, **options):
        if before_migrate and not (settings.BACKUP_DIR and pending_migrations()):
            return
        if listing:
            self._list(directory or settings.BACKUP_DIR, "(no BACKUP_DIR)")
            if copy_to or settings.BACKUP_COPY_DIR:
                self._list(copy_to or settings.BACKUP_COPY_DIR, "")
            return
        made = make_backup(directory, keep=keep)
        self.stdout.write(("before the migrations, " if before_migrate else "") + f"backup written: {made.path} ({made.size / 1e6:.1f} MB, database and "
                          f"{made.manifest['media_files']} uploaded files)")
        copy_to = copy_to or settings.BACKUP_COPY_DIR
        if copy_to:
            copied = copy_backup(made, copy_to, keep=keep)
            self.stdout.write(f"copied and checked: {copied.path}")

    def _list(self, directory, unset: str) -> None:
        found = backups(directory)
        if not found:
            self.stdout.write(f"no backups in {directory or unset}")
        for backup in found:
            self.stdout.write(f"{backup.path}  {backup.when}  {backup.size / 1e6:.1f} MB  "
                              f"{backup.manifest['media_files']} files")
