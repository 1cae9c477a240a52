"""The administrator's view of the daily backups (on the admin's index): when the newest was made, or that there is
none, or none lately (the worker is not running, or its backups fail: the server's log says why); and whether the copies in
the second place (BACKUP_COPY_DIR) keep up; the disks the data is on (backups.disks); and when the server's HTTPS
certificate ends (backups.certificate)."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone

from backups.archive import backups, last_failure
from backups.certificate import certificate
from backups.disks import disks

register = template.Library()

LATE = timedelta(hours=36)  # a daily backup older than this means the last one, or more, did not happen


@register.inclusion_tag("backups/status.html")
def backup_status():
    listed, copies_share_the_disk = disks()
    status = {"disks": listed, "copies_share_the_disk": copies_share_the_disk, "certificate": certificate()}
    if not settings.BACKUP_DIR:
        return {**status, "enabled": False}
    found = backups()
    newest = found[0] if found else None
    status |= {"enabled": True, "newest": newest, "count": len(found),
              "size_mb": f"{newest.size / 1e6:.1f}" if newest else "",
              "late": newest is not None and timezone.now() - newest.made_at > LATE}
    failure = last_failure()
    if failure and failure["step"] == "backup" and (newest is None or failure["at"] > newest.made_at):
        status["failure"] = _failure(failure)
    if settings.BACKUP_COPY_DIR:
        copies = backups(settings.BACKUP_COPY_DIR)
        status["copy"] = {"newest": copies[0] if copies else None, "count": len(copies),
                          # the newest backup is not (yet) in the second place: the share is away, or full
                          "behind": newest is not None and (not copies or copies[0].path.name < newest.path.name)}
        if failure and failure["step"] == "copy" and status["copy"]["behind"]:
            status["copy"]["failure"] = _failure(failure)
    return status


def _failure(failure: dict) -> dict:
    return {**failure, "when": f"{timezone.localtime(failure['at']):%Y-%m-%d %H:%M}"}
