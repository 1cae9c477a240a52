"""Vector tiles, TileJSON, the MapLibre style, PMTiles archives and the office map page."""

from __future__ import annotations

import functools
import logging
import re

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from rest_framework.exceptions import AuthenticationFailed

from accounts.authentication import ApiTokenAuthentication
from config.errors import DATABASE_DOWN
from gis.errors import DimingError
from tiles import pmtiles_export, replies, services, styles
from tiles.access import Viewer, parse_layerset, variant_of

log = logging.getLogger(__name__)

NO_CACHE = re.compile(r"(^|,)\s*no-store\s*(,|$)", re.IGNORECASE)
# A client that asks to revalidate (a hard reload) is answered from the database, never from a process's memory
# (tiles.memory); so is everyone signed in (session or token): whoever may edit sees each edit at once, even on a
# server so busy that a commit's notice takes milliseconds to arrive.
REVALIDATE = re.compile(r"(^|,)\s*(no-cache|max-age\s*=\s*0)\s*(,|$)", re.IGNORECASE)


def wants_revalidation(meta) -> bool:
    return bool(REVALIDATE.search(meta.get("HTTP_CACHE_CONTROL", ""))) or "no-cache" in meta.get("HTTP_PRAGMA", "")


def cors(response):
    """Any site may read public map data (map platforms embed it); browsers send no cookies with such requests."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def json_errors(view):
    """Product errors as JSON with their status: map clients and GIS tools read these, not HTML pages."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DimingError as error:
            return JsonResponse({"error": error.as_dict()}, status=error.http_status,
                                json_dumps_params={"ensure_ascii": False})
        except AuthenticationFailed as error:
            return JsonResponse({"error": {"code": "unauthenticated", "message": str(error.detail)}}, status=401,
                                json_dumps_params={"ensure_ascii": False})
        except DATABASE_DOWN as error:
            log.error("database unavailable: %s", error)
            return JsonResponse({"error": {"code": "database_unavailable", "message": "数据库暂时不可用，请稍后再试。"}},
                                status=503, json_dumps_params={"ensure_ascii": False})

    return wrapped


def viewer_for(request) -> Viewer:
    """The session user, or the owner of a ``Bearer`` API token (GIS tools and map platforms)."""
    if "HTTP_AUTHORIZATION" in request.META:
        found = ApiTokenAuthentication().authenticate(request)
        if found is not None:
            return Viewer.of(found[0])
    if not request.COOKIES:
        return Viewer()
    return Viewer.of(request.user)


def tile_response(request, tile: services.Tile, variant: str) -> HttpResponse:
    status, headers, body = replies.tile_reply(tile, variant, request.META.get("HTTP_IF_NONE_MATCH", ""))
    response = HttpResponse(body, status=status)  # the reply's headers carry the MVT content type
    for name, value in headers:
        response[name] = value
    return response


def _serve_tile(request, layers: str, viewer: Viewer, z: int, x: int, y: int) -> HttpResponse:
    services.check_tile_address(z, x, y)
    views = parse_layerset(layers, viewer)
    variant = variant_of(views)
    # `Cache-Control: no-store` on the request draws the tile afresh and keeps nothing (benchmarks, debugging).
    use_cache = not NO_CACHE.search(request.META.get("HTTP_CACHE_CONTROL", ""))
    found = services.get_tile(layers, views, variant, z, x, y, use_cache=use_cache,
                              gzip_ok=replies.accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", "")),
                              if_none_match=request.META.get("HTTP_IF_NONE_MATCH", ""),
                              revalidate=viewer.authenticated or wants_revalidation(request.META))
    return tile_response(request, found, variant)


@require_safe
@json_errors
def tile(request, layers: str, z: int, x: int, y: int):
    return _serve_tile(request, layers, viewer_for(request), z, x, y)


@json_errors
def public_tile(request, layers: str, z: int, x: int, y: int):
    """A tile for a request that carries no session and no token (tiles.middleware.PublicTileMiddleware)."""
    return _serve_tile(request, layers, Viewer(), z, x, y)


@require_safe
@json_errors
def tilejson(request, layers: str):
    views = parse_layerset(layers, viewer_for(request))
    response = JsonResponse(styles.tilejson(request, layers, views), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"
    return cors(response)


@require_safe
@json_errors
def style(request):
    viewer = viewer_for(request)
    response = JsonResponse(styles.style(request, viewer), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"
    return cors(response)


@login_required
def map_page(request):
    viewer = Viewer.of(request.user)
    pmtiles = request.GET.get("pmtiles", "")
    return render(request, "tiles/map.html", {
        "layers": viewer.visible_layers(),
        "local_font_family": styles.LOCAL_FONT_FAMILY,
        "pmtiles": pmtiles if re.fullmatch(r"[-\w]{1,64}", pmtiles) else "",
        "archives": pmtiles_export.archive_names(),
    })


RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@require_safe
def pmtiles_archive(request, name: str):
    """An offline package from MEDIA_ROOT/pmtiles/, with HTTP Range support for MapLibre's pmtiles protocol."""
    path = pmtiles_export.archive_path(name)
    if not path.is_file():
        return JsonResponse({"error": {"code": "not_found", "message": f"没有名为 {name} 的离线包。"}}, status=404,
                            json_dumps_params={"ensure_ascii": False})
    size = path.stat().st_size
    etag = f'"{int(path.stat().st_mtime_ns):x}-{size:x}"'
    first, last, partial = 0, size - 1, False
    wanted = RANGE.match(request.META.get("HTTP_RANGE", "").strip())
    if wanted and (wanted[1] or wanted[2]):
        if wanted[1]:
            first, last = int(wanted[1]), min(int(wanted[2]) if wanted[2] else size - 1, size - 1)
        else:
            first, last = max(size - int(wanted[2]), 0), size - 1
        if first > last or first >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        partial = True
    with path.open("rb") as archive:
        archive.seek(first)
        body = archive.read(last - first + 1)
    response = HttpResponse(body, status=206 if partial else 200, content_type="application/vnd.pmtiles")
    if partial:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    return cors(response)
