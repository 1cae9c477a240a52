"""Compacts the change feed's history: each record keeps its state as of the horizon and every later version."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.params import days
from exports import sql


class Command(BaseCommand):
    help = ("Compacts feed versions of transactions committed more than --keep-days ago (FEED_KEEP_DAYS by default). "
            "Snapshots and events from the horizon on stay exact; reads from before it are refused with 410, so a "
            "platform that fell behind takes a new snapshot. The background worker runs it daily.")

    def add_arguments(self, parser):
        parser.add_argument("--keep-days", type=days, default=str(settings.FEED_KEEP_DAYS),
                            help=f"days of history to keep whole (default FEED_KEEP_DAYS = {settings.FEED_KEEP_DAYS})")

    def handle(self, *args, keep_days, **options):
        done = sql.prune_feed(timezone.now() - keep_days)
        self.stdout.write(f"feed horizon txid {done.horizon}: {done.versions} versions and {done.transactions} "
                          f"transactions compacted away")
