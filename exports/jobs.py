"""The change feed's daily chore, run by the background worker (jobs.worker)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from exports import sql
from jobs.registry import every


@every(timedelta(days=1), "exports.prune_feed")
def prune_feed_daily():
    """Compacts change-feed history older than FEED_KEEP_DAYS (platforms further behind take a new snapshot)."""
    return sql.prune_feed(timezone.now() - timedelta(days=settings.FEED_KEEP_DAYS))
