"""The server's HTTPS certificate (`make run` with DIMING_TLS_CERT) as the administrator must know it: when it expires.
An expired certificate has every browser warn, and the crews' tablets cannot send what they recorded (their requests
fail as if there were no signal), so its end is shown on the admin's index weeks before and mailed (backups.jobs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from backups.x509 import not_after

SOON = dt.timedelta(days=30)  # a certificate ending within this is shown in red and mailed


@dataclass(frozen=True)
class Certificate:
    until: dt.datetime

    @property
    def days_left(self) -> int:
        return (self.until - timezone.now()).days

    @property
    def expired(self) -> bool:
        return self.until <= timezone.now()

    @property
    def soon(self) -> bool:
        return self.until - timezone.now() <= SOON


def certificate() -> Certificate | None:
    """The certificate `make run` serves HTTPS with, or None (no HTTPS here, or a file that cannot be read: the server
    itself then refused to start, in words, scripts/serving.py)."""
    if not settings.TLS_CERT:
        return None
    try:
        with open(settings.TLS_CERT, "rb") as pem:
            until = not_after(pem.read())
    except (OSError, ValueError, IndexError):
        return None
    return Certificate(until)
