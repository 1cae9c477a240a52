"""The daily backup, run by the background worker (jobs.worker) when BACKUP_DIR is set (`make run` sets it)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from backups.archive import make_backup
from jobs.registry import every


@every(timedelta(days=1), "backups.daily")
def daily_backup():
    """A backup of the database and the uploaded files into BACKUP_DIR, keeping the newest BACKUP_KEEP."""
    if not settings.BACKUP_DIR:
        return None
    return make_backup()
