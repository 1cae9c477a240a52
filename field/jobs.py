"""The field app's chores in the background worker (jobs.registry)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from field.uploads import prune_partial
from jobs.registry import every


@every(timedelta(days=1), "field.prune_partial_uploads")
def prune_partial_uploads_daily():
    """Drops the photo uploads started and never completed within FIELD_PARTIAL_UPLOAD_DAYS."""
    return asdict(prune_partial())
