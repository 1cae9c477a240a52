"""Puts a backup (manage.py backup) in place of the database and the uploaded files, keeping what it replaces."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from backups.restore import restore


class Command(BaseCommand):
    help = ("Restores the backup folder PATH: checks it against its manifest, loads it into a new database and "
            "folder, then puts them in place. What they replace is kept (the database renamed "
            "<name>_before_restore_<time>, MEDIA_ROOT renamed <folder>.before-restore-<time>); remove it when sure. "
            "Stop the web server and the worker first, or give --force. Then migrates the restored database.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="a backup folder, e.g. var/backups/diming-20261204-021500")
        parser.add_argument("--force", action="store_true",
                            help="end the connections of programs still using the database (they reconnect)")
        parser.add_argument("--no-migrate", action="store_true", help="leave the restored database as it was")

    def handle(self, *args, path, force, no_migrate, **options):
        done = restore(path, force=force)
        self.stdout.write(f"restored {done.backup.path.name} (made {done.backup.when}) into the database "
                          f"{done.database}")
        self.stdout.write(f"the data it replaced is kept: database {done.kept_database}"
                          + (f", folder {done.kept_media}" if done.kept_media else ""))
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
            self.stdout.write("the restored database is migrated to this version")
