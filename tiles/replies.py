"""The status, headers and body of a tile answer, the same for the Django view and the WSGI fast lane."""

from __future__ import annotations

from tiles.access import PUBLIC
from tiles.services import Tile, etag_matches

MVT = "application/vnd.mapbox-vector-tile"


def accepts_gzip(accept_encoding: str) -> bool:
    return "gzip" in accept_encoding


def tile_reply(tile: Tile, variant: str, if_none_match: str) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = [("ETag", f'"{tile.etag}-gz"' if tile.gzipped else f'"{tile.etag}"')]
    if etag_matches(if_none_match, tile.etag):
        status, body = 304, b""
    else:
        status, body = 200, tile.body
        headers.append(("Content-Type", MVT))
        if tile.gzipped:
            headers.append(("Content-Encoding", "gzip"))
    # Clients keep tiles but revalidate every use (a 304 costs one indexed lookup): tiles are never stale.
    headers += [("Cache-Control", "public, no-cache" if variant == PUBLIC else "private, no-cache"),
                ("Vary", "Accept-Encoding, Cookie, Authorization"),
                ("X-Tile-Cache", "hit" if tile.cached else "miss"),
                ("X-Content-Type-Options", "nosniff")]
    if variant == PUBLIC:
        # Any site may read public map data (map platforms embed it); browsers send no cookies with such requests.
        headers.append(("Access-Control-Allow-Origin", "*"))
    return status, headers, body
