"""The WSGI fast lane: anonymous requests for tiles already in the cache, answered before Django's handler.

A cached public tile costs one indexed lookup; building Django's request, running its signals and middleware and
its response cost twice that again, and under a multi-threaded server every Python step also waits for the GIL.
The lane takes only what it can answer exactly as the view would: GET or HEAD of /tiles/{layers}/{z}/{x}/{y}.mvt
without a session cookie or an Authorization header (so the public variant), not ``no-store``, over HTTPS when
HTTPS is required, and found in the cache. Everything else, including every error and every miss, goes on to
Django, which draws, keeps, refuses or redirects as usual. The lookup is the very one the view makes
(tiles.services.cached): the tag from the process's memory of the cache (tiles.memory) or from the database, the
bytes from the process's memory when it sent that very tag lately (tiles.services.BODIES).
"""

from __future__ import annotations

from django.conf import settings
from django.db import close_old_connections

from config.errors import DATABASE_DOWN
from gis.errors import DimingError
from tiles import services
from tiles.access import Viewer, parse_layerset, variant_of
from tiles.middleware import TILE_PATH
from tiles.replies import accepts_gzip, tile_reply
from tiles.views import NO_CACHE, wants_revalidation

ANONYMOUS = Viewer()
STATUS = {200: "200 OK", 304: "304 Not Modified"}


class TileFastLane:
    def __init__(self, application):
        self.application = application
        self.session_cookie = settings.SESSION_COOKIE_NAME + "="
        self.require_https = settings.SECURE_SSL_REDIRECT
        proxy = settings.SECURE_PROXY_SSL_HEADER
        self.proxy_header = proxy if proxy else None
        self.hsts = self._hsts_value()

    def _hsts_value(self) -> str | None:
        if not settings.SECURE_HSTS_SECONDS:
            return None
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        return value

    def _secure(self, environ) -> bool:
        if self.proxy_header is not None:
            header, expected = self.proxy_header
            return environ.get(header, "").split(",")[0].strip() == expected
        return environ.get("wsgi.url_scheme") == "https"

    def _takes(self, environ):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in environ:
            return None
        found = TILE_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if found is None or self.session_cookie in environ.get("HTTP_COOKIE", ""):
            return None
        if NO_CACHE.search(environ.get("HTTP_CACHE_CONTROL", "")):
            return None
        if self.require_https and not self._secure(environ):
            return None
        return found

    def __call__(self, environ, start_response):
        found = self._takes(environ)
        if found is not None:
            reply = self._cached(found, environ)
            if reply is not None:
                status, headers, body = reply
                if self.hsts and self._secure(environ):
                    headers.append(("Strict-Transport-Security", self.hsts))
                headers.append(("Content-Length", str(len(body))))
                start_response(STATUS[status], headers)
                return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]
        return self.application(environ, start_response)

    @staticmethod
    def _cached(found, environ):
        z, x, y = int(found["z"]), int(found["x"]), int(found["y"])
        try:
            services.check_tile_address(z, x, y)
            views = parse_layerset(found["layers"], ANONYMOUS)
            variant = variant_of(views)
            tile = services.cached(services.cache_key(found["layers"], views), variant, z, x, y,
                                   gzip_ok=accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")),
                                   if_none_match=environ.get("HTTP_IF_NONE_MATCH", ""),
                                   revalidate=wants_revalidation(environ))
        except DimingError:
            return None  # Django answers it with the error
        except DATABASE_DOWN:
            close_old_connections()  # a broken connection is replaced before Django answers
            return None
        if tile is None:
            return None
        return tile_reply(tile, variant, environ.get("HTTP_IF_NONE_MATCH", ""))
