"""The daily backup, run by the background worker (jobs.worker) when BACKUP_DIR is set (`make run` sets it)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import mail_admins
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backups.archive import (
    BackupError,
    NoRoom,
    backups,
    copy_backup,
    forget_failure,
    last_failure,
    make_backup,
    record_failure,
)
from backups.certificate import certificate
from backups.disks import disks
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
        first = last_failure() is None  # the administrators are told once, not at each hourly look that fails again
        record_failure(step, error)
        if first:
            tell_administrators(step, error)
        raise
    forget_failure()
    return newest


def tell_administrators(step: str, error: BaseException) -> None:
    """Mails the administrators (DIMING_ADMINS, when set) what the admin's index says of a failed backup or copy: the
    space figures when the disk had too little room. Nothing of the data is in it."""
    with translation.override(settings.LANGUAGE_CODE):
        when = f"{timezone.localtime():%Y-%m-%d %H:%M}"
        if isinstance(error, NoRoom):
            sizes = {"when": when, "free": filesizeformat(error.free), "needed": filesizeformat(error.needed),
                     "reserve": filesizeformat(error.reserve)}
            message = (_("The daily backup of %(when)s was not made: the backup folder's disk has %(free)s free, the "
                         "backup needs about %(needed)s, and %(reserve)s must stay free for the database. Free some "
                         "space on that disk, or move the backup folder to a larger one.") if step == "backup" else
                       _("At %(when)s the second folder had %(free)s free: the backup needs %(needed)s, with "
                         "%(reserve)s left free. Free some space there.")) % sizes
        elif step == "backup":
            message = _("The daily backup failed at %(when)s; it is tried again every hour. The server's log says "
                        "why.") % {"when": when}
        else:
            message = _("Copying the daily backup to the second folder failed at %(when)s; it is tried again every "
                        "hour. The server's log says why.") % {"when": when}
        mail_admins(_("The daily backup failed"), message, fail_silently=True)


LOW_DISKS_TOLD = "backups:low-disks-told"


@every(timedelta(hours=1), "backups.watch_disks")
def watch_disks() -> list[str]:
    """Mails the administrators when a disk the data is on runs low (as the admin's index shows it in red): once when
    it does, again only after it has had room again. A full disk stops the database and every upload, often before
    any backup fails, and nobody looks at the admin's index every day. Returns what the low disks hold."""
    with translation.override(settings.LANGUAGE_CODE):
        low = [disk for disk in disks()[0] if disk.low]
        told = set(cache.get(LOW_DISKS_TOLD) or ())
        new = [disk for disk in low if disk.holds not in told]
        if new:  # in the admin index's words
            message = "\n\n".join(
                _("%(disk)s: only %(free)s free of %(total)s. Free some space or move the data to a larger disk: once "
                  "it is full, nothing more can be saved.") % {
                    "disk": disk.label, "free": filesizeformat(disk.free), "total": filesizeformat(disk.total)}
                for disk in new)
            mail_admins(_("A disk of the server is nearly full"), message, fail_silently=True)
    cache.set(LOW_DISKS_TOLD, sorted(disk.holds for disk in low), None)
    return [disk.holds for disk in low]


CERTIFICATE_TOLD = "backups:certificate-told"


@every(timedelta(hours=6), "backups.watch_certificate")
def watch_certificate() -> str | None:
    """Mails the administrators when the server's HTTPS certificate has a month left, a week left, and when it has
    expired: once at each (a new certificate starts again). Returns the stage told of, or None."""
    found = certificate()
    if found is None or not found.soon:
        return None
    stage = "expired" if found.expired else "week" if found.days_left < 7 else "month"
    told = f"{found.until.isoformat()}:{stage}"
    if cache.get(CERTIFICATE_TOLD) == told:
        return stage
    with translation.override(settings.LANGUAGE_CODE):
        when = f"{timezone.localtime(found.until):%Y-%m-%d}"
        if found.expired:
            message = _("The server's HTTPS certificate expired on %(when)s: browsers warn of this site and the "
                        "crews' tablets cannot send what they record. Put the bureau's new certificate in place of the "
                        "old one and restart the service.") % {"when": when}
        else:
            message = ngettext(
                "The server's HTTPS certificate expires on %(when)s, in %(days)s day. Ask for a new one in time, put "
                "it in place of the old one and restart the service: once it has expired, the crews' tablets cannot "
                "send what they record.",
                "The server's HTTPS certificate expires on %(when)s, in %(days)s days. Ask for a new one in time, put "
                "it in place of the old one and restart the service: once it has expired, the crews' tablets cannot "
                "send what they record.", found.days_left) % {"when": when, "days": found.days_left}
        mail_admins(_("The server's HTTPS certificate is ending"), message, fail_silently=True)
    cache.set(CERTIFICATE_TOLD, told, None)
    return stage
