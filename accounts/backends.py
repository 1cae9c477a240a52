"""Login throttling (django-axes): too many wrong passwords for one username, or from one client address, lock
further logins out for a while. The address is core.clientip's (trusted proxies only, DIMING_TRUSTED_PROXIES)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _


class LoginThrottle(AxesStandaloneBackend):
    """Axes' check before any password is tried. A login without a request (the test client's ``login``, a
    management command) did not come over HTTP and has no address to count: it passes through."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, response=None, credentials=None):
    """The answer to a login while locked out (AXES_LOCKOUT_CALLABLE): a Chinese page, 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {
        "title": _("Too many failed logins"), "minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT,
    }, status=429)
