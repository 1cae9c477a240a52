"""The daily backup, run by the background worker (jobs.worker) when BACKUP_DIR is set (`make run` sets it)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from backups.archive import BackupError, backups, copy_backup, forget_failure, make_backup, record_failure
from jobs.registry import every

DAILY = timedelta(hours=23)  # a backup younger than this is the day's (the hourly look keeps it near the same hour)


@every(timedelta(hours=1), "backups.daily")
def daily_backup():
    """A backup of the database and the uploaded files into BACKUP_DIR, keeping the newest BACKUP_KEEP, when the
    newest is a day old: looked at hourly, so a backup that failed or whose worker was stopped is made again within
    the hour, not a day later. With BACKUP_COPY_DIR, the newest is also copied there, again hourly until it is.
    A failure is kept for the administrator's status (and logged by the worker) until a look succeeds."""
    if not settings.BACKUP_DIR:
        return None
    step = "backup"
    try:
        found = backups()
        newest = found[0] if found and timezone.now() - found[0].made_at < DAILY else make_backup()
        if settings.BACKUP_COPY_DIR:  # a copy that failed (the share was away) is made at the next hourly look
            step = "copy"
            copy_backup(newest)
    except (BackupError, OSError) as error:
        record_failure(step, error)
        raise
    forget_failure()
    return newest
