"""The administrator's view of the daily backups (on the admin's index): when the newest was made, or that there is
none, or none lately (the worker is not running, or its backups fail: the server's log says why)."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone

from backups.archive import backups

register = template.Library()

LATE = timedelta(hours=36)  # a daily backup older than this means the last one, or more, did not happen


@register.inclusion_tag("backups/status.html")
def backup_status():
    if not settings.BACKUP_DIR:
        return {"enabled": False}
    found = backups()
    newest = found[0] if found else None
    return {"enabled": True, "newest": newest, "count": len(found),
            "size_mb": f"{newest.size / 1e6:.1f}" if newest else "",
            "late": newest is not None and timezone.now() - newest.made_at > LATE}
