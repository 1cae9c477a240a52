"""The WSGI fast lane: anonymous requests for tiles already in the cache, answered before Django's handler.

A cached public tile costs one indexed lookup; Django's handler (its signals, the whole middleware stack, URL
resolving) costs as much again, and under a multi-threaded server every Python step also waits for the GIL. The lane
takes only what it can answer exactly as Django would: GET or HEAD of /tiles/{layers}/{z}/{x}/{y}.mvt without a
session cookie or an Authorization header (so the public variant), found in the cache (TILES_CACHE). Everything else, including
every error and every miss, goes on to Django, which draws, keeps, refuses or redirects as usual.

Nothing here builds a header. The lookup is the view's (tiles.services.cached), the response is built by the view's
own function (tiles.replies.tile_response), and it passes through the very middleware that comes before
tiles.middleware.PublicTileMiddleware in settings.MIDDLEWARE (SecurityMiddleware: HSTS, the HTTPS redirect,
Referrer-Policy, Cross-Origin-Opener-Policy, nosniff ...), as the view's answer to the same request does.
"""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections
from django.utils.module_loading import import_string

from core.errors import DATABASE_DOWN
from gis.errors import DimingError
from tiles import services
from tiles.access import Viewer, resolve
from tiles.middleware import TILE_MIDDLEWARE, TILE_PATH
from tiles.replies import accepts_gzip, tile_response

ANONYMOUS = Viewer()


class TileFastLane:
    def __init__(self, application):
        self.application = application
        self.session_cookie = settings.SESSION_COOKIE_NAME + "="
        self.answer = self._through_middleware(self._respond)

    @staticmethod
    def _through_middleware(handler):
        """``handler`` wrapped in the middleware that comes before the tile middleware, as Django wraps the view."""
        names = list(settings.MIDDLEWARE)
        for name in reversed(names[:names.index(TILE_MIDDLEWARE)]):
            handler = import_string(name)(handler)
        return handler

    @staticmethod
    def _respond(request):
        tile, variant = request.cached_tile
        return tile_response(tile, variant, request.META.get("HTTP_IF_NONE_MATCH", ""))

    def __call__(self, environ, start_response):
        hit = self._cached(environ)
        if hit is None:
            return self.application(environ, start_response)
        request = WSGIRequest(environ)
        request.cached_tile = hit
        response = self.answer(request)
        # As django.core.handlers.wsgi.WSGIHandler sends a response.
        headers = [*response.items()]
        if response.cookies:
            headers += [("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else response.content]

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
