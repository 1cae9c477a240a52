"""A small fixed-window rate limit on Django's cache (the DatabaseCache is shared by every worker): public pages
that take submissions without a login (objections, citizens' grave reports) count them per client address."""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from gis.errors import DimingError


class TooManyRequests(DimingError):
    """Over a rate: the answer says in Retry-After how many seconds to wait before the next request counts."""

    code = "rate_limited"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = max(1, int(retry_after))

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def hit(scope: str, who: str, *, limit: int, window_seconds: int) -> None:
    """Counts one request by ``who`` in ``scope``; raises TooManyRequests past ``limit`` per window."""
    now = time.time()
    window = int(now // window_seconds)
    digest = hashlib.sha256(who.encode()).hexdigest()[:24]  # no raw IP addresses in the cache table
    key = f"ratelimit:{scope}:{digest}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds + 5)
            count = 1
    if count > limit:
        minutes = max(1, window_seconds // 60)
        raise TooManyRequests(_("Too many submissions; please try again in %(minutes)d minutes.") % {"minutes": minutes},
                              where={"limit": limit}, retry_after=math.ceil((window + 1) * window_seconds - now))
