"""A tile answer, built in this one place for the Django view and the WSGI fast lane alike."""

from __future__ import annotations

import functools

from django.http import HttpResponse
from django.http.response import ResponseHeaders

from tiles.access import PUBLIC
from tiles.services import Tile, etag_matches

MVT = "application/vnd.mapbox-vector-tile"


def _plain(text) -> bool:
    """A str of printable ASCII: what Django's header check returns unchanged."""
    return type(text) is str and text.isascii() and text.isprintable()


class TileHeaders(ResponseHeaders):
    """Django's response headers with a short way for what a tile sends.

    A cache hit is the hot path of a busy map, and Django's check of each header (encodable, no line break, both
    for the name and the value) was a third of its Python. Names and values that are ``str`` of printable ASCII,
    which that check returns unchanged, are stored as they are; anything else (bytes, Latin-1, text to MIME-encode,
    a tab, a line break to refuse) goes through Django's own check. ``items()`` hands out the stored pairs without
    a lookup per name (WSGI servers and Django's handler only iterate them).
    """

    def __init__(self, headers: ResponseHeaders):
        super().__init__(None)
        self._store.update(headers._store)  # already checked by Django

    def __setitem__(self, key, value):
        if _plain(key) and _plain(value):
            self._store[key.lower()] = (key, value)
        else:
            super().__setitem__(key, value)

    def __contains__(self, key):
        return key.lower() in self._store

    def items(self):
        return list(self._store.values())


@functools.cache
def _fixed_headers(public: bool, gzipped: bool, not_modified: bool, cached: bool) -> ResponseHeaders:
    """The headers a tile answer of this kind always sends, checked by Django once.

    Clients keep tiles but revalidate every use (a 304 costs one indexed lookup): tiles are never stale. Any site
    may read public map data (map platforms embed it); browsers send no cookies with such requests.
    """
    headers = {} if not_modified else {"Content-Type": MVT}
    if gzipped and not not_modified:
        headers["Content-Encoding"] = "gzip"
    headers.update({"Cache-Control": "public, no-cache" if public else "private, no-cache",
                    "Vary": "Accept-Encoding, Cookie, Authorization", "X-Tile-Cache": "hit" if cached else "miss",
                    "X-Content-Type-Options": "nosniff"})
    if public:
        headers["Access-Control-Allow-Origin"] = "*"
    return ResponseHeaders(headers)


class TileResponse(HttpResponse):
    """An HttpResponse whose headers are TileHeaders: the fixed ones of its kind, the tag and the length."""

    def __init__(self, body: bytes, *, status: int, fixed: ResponseHeaders, etag: str):
        super().__init__(body, status=status, content_type=MVT)  # headers replaced by the tile's own below
        self.headers = TileHeaders(fixed)
        self.headers["ETag"] = etag
        self.headers["Content-Length"] = str(len(body))  # not response.content: it would join a copy to count


def accepts_gzip(accept_encoding: str) -> bool:
    return "gzip" in accept_encoding


def not_modified(tile: Tile, if_none_match: str) -> bool:
    """The client already holds this tile (its If-None-Match names it): the answer is a 304 without a body."""
    return etag_matches(if_none_match, tile.etag)


def etag_header(tile: Tile) -> str:
    return f'"{tile.etag}-gz"' if tile.gzipped else f'"{tile.etag}"'


def tile_response(tile: Tile, variant: str, if_none_match: str) -> HttpResponse:
    """The tile (or its 304) with every header of its own; the middleware before the tile middleware (Django's
    SecurityMiddleware ...) adds the rest, on both paths (tiles.fastlane)."""
    unchanged = not_modified(tile, if_none_match)
    return TileResponse(b"" if unchanged else tile.body, status=304 if unchanged else 200,
                        fixed=_fixed_headers(variant == PUBLIC, tile.gzipped, unchanged, tile.cached),
                        etag=etag_header(tile))
