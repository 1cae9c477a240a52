"""The WSGI fast lane: anonymous requests for tiles already in the cache, answered before Django's handler.

A cached public tile costs one indexed lookup; Django's handler (its signals, the whole middleware stack, URL
resolving) costs as much again, and under a multi-threaded server every Python step also waits for the GIL. The lane
takes only what it can answer exactly as Django would: GET or HEAD of /tiles/{layers}/{z}/{x}/{y}.mvt without a
session cookie or an Authorization header (so the public variant), found in the cache (TILES_CACHE). Everything else, including
every error and every miss, goes on to Django, which draws, keeps, refuses or redirects as usual.

Nothing here builds a header. The lookup is the view's (tiles.services.cached), the response is built by the view's
own function (tiles.replies.tile_response) and passed through the very middleware that comes before
tiles.middleware.PublicTileMiddleware in settings.MIDDLEWARE (SecurityMiddleware: HSTS, the HTTPS redirect,
Referrer-Policy, Cross-Origin-Opener-Policy, nosniff ...), as the view's answer to the same request is.

That middleware's part in a tile's answer depends on nothing of the request but its scheme, so the lane learns it:
the first answer of each kind (method, scheme, gzip or not, 304 or not) goes the whole way, and its status and
headers, with the tile's own tag and length put in, answer the next ones of that kind. Building Django's request,
passing it through the middleware and building its response is most of a hit's Python, and at one request at a time
a quarter of its time (bench.tiles). The lane learns only where that holds: behind middleware of LEARNABLE alone;
never a plain-HTTP answer under SECURE_SSL_REDIRECT (SecurityMiddleware then redirects by the path and
SECURE_REDIRECT_EXEMPT); never an answer that sets a cookie or is not the tile's own, or whose tag or length the
middleware changed. Every hit still asks the database for the tile's current tag (tiles.services.cached).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections
from django.http import HttpRequest
from django.utils.module_loading import import_string

from core.errors import DATABASE_DOWN
from gis.errors import DimingError
from tiles import services
from tiles.access import Viewer, resolve
from tiles.middleware import TILE_MIDDLEWARE, TILE_PATH
from tiles.replies import accepts_gzip, etag_header, not_modified, tile_response

ANONYMOUS = Viewer()

# Middleware whose part in a tile's answer depends on the request's scheme alone (see the module's text).
LEARNABLE = frozenset({
    "config.middleware.DatabaseUnavailableMiddleware",  # turns exceptions into answers; passes answers on untouched
    "django.middleware.security.SecurityMiddleware",  # headers from settings, HSTS by the scheme; the redirect aside
    "whitenoise.middleware.WhiteNoiseMiddleware",  # answers only the static files' own paths
})


class _Scheme:
    """Django's own ``HttpRequest.is_secure`` (SECURE_PROXY_SSL_HEADER, else the WSGI scheme) read from the WSGI
    environ, without building the whole request."""

    __slots__ = ("environ", "META")

    def __init__(self, environ):
        self.environ = self.META = environ

    _get_scheme = WSGIRequest._get_scheme
    scheme = HttpRequest.scheme
    is_secure = HttpRequest.is_secure


@dataclass(frozen=True)
class _Learned:
    """A kind's answer as the whole way built it: its status, and its headers but the tile's tag and length."""

    status: str
    headers: tuple[tuple[str, str], ...]
    etag_at: int
    length_at: int

    @classmethod
    def of(cls, status: str, headers: list[tuple[str, str]], tile, length: int) -> _Learned | None:
        """None when the headers do not hold the tile's tag and length as the view sets them."""
        names = [name.lower() for name, _value in headers]
        if names.count("etag") != 1 or names.count("content-length") != 1:
            return None
        etag_at, length_at = names.index("etag"), names.index("content-length")
        if headers[etag_at][1] != etag_header(tile) or headers[length_at][1] != str(length):
            return None
        return cls(status, tuple(headers), etag_at, length_at)

    def headers_for(self, tile, length: int) -> list[tuple[str, str]]:
        headers = list(self.headers)
        headers[self.etag_at] = (headers[self.etag_at][0], etag_header(tile))
        headers[self.length_at] = (headers[self.length_at][0], str(length))
        return headers


class TileFastLane:
    def __init__(self, application):
        self.application = application
        self.session_cookie = settings.SESSION_COOKIE_NAME + "="
        names = list(settings.MIDDLEWARE)
        before = names[:names.index(TILE_MIDDLEWARE)]
        self.answer = self._through_middleware(before, self._respond)
        self.learns = set(before) <= LEARNABLE
        self.redirects_plain_http = settings.SECURE_SSL_REDIRECT
        self.learned: dict[tuple, _Learned] = {}

    @staticmethod
    def _through_middleware(names, handler):
        """``handler`` wrapped in the middleware ``names``, as Django wraps the view."""
        for name in reversed(names):
            handler = import_string(name)(handler)
        return handler

    @staticmethod
    def _respond(request):
        tile, variant = request.cached_tile
        request.tile_answer = tile_response(tile, variant, request.META.get("HTTP_IF_NONE_MATCH", ""))
        return request.tile_answer

    def __call__(self, environ, start_response):
        hit = self._cached(environ)
        if hit is None:
            return self.application(environ, start_response)
        tile, variant = hit
        unchanged = not_modified(tile, environ.get("HTTP_IF_NONE_MATCH", ""))
        body = b"" if unchanged else tile.body
        kind = self._kind(environ, tile, variant, unchanged)
        learned = None if kind is None else self.learned.get(kind)
        if learned is None:
            status, headers, body = self._whole_way(environ, hit, kind, len(body))
        else:
            status, headers = learned.status, learned.headers_for(tile, len(body))
        start_response(status, headers)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]

    def _kind(self, environ, tile, variant, unchanged) -> tuple | None:
        """What the middleware's part in the answer can depend on, or None where the lane does not learn it."""
        if not self.learns:
            return None
        secure = _Scheme(environ).is_secure()
        if self.redirects_plain_http and not secure:
            return None
        return environ["REQUEST_METHOD"], secure, variant, tile.gzipped, tile.cached, unchanged

    def _whole_way(self, environ, hit, kind, length: int):
        """The answer through Django's request, the middleware and the view's response, learned for ``kind``."""
        request = WSGIRequest(environ)
        request.cached_tile = hit
        response = self.answer(request)
        # As django.core.handlers.wsgi.WSGIHandler sends a response.
        status = f"{response.status_code} {response.reason_phrase}"
        headers = [*response.items()]
        if response.cookies:
            headers += [("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()]
        elif kind is not None and response is getattr(request, "tile_answer", None):
            learned = _Learned.of(status, headers, hit[0], length)
            if learned is not None:
                self.learned[kind] = learned
        return status, headers, response.content

    def _cached(self, environ):
        """The cached tile and its variant when the lane takes the request (see the module's text), else None."""
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in environ:
            return None
        if not settings.TILES_CACHE:
            return None
        found = TILE_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if found is None or self.session_cookie in environ.get("HTTP_COOKIE", ""):
            return None
        z, x, y = int(found["z"]), int(found["x"]), int(found["y"])
        try:
            services.check_tile_address(z, x, y)
            layers = resolve(found["layers"], ANONYMOUS)
            tile = services.cached(layers.key, layers.variant, z, x, y,
                                   gzip_ok=accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")),
                                   if_none_match=environ.get("HTTP_IF_NONE_MATCH", ""))
        except DimingError:
            return None  # Django answers it with the error
        except DATABASE_DOWN:
            close_old_connections()  # a broken connection is replaced before Django answers
            return None
        return None if tile is None else (tile, layers.variant)
