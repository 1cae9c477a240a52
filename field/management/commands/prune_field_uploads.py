"""Drops the crews' photo uploads that were started and never completed, after their retention period."""

from django.core.management.base import BaseCommand

from core.params import days
from field.uploads import prune_partial, retention


class Command(BaseCommand):
    help = ("Drops partial (never completed) photo uploads of the field app whose last chunk is older than "
            "--older-than-days (FIELD_PARTIAL_UPLOAD_DAYS, 14 by default), with their files. Complete photos are "
            "never touched; a device still holding a photo sends it again. The background worker does it daily.")

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=days, default=None,
                            help=f"retention in days (default {retention().days})")
        parser.add_argument("--dry-run", action="store_true", help="only count what would go")

    def handle(self, *args, **options):
        done = prune_partial(options["older_than_days"], dry_run=options["dry_run"])
        verb = "would drop" if options["dry_run"] else "dropped"
        self.stdout.write(f"{verb} {done.uploads} partial uploads and {done.orphans} orphan files "
                          f"({done.bytes / 1024 / 1024:.1f} MB)")
