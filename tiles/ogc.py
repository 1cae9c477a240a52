"""OGC API - Features (Part 1 Core, GeoJSON, OpenAPI 3.0; Part 2 CRS) over the layer registry, under /ogc/.

JSON is the default (``f=json``); ``f=html`` gives a plain page for people. Every layer the viewer may see is a
collection; ids are the layers' public ids. Part 2: ``crs`` chooses the output CRS (CRS84 by default) and the
answer names it in ``Content-Crs``; ``bbox-crs`` the CRS of ``bbox``.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from core import params as typed
from gis.errors import InputError, NotFound
from tiles import features as feats
from tiles.access import layer_named, parse_layerset
from tiles.legend import field_label, layer_legend
from tiles.openapi import openapi_document
from tiles.views import cors, json_errors, viewer_for

GEOJSON = "application/geo+json"
JSON = "application/json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
ITEM_PARAMETERS = {"f", "limit", "offset", "bbox", "bbox-crs", "crs"}


def _url(request, route: str, query: dict | None = None, **kwargs) -> str:
    url = request.build_absolute_uri(reverse(f"tiles:{route}", kwargs=kwargs))
    return f"{url}?{urlencode(query)}" if query else url


def _format(request) -> str:
    f = request.GET.get("f", "json")
    if f not in {"json", "html"}:
        raise InputError(_("Unsupported format f=%(f)s: json and html are served.") % {"f": f[:20]}, code="invalid_format", where={"f": f[:20]})
    return f


def _answer(request, document: dict, *, content_type: str = JSON, title: str = "", headers: dict | None = None,
            view=None):
    if _format(request) == "html":
        response = render(request, "tiles/ogc.html", {"document": document, "title": title or document.get("title"),
                                                      "table": _html_table(request, document, view)})
    else:
        response = JsonResponse(document, content_type=content_type, json_dumps_params={"ensure_ascii": False})
    for key, value in (headers or {}).items():
        response[key] = value
    return cors(response)


def _html_table(request, document: dict, view) -> dict | None:
    """Features as the web page shows them: properties by their labels, coded values by their words (tiles.legend),
    each feature's id a link to its own page; None for a document without features."""
    features = document.get("features") if document.get("type") == "FeatureCollection" else (
        [document] if document.get("type") == "Feature" else None)
    if view is None or not features:
        return None
    legend = layer_legend(view.layer)
    keys = [key for key in features[0].get("properties", {}) if key in legend["fields"]]

    def shown(key, value):
        if value is None:
            return ""
        words = legend["values"].get(key, {})
        return words.get(str(value).lower() if isinstance(value, bool) else str(value), value)

    def point(feature):
        geometry = feature.get("geometry") or {}
        return geometry.get("coordinates") if geometry.get("type") == "Point" else None

    rows = [{"id": f.get("id"), "href": _url(request, "ogc_item", {"f": "html"}, name=view.layer.name, fid=f.get("id")),
             "cells": [shown(key, f["properties"].get(key)) for key in keys], "point": point(f)} for f in features]
    labels = [legend["fields"][key] for key in keys]
    return {"labels": labels, "rows": rows, "one": document.get("type") == "Feature",
            "pairs": list(zip(labels, rows[0]["cells"], strict=True))}


def _view(request, name: str):
    if layer_named(name) is None:
        raise NotFound(_("No collection is named %(name)s.") % {"name": name[:64]}, code="unknown_collection", where={"collection": name[:64]})
    return parse_layerset(name, viewer_for(request))[0]


@require_safe
@json_errors
def landing(request):
    return _answer(request, {
        "title": _("Diming place names OGC API - Features"),
        "description": _("Wenzhou's standard place names, doorplates, administrative divisions and civil-affairs "
                         "facilities (the demo's data are synthetic)"),
        "links": [
            {"href": _url(request, "ogc"), "rel": "self", "type": JSON, "title": _("This document")},
            {"href": _url(request, "ogc", {"f": "html"}), "rel": "alternate", "type": "text/html", "title": _("Web page")},
            {"href": _url(request, "ogc_api"), "rel": "service-desc", "type": OPENAPI, "title": "OpenAPI 3.0"},
            {"href": _url(request, "ogc_conformance"), "rel": "conformance", "type": JSON, "title": _("Conformance")},
            {"href": _url(request, "ogc_collections"), "rel": "data", "type": JSON, "title": _("Feature collections")},
        ],
    })


@require_safe
@json_errors
def conformance(request):
    return _answer(request, {"conformsTo": CONFORMANCE}, title=_("Conformance"))


@require_safe
@json_errors
def openapi(request):
    viewer = viewer_for(request)
    return JsonResponse(openapi_document(request, viewer.visible_layers()), content_type=OPENAPI,
                        json_dumps_params={"ensure_ascii": False})


def _collection(request, view) -> dict:
    layer = view.layer
    name = layer.name
    return {
        "id": name,
        "title": layer.title,
        "description": layer.description or layer.title,
        "itemType": "feature",
        "extent": {"spatial": {"bbox": [feats.extent(view)], "crs": feats.CRS84}},
        "crs": feats.SUPPORTED_CRS,
        "storageCrs": feats.CGCS2000,
        "links": [
            {"href": _url(request, "ogc_collection", name=name), "rel": "self", "type": JSON, "title": layer.title},
            {"href": _url(request, "ogc_items", name=name), "rel": "items", "type": GEOJSON, "title": layer.title},
            {"href": _url(request, "ogc_queryables", name=name),
             "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables", "type": "application/schema+json"},
            {"href": _url(request, "tilejson", layers=name), "rel": "describedby", "type": JSON,
             "title": "TileJSON"},
        ],
    }


@require_safe
@json_errors
def collections(request):
    viewer = viewer_for(request)
    views = [viewer.view_of(layer) for layer in viewer.visible_layers()]
    return _answer(request, {
        "links": [{"href": _url(request, "ogc_collections"), "rel": "self", "type": JSON, "title": _("This document")}],
        "collections": [_collection(request, view) for view in views],
    }, title=_("Feature collections"))


@require_safe
@json_errors
def collection(request, name: str):
    return _answer(request, _collection(request, _view(request, name)))


@require_safe
@json_errors
def queryables(request, name: str):
    view = _view(request, name)
    return JsonResponse({
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": _url(request, "ogc_queryables", name=name),
        "type": "object",
        "title": view.layer.title,
        "properties": {prop: {"title": field_label(view.layer, prop), "type": "string"} for prop in view.layer.properties},
    }, content_type="application/schema+json", json_dumps_params={"ensure_ascii": False})


def _query(request, view) -> feats.Query:
    params = request.GET
    filters = []
    for key in params:
        if key in ITEM_PARAMETERS:
            continue
        if key not in view.layer.properties:
            raise InputError(_("Unknown query parameter: %(name)s.") % {"name": key[:50]}, code="unknown_parameter",
                             where={"parameter": key[:50]}, hint=feats.choices_hint(sorted(ITEM_PARAMETERS | set(view.layer.properties))))
        filters.append((key, feats.filter_value(view, key, params[key])))
    bbox = feats.parse_bbox(params["bbox"], params.get("bbox-crs")) if params.get("bbox") else None
    return feats.Query(
        limit=typed.integer(params, "limit", feats.DEFAULT_LIMIT, low=1, high=feats.MAX_LIMIT),
        offset=typed.integer(params, "offset", 0, low=0, high=10**9),
        bbox=bbox,
        crs=feats.parse_crs(params.get("crs")),
        filters=tuple(filters),
    )


def _page_links(request, name: str, query: feats.Query, returned: int, matched: int) -> list[dict]:
    base = {k: v for k, v in request.GET.items() if k != "offset"}
    links = [{"href": _url(request, "ogc_items", {**base, "offset": query.offset} if query.offset else base,
                           name=name), "rel": "self", "type": GEOJSON, "title": _("This document")}]
    if query.offset + returned < matched:
        links.append({"href": _url(request, "ogc_items", {**base, "offset": query.offset + query.limit}, name=name),
                      "rel": "next", "type": GEOJSON, "title": _("Next page")})
    if query.offset > 0:
        links.append({"href": _url(request, "ogc_items", {**base, "offset": max(query.offset - query.limit, 0)},
                                   name=name), "rel": "prev", "type": GEOJSON, "title": _("Previous page")})
    links.append({"href": _url(request, "ogc_collection", name=name), "rel": "collection", "type": JSON,
                  "title": _("The collection")})
    return links


@gzip_page  # pages of up to 10,000 features, GeoJSON compresses to a tenth
@require_safe
@json_errors
def items(request, name: str):
    view = _view(request, name)
    query = _query(request, view)
    found, matched = feats.features(view, query)
    document = {
        "type": "FeatureCollection",
        "features": found,
        "numberMatched": matched,
        "numberReturned": len(found),
        "timeStamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "links": _page_links(request, name, query, len(found), matched),
    }
    return _answer(request, document, content_type=GEOJSON, title=view.layer.title,
                   headers={"Content-Crs": f"<{query.crs}>"}, view=view)


@require_safe
@json_errors
def item(request, name: str, fid: str):
    view = _view(request, name)
    for key in request.GET:
        if key not in {"f", "crs"}:
            raise InputError(_("Unknown query parameter: %(name)s.") % {"name": key[:50]}, code="unknown_parameter",
                             where={"parameter": key[:50]})
    crs = feats.parse_crs(request.GET.get("crs"))
    found = feats.feature(view, fid, crs)
    found["links"] = [
        {"href": _url(request, "ogc_item", name=name, fid=fid), "rel": "self", "type": GEOJSON,
         "title": _("This document")},
        {"href": _url(request, "ogc_collection", name=name), "rel": "collection", "type": JSON,
         "title": _("The collection")},
    ]
    return _answer(request, found, content_type=GEOJSON, title=view.layer.title,
                   headers={"Content-Crs": f"<{crs}>"}, view=view)
