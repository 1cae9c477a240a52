"""The change feed API: /api/v1/feed/latest, /snapshot and /events, NDJSON streamed chunk by chunk.

Readers authenticate with a session or ``Authorization: Bearer dm_...``. A platform account reads through its
``Consumer`` (allowed layers and areas, its rate limit); officers read within their own regions (FEED_READS_PER_MINUTE).
Every read is logged with who, what, how many lines and whether it ran to its end. The range used is sent before
the lines (X-Feed-From and X-Feed-To, or X-Feed-Txid) and again in the stream's end record (exports.feed), which a
reader checks: a stream without it was cut.
"""

from __future__ import annotations

import json
import time

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from accounts.drf import platform_readable
from accounts.roles import Role
from accounts.scoping import has_role
from core import params as typed
from exports import feed, services, sql
from exports.models import ExportLog
from exports.sources import Filters, prefix_of_code
from gis.errors import InputError, PermissionDenied

NDJSON = "application/x-ndjson; charset=utf-8"
# A platform account reads in its own coordinate system unless it asks for another (?coords=wgs84).
DEFAULT_COORDS = {"amap": "gcj02", "amap-xlsx": "gcj02", "baidu": "bd09"}


class NdjsonRenderer(BaseRenderer):
    """Lets a reader ask for what the feed streams (Accept: application/x-ndjson): the streams bypass renderers; an
    answer that is not a stream (``latest``, an error) is then one JSON line."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


RENDERERS = [JSONRenderer, NdjsonRenderer]
# The feed as the REST API's description tells it (/api/schema/): its parameters, and a stream of JSON lines.
SELECTION = [
    OpenApiParameter("layer", str, required=True, description="The layer (roads, places, doorplates, canteens...)."),
    OpenApiParameter("area", str, description="An area's code (a county: 330302): its records only."),
    OpenApiParameter("kind", str, description="Kinds, comma-separated (road,street)."),
    OpenApiParameter("coords", str, enum=list(feed.COORDINATE_SYSTEMS),
                     description="Coordinates: WGS-84 by default; a platform account's own (GCJ-02, BD-09) for it."),
]
STREAM = OpenApiResponse(OpenApiTypes.STR, description=(
    "One JSON object a line (application/x-ndjson): the records, then an end record {\"op\": \"end\", \"count\", "
    "...}; a stream without it was cut."))


def _reader(request):
    """The consumer behind the request, or None for an officer; refuses anyone else."""
    user = request.user
    consumer = services.consumer_of(user)
    if consumer is None and not has_role(user, Role.OFFICER, Role.REVIEWER):
        raise PermissionDenied(_("Reading the change feed needs a platform account or a place-name officer."), code="not_a_consumer")
    return consumer


def _int(request, name: str, default: int | None = None) -> int:
    """A transaction position (txid): a whole number from 0; required when there is no default."""
    if default is None:
        typed.required(request.query_params, name)
    return typed.integer(request.query_params, name, default, low=0)


def _filters(request) -> Filters:
    params = request.query_params
    area = typed.area_code(params, "area", "")
    kinds = tuple(k for k in typed.text(params, "kind").split(",") if k)
    return Filters(prefixes=(prefix_of_code(area),) if area else None, kinds=kinds)


def _stream(log: ExportLog, lines, started: float, range_used: dict[str, int]) -> StreamingHttpResponse:
    def counted():
        count, complete = 0, False
        try:
            for block in lines:
                count += block.count("\n")
                yield block.encode()
            complete = True
        finally:
            # Counted lines include the end record; a cut stream is logged as not finished.
            services.finish_feed_read(log, count - 1 if complete else count, started, complete=complete)

    response = StreamingHttpResponse(counted(), content_type=NDJSON)
    response["Cache-Control"] = "no-store"
    for name, value in range_used.items():
        response[f"X-Feed-{name}"] = str(value)
    return response


@extend_schema(responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description='{"txid": the newest position}')})
@platform_readable
@api_view(["GET"])
@renderer_classes(RENDERERS)
def latest(request):
    consumer = _reader(request)
    log = services.start_feed_read(request.user, consumer, ExportLog.Kind.LATEST)
    txid = sql.latest_txid()
    services.finish_feed_read(log, 1, time.monotonic())
    return Response({"txid": txid})


SELECTING = ("layer", "area", "kind", "coords")
RENDERING = ("format",)  # the REST framework's choice of renderer, read before the view


def _only(request, *names: str) -> None:
    """Refuses a parameter the feed does not read: a platform that wrote crs= (OGC's word) for coords= got the
    default coordinates without a word."""
    for key in request.query_params:
        if key not in (*names, *SELECTING, *RENDERING):
            raise InputError(_("Unknown query parameter: %(name)s (this address reads %(names)s).")
                             % {"name": key[:50], "names": ", ".join((*names, *SELECTING))},
                             code="unknown_parameter", where={"parameter": key[:50]})


def _prepared(request, kind: str):
    started = time.monotonic()
    consumer = _reader(request)
    layer = typed.text(request.query_params, "layer")
    if not layer:
        raise InputError(_("The parameter layer is missing."), code="missing_parameter", where={"parameter": "layer"})
    services.check_layer_access(request.user, consumer, layer)
    filters = services.scoped_filters(request.user, consumer, _filters(request),
                                      area_code=typed.area_code(request.query_params, "area", ""))
    crs = typed.text(request.query_params, "coords") or DEFAULT_COORDS.get(getattr(consumer, "profile", ""), "wgs84")
    feed.transform_function(crs)
    parameters = dict(request.query_params.items())
    log = services.start_feed_read(request.user, consumer, kind, layer, parameters,
                                   area_code=typed.area_code(request.query_params, "area", ""))
    return started, layer, filters, crs, log


@extend_schema(parameters=[OpenApiParameter("txid", int, description="The position to read at (the newest).")]
               + SELECTION, responses={(200, "application/x-ndjson"): STREAM})
@gzip_page
@platform_readable
@api_view(["GET"])
@renderer_classes(RENDERERS)
def snapshot(request):
    _only(request, "txid")
    txid = _int(request, "txid", default=sql.latest_txid())
    started, layer, filters, crs, log = _prepared(request, ExportLog.Kind.SNAPSHOT)
    return _stream(log, feed.snapshot_lines(layer, txid, filters, crs), started, {"Txid": txid})


@extend_schema(parameters=[OpenApiParameter("from", int, required=True, description="The first position read."),
                           OpenApiParameter("to", int, description="The last position read (the newest).")]
               + SELECTION, responses={(200, "application/x-ndjson"): STREAM})
@gzip_page
@platform_readable
@api_view(["GET"])
@renderer_classes(RENDERERS)
def events(request):
    """The changes of transactions ``from`` to ``to`` (both included; ``to`` defaults to the newest)."""
    _only(request, "from", "to")
    txid_from = _int(request, "from")
    txid_to = _int(request, "to", default=sql.latest_txid())
    started, layer, filters, crs, log = _prepared(request, ExportLog.Kind.EVENTS)
    lines = feed.event_lines(layer, txid_from, txid_to, filters, crs)
    return _stream(log, lines, started, {"From": txid_from, "To": txid_to})
