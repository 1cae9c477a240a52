"""A tile answer, built in this one place for the Django view and the WSGI fast lane alike."""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.http.response import ResponseHeaders

from tiles.access import PUBLIC
from tiles.services import Tile, etag_matches

MVT = "application/vnd.mapbox-vector-tile"
_PLAIN = re.compile(r"[\t\x20-\x7e]*")  # printable ASCII and tab: what Django's header check passes as it is


class TileHeaders(ResponseHeaders):
    """Django's response headers with a short way for what a tile sends.

    A cache hit is the hot path of a busy map, and Django's check of each header (encodable, no line break, both
    for the name and the value) was a third of its Python. Names and values that are ``str`` of printable ASCII,
    which that check returns unchanged, are stored as they are; anything else (bytes, Latin-1, text to MIME-encode,
    a line break to refuse) goes through Django's own check. ``items()`` hands out the stored pairs without a
    lookup per name (WSGI servers and Django's handler only iterate them).
    """

    def __init__(self, headers: ResponseHeaders):
        super().__init__(None)
        self._store.update(headers._store)  # already checked by Django

    def __setitem__(self, key, value):
        if type(key) is str and type(value) is str and _PLAIN.fullmatch(key) and _PLAIN.fullmatch(value):
            self._store[key.lower()] = (key, value)
        else:
            super().__setitem__(key, value)

    def __contains__(self, key):
        return key.lower() in self._store

    def items(self):
        return list(self._store.values())


class TileResponse(HttpResponse):
    """An HttpResponse whose headers are TileHeaders."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = TileHeaders(self.headers)


def accepts_gzip(accept_encoding: str) -> bool:
    return "gzip" in accept_encoding


def tile_response(tile: Tile, variant: str, if_none_match: str) -> HttpResponse:
    """The tile (or its 304) with every header of its own; the middleware before the tile middleware (Django's
    SecurityMiddleware ...) adds the rest, on both paths (tiles.fastlane)."""
    if etag_matches(if_none_match, tile.etag):
        body = b""
        response = TileResponse(status=304)
        del response["Content-Type"]
    else:
        body = tile.body
        response = TileResponse(body, content_type=MVT)
        if tile.gzipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = f'"{tile.etag}-gz"' if tile.gzipped else f'"{tile.etag}"'
    # Clients keep tiles but revalidate every use (a 304 costs one indexed lookup): tiles are never stale.
    response["Cache-Control"] = "public, no-cache" if variant == PUBLIC else "private, no-cache"
    response["Vary"] = "Accept-Encoding, Cookie, Authorization"
    response["X-Tile-Cache"] = "hit" if tile.cached else "miss"
    response["X-Content-Type-Options"] = "nosniff"
    if variant == PUBLIC:
        # Any site may read public map data (map platforms embed it); browsers send no cookies with such requests.
        response["Access-Control-Allow-Origin"] = "*"
    response["Content-Length"] = str(len(body))  # response.content would join a copy of the bytes to count them
    return response
