"""The fast lane for anonymous tile requests: served before the rest of the middleware stack.

Map platforms, GIS tools and MapLibre on public pages ask for thousands of tiles a minute without a session; for them
sessions, CSRF, locale, messages and URL resolving only add time (a third of a cached tile's cost). A request with no
session cookie and no ``Authorization`` header can only ever see the public variant, so this middleware answers it
at once with the very same view code; everything else (signed-in users, API tokens, other URLs) goes down the stack
as usual. It sits first in MIDDLEWARE, so it also answers a lost database with its own JSON 503.
"""

from __future__ import annotations

import re

from django.conf import settings

from tiles import views

TILE_MIDDLEWARE = "tiles.middleware.PublicTileMiddleware"  # its name in settings.MIDDLEWARE
TILE_PATH = re.compile(
    r"/tiles/(?P<layers>[A-Za-z0-9_\-]+(?:,[A-Za-z0-9_\-]+)*)/(?P<z>[0-9]{1,3})/(?P<x>[0-9]{1,8})/(?P<y>[0-9]{1,8})"
    r"\.(?:mvt|pbf)")


class PublicTileMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and "HTTP_AUTHORIZATION" not in request.META:
            found = TILE_PATH.fullmatch(request.path_info)
            if found is not None and (
                    "HTTP_COOKIE" not in request.META or self.session_cookie not in request.COOKIES):
                return views.public_tile(request, found["layers"], int(found["z"]), int(found["x"]), int(found["y"]))
        return self.get_response(request)
