"""The OpenAPI 3.0 document of the OGC API (/ogc/api), one items path per collection with its filters."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from gis.layers import Layer
from tiles import features as feats


def _parameter(name: str, description: str, schema: dict, *, where: str = "query", required: bool = False,
               explode: bool | None = None, style: str | None = None) -> dict:
    out = {"name": name, "in": where, "description": description, "required": required, "schema": schema}
    if explode is not None:
        out["explode"] = explode
    if style:
        out["style"] = style
    return out


COMMON = {
    "f": _parameter("f", "Response format", {"type": "string", "enum": ["json", "html"], "default": "json"}),
    "limit": _parameter("limit", "Maximum number of features", {"type": "integer", "minimum": 1,
                                                                "maximum": feats.MAX_LIMIT,
                                                                "default": feats.DEFAULT_LIMIT}),
    "offset": _parameter("offset", "Number of features to skip", {"type": "integer", "minimum": 0, "default": 0}),
    "bbox": _parameter("bbox", "minLon,minLat,maxLon,maxLat (CRS84 unless bbox-crs)",
                       {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
                       explode=False, style="form"),
    "bbox-crs": _parameter("bbox-crs", "CRS of bbox", {"type": "string", "format": "uri",
                                                       "enum": feats.SUPPORTED_CRS[:3]}),
    "crs": _parameter("crs", "CRS of the returned geometries", {"type": "string", "format": "uri",
                                                                "enum": feats.SUPPORTED_CRS}),
}


def _response(description: str, content_type: str = "application/json") -> dict:
    return {"description": description, "content": {content_type: {"schema": {"type": "object"}}}}


def _operation(operation_id: str, summary: str, parameters: list, content_type: str = "application/json") -> dict:
    return {"get": {
        "operationId": operation_id, "summary": summary, "parameters": parameters,
        "responses": {"200": _response(summary, content_type), "400": _response("Bad request"),
                      "404": _response("Not found")},
    }}


def openapi_document(request, layers: list[Layer]) -> dict:
    root = reverse("tiles:ogc").rstrip("/")
    paths = {
        "/": _operation("getLandingPage", "Landing page", [COMMON["f"]]),
        "/conformance": _operation("getConformance", "Conformance classes", [COMMON["f"]]),
        "/collections": _operation("getCollections", "Feature collections", [COMMON["f"]]),
    }
    for layer in layers:
        name = layer.name
        filters = [_parameter(prop, f"Features whose {prop} equals this value", {"type": "string"})
                   for prop in layer.properties]
        paths[f"/collections/{name}"] = _operation(f"describe_{name}", layer.title, [COMMON["f"]])
        paths[f"/collections/{name}/items"] = _operation(
            f"getFeatures_{name}", f"{layer.title}: features",
            [COMMON[key] for key in ("f", "limit", "offset", "bbox", "bbox-crs", "crs")] + filters,
            "application/geo+json")
        paths[f"/collections/{name}/items/{{featureId}}"] = _operation(
            f"getFeature_{name}", f"{layer.title}: one feature",
            [_parameter("featureId", "Feature id", {"type": "string"}, where="path", required=True),
             COMMON["f"], COMMON["crs"]], "application/geo+json")
    return {
        "openapi": "3.0.3",
        "info": {"title": _("Diming place names OGC API - Features"), "version": "1.0.0",
                 "description": _("Standard place names, doorplates, administrative divisions and civil-affairs "
                                  "facilities (the demo's data are synthetic)")},
        "servers": [{"url": request.build_absolute_uri(root)}],
        "paths": paths,
    }
