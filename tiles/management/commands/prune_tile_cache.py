"""Keeps the tile cache within its size: the newest tiles stay, the oldest go (and are drawn again when asked)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gis.errors import DimingError
from tiles.services import cache_size, prune_cache

MB = 1024 * 1024


class Command(BaseCommand):
    help = ("Drops the oldest cached tiles until the cache holds at most --max-mb (TILES_CACHE_MAX_MB by default), "
            "and every tile older than --older-than-days. The background worker does it hourly.")

    def add_arguments(self, parser):
        parser.add_argument("--max-mb", type=int, default=None,
                            help=f"size to keep, in MB (default TILES_CACHE_MAX_MB = "
                                 f"{settings.TILES_CACHE_MAX_BYTES // MB})")
        parser.add_argument("--older-than-days", type=float, default=None,
                            help="also drop every tile kept more than this many days ago")
        parser.add_argument("--dry-run", action="store_true", help="only print the cache's size")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        using = options["database"]
        if options["dry_run"]:
            tiles, size = cache_size(using=using)
            self.stdout.write(f"tile cache: {tiles} tiles, {size / MB:.1f} MB")
            return
        max_bytes = settings.TILES_CACHE_MAX_BYTES if options["max_mb"] is None else options["max_mb"] * MB
        days = options["older_than_days"]
        if days is not None and days < 0:
            raise CommandError("--older-than-days must not be negative")
        before = timezone.now() - timedelta(days=days) if days is not None else None
        try:
            done = prune_cache(max_bytes, before=before, using=using)
        except DimingError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"dropped {done.dropped} tiles ({done.dropped_bytes / MB:.1f} MB); kept {done.kept} tiles "
                          f"({done.kept_bytes / MB:.1f} MB, limit {max_bytes / MB:.0f} MB)")
