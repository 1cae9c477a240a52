"""Vector tiles, TileJSON, the MapLibre style, PMTiles archives and the office map page."""

from __future__ import annotations

import functools
import logging
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from rest_framework.exceptions import AuthenticationFailed

from accounts.authentication import ApiTokenAuthentication
from accounts.scoping import has_role, home_extent
from core.errors import DATABASE_DOWN
from gis.errors import DimingError
from tiles import pmtiles_export, replies, services, styles
from tiles.access import Viewer, parse_layerset, resolve
from tiles.legend import legend
from tiles.packages import PACKAGE_ROLES

log = logging.getLogger(__name__)

NO_STORE = re.compile(r"(^|,)\s*no-store\s*(,|$)", re.IGNORECASE)


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
            return JsonResponse({"error": error.as_dict()}, status=error.http_status, headers=error.headers,
                                json_dumps_params={"ensure_ascii": False})
        except AuthenticationFailed as error:  # the code the feed's API gives the same bad token
            return JsonResponse({"error": {"code": str(error.get_codes()), "message": str(error.detail)}}, status=401,
                                json_dumps_params={"ensure_ascii": False})
        except DATABASE_DOWN as error:
            log.error("database unavailable: %s", error)
            return JsonResponse({"error": {"code": "database_unavailable", "message": _("The database is unavailable for the moment: try again shortly.")}},
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


def _serve_tile(request, layers: str, viewer: Viewer, z: int, x: int, y: int) -> HttpResponse:
    services.check_tile_address(z, x, y)
    layerset = resolve(layers, viewer)
    # A signed-in user or an API token may have the tile drawn afresh, keeping nothing (`Cache-Control: no-store`:
    # debugging, benchmarks). Anyone else is answered from the cache, which is never stale (every hit asks the
    # database for the tag), and revalidates with the ETag: an anonymous header must not make the server draw.
    use_cache = settings.TILES_CACHE and not (
        viewer.authenticated and NO_STORE.search(request.META.get("HTTP_CACHE_CONTROL", "")))
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH", "")
    found = services.get_tile(layerset, z, x, y, use_cache=use_cache, if_none_match=if_none_match,
                              gzip_ok=replies.accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", "")))
    return replies.tile_response(found, layerset.variant, if_none_match)


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
    layers = viewer.visible_layers()
    return render(request, "tiles/map.html", {
        "layers": layers,
        "map_data": {"legend": legend(layers), "extent": home_extent(request.user),
                     "words": {"open": _("Open the record"), "yes": _("yes"), "no": _("no"),
                               "outside": _("Outside your region: the record cannot be opened here."),
                               "unreachable": _("The record's page cannot be reached now."),
                               "failed": _("These layers cannot be drawn just now: %(layers)s. The others are shown.")}},
        "local_font_family": styles.LOCAL_FONT_FAMILY,
        "pmtiles": pmtiles if re.fullmatch(r"[-\w]{1,64}", pmtiles) else "",
        "archives": pmtiles_export.archive_names(),
        "may_package": has_role(request.user, *PACKAGE_ROLES),  # the packages page answers the others 403
    })


RANGE = re.compile(r"^bytes=(\d{0,15})-(\d{0,15})$")  # a longer range is none (the whole file): no file is that large


@require_safe
def pmtiles_archive(request, name: str):
    """An offline package from MEDIA_ROOT/pmtiles/, with HTTP Range support for MapLibre's pmtiles protocol."""
    path = pmtiles_export.archive_path(name)
    if not path.is_file():
        return JsonResponse({"error": {"code": "not_found", "message": _("No offline package is named %(name)s.") % {"name": name}}}, status=404,
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
