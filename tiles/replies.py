"""A tile answer, built in this one place for the Django view and the WSGI fast lane alike."""

from __future__ import annotations

from django.http import HttpResponse

from tiles.access import PUBLIC
from tiles.services import Tile, etag_matches

MVT = "application/vnd.mapbox-vector-tile"


def accepts_gzip(accept_encoding: str) -> bool:
    return "gzip" in accept_encoding


def tile_response(tile: Tile, variant: str, if_none_match: str) -> HttpResponse:
    """The tile (or its 304) with every header of its own; the middleware before the tile middleware (Django's
    SecurityMiddleware ...) adds the rest, on both paths (tiles.fastlane)."""
    if etag_matches(if_none_match, tile.etag):
        response = HttpResponse(status=304)
        del response["Content-Type"]
    else:
        response = HttpResponse(tile.body, content_type=MVT)
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
    response["Content-Length"] = str(len(response.content))
    return response
