"""The doorplates API under /doorplates/api/: plates, numbering on a road and in a village or residential area,
address search.

Reads are scoped to the user's regions; writes need the officer or field-crew role in the plate's region and go
through doorplates.services, which audits them. Geometry enters through gis.intake (``geometry`` as GeoJSON or
WKT, or ``lon``/``lat``, with ``crs``; EPSG:4490 when none is given).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from accounts.drf import HasRole, PlatformLayersMixin, RegionScopedMixin, public_properties_only
from audit.preconditions import VersionedRetrieveMixin, required_version
from audit.privacy import hidden_from, visible_history
from core import params as typed
from core.pagination import GeoJsonPagePagination
from doorplates import search, services
from doorplates.addresses import parse_group
from doorplates.models import BASE_FIELDS, Doorplate, PlateStatus, PlateType
from gis.errors import InputError
from gis.intake import intake_geometry
from placenames.bases import BaseKind
from placenames.roads import Road


class DoorplateSerializer(GeoFeatureModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    plate_type_label = serializers.CharField(source="get_plate_type_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    public_url = serializers.CharField(read_only=True)

    class Meta:
        model = Doorplate
        geo_field = "geom"
        id_field = "uuid"
        fields = ["uuid", "base_kind", "road", "village", "residential_area", "road_name", "villager_group", "number_label", "number", "sub_number", "sub_style", "annex",
                  "building", "unit", "room", "plate_type", "plate_type_label", "status", "status_label",
                  "installed_on", "address", "area_code", "area_name", "public_url", "version", "updated_at"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if "token" in hidden_from(getattr(request, "user", None), Doorplate):
            data["properties"].pop("public_url", None)
        return public_properties_only(self, data)


class DoorplatePermission(HasRole):
    write_roles = services.EDIT_ROLES


class DoorplatePagination(GeoJsonPagePagination):
    page_size = 500
    max_page_size = 5000


def point_from(data) -> object:
    """The entrance point of a request: ``geometry`` (GeoJSON/WKT) or ``lon``/``lat``, in ``crs``."""
    crs = data.get("crs") or "EPSG:4490"
    if data.get("geometry") not in (None, ""):
        return intake_geometry(data["geometry"], crs=crs, expected="Point", field="geometry").geometry
    if data.get("lon") in (None, "") or data.get("lat") in (None, ""):
        raise InputError(_("Give the plate's position: geometry, or lon and lat."), code="missing_value", where={"field": "geometry"})
    pair = (typed.number(data, "lon"), typed.number(data, "lat"))
    return intake_geometry(pair, crs=crs, expected="Point", field="lon").geometry


def _text(data, name: str, max_length: int = 200) -> str:
    """A text member (a house number may come as a JSON number: 88); true, a list or an object is refused."""
    value = data.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        data = {name: str(value)}
    return typed.text(data, name, max_length=max_length).strip()


class DoorplateViewSet(PlatformLayersMixin, RegionScopedMixin, VersionedRetrieveMixin, viewsets.ModelViewSet):
    """Plates in the user's regions; ``?road=<uuid>&status=installed`` filter. POST creates a plate,
    PATCH edits one, ``status`` and ``revoke_token`` are actions; each change sends the version it read
    (``version`` or If-Match; audit.preconditions), so no one's edit is overwritten."""

    serializer_class = DoorplateSerializer
    permission_classes = [DoorplatePermission]
    pagination_class = DoorplatePagination
    lookup_field = "uuid"
    queryset = Doorplate.objects.select_related("area")
    platform_layers = ("doorplates",)  # a platform account: the installed plates, public properties
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset()
        params = self.request.query_params
        filters = {"road": typed.uuid(params, "road"), "village": typed.uuid(params, "village"),
                   "residential_area": typed.uuid(params, "residential_area"),
                   "base_kind": typed.choice(params, "base_kind", BaseKind.values),
                   "status": typed.choice(params, "status", PlateStatus.values),
                   "plate_type": typed.choice(params, "plate_type", PlateType.values)}
        return qs.filter(**{name: value for name, value in filters.items() if value is not None})

    def create(self, request, *args, **kwargs):
        """POST with exactly one base: ``road``, ``village`` or ``residential_area`` (a UUID)."""
        data = request.data
        kind, base_id = base_given(data)
        base = services.base_of(kind, base_id, request.user)
        plate = services.create_plate(
            request.user, base=base, number=_text(data, "number"), point=point_from(data),
            plate_type=_text(data, "plate_type") or "door", building=_text(data, "building"),
            unit=_text(data, "unit"), room=_text(data, "room"),
            status=_text(data, "status") or PlateStatus.PLANNED, villager_group=_text(data, "villager_group"))
        return Response(self.get_serializer(plate).data, status=201)

    def partial_update(self, request, *args, **kwargs):
        plate = self.get_object()
        data = request.data
        changes = {name: _text(data, name) for name in ("number", "villager_group", "plate_type", "building", "unit",
                                                          "room") if name in data}
        if "installed_on" in data:
            changes["installed_on"] = typed.date(data, "installed_on")
        for kind, name in BASE_FIELDS.items():
            if data.get(name) not in (None, ""):
                changes[name] = services.base_of(kind, typed.uuid(data, name), request.user)
        if "geometry" in data or "lon" in data:
            changes["point"] = point_from(data)
        if "status" in data:
            raise InputError(_("The status changes through the status action."), where={"field": "status"})
        plate = services.update_plate(request.user, plate, version=required_version(request),
                                      reason=_text(data, "reason"), **changes)
        return Response(self.get_serializer(plate).data)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            raise MethodNotAllowed("PUT")
        return self.partial_update(request, *args, **kwargs)

    @action(detail=True, methods=["post"])
    def status(self, request, uuid=None):
        """POST {"status": "installed", "reason": "...", "version": 3}."""
        plate = services.set_status(request.user, self.get_object(), _text(request.data, "status"),
                                    reason=_text(request.data, "reason"), version=required_version(request))
        return Response(self.get_serializer(plate).data)

    @action(detail=True, methods=["post"], url_path="revoke-token")
    def revoke_token(self, request, uuid=None):
        """POST {"reissue": true, "version": 3} to print a new plate; without it the QR code simply stops
        resolving."""
        plate = services.revoke_token(request.user, self.get_object(), reissue=typed.flag(request.data, "reissue"),
                                      reason=_text(request.data, "reason"), version=required_version(request))
        return Response(self.get_serializer(plate).data)

    @action(detail=True, methods=["get"])
    def history(self, request, uuid=None):
        """The plate's audit log, with the fields the user may see of the plate itself."""
        return Response([c.as_dict() for c in visible_history(self.get_object(), request.user)])


def base_given(data) -> tuple[str, object]:
    """The one base a request names: (kind, UUID) of ``road``, ``village`` or ``residential_area``."""
    given = [(kind, name) for kind, name in BASE_FIELDS.items() if data.get(name) not in (None, "")]
    if len(given) != 1:
        raise InputError(_("Give exactly one base: a road, a village or a residential area."), code="base_required",
                         where={"fields": list(BASE_FIELDS.values())})
    kind, name = given[0]
    return kind, typed.uuid(data, name)


def scoped_road(request, uuid) -> Road:
    return services.road_of(uuid, request.user)


def check_as_dict(result: services.RoadCheck) -> dict:
    return {
        "road": {"uuid": str(result.road.uuid), "name": result.road.name, "length_m": round(result.length_m, 1)},
        "rules": {"reversed": result.rules.reversed, "odd_side": result.rules.odd_side,
                  "spacing_m": result.rules.spacing_m, "max_offset_m": result.rules.max_offset_m},
        "counts": result.counts(),
        "findings": [{"kind": f.kind, "message": f.message, "plates": [str(p.uuid) for p in f.keys],
                      "numbers": [p.number_label for p in f.keys], "detail": f.detail} for f in result.findings],
        "plates": [{"uuid": str(p.key.uuid), "number": p.number.label, "chainage_m": round(p.chainage_m, 1),
                    "side": p.side, "offset_m": round(p.offset_m, 1)}
                   for p in sorted(result.positions, key=lambda p: (p.side, p.chainage_m))],
    }


@api_view(["GET"])
def road_check(request, uuid):
    return Response(check_as_dict(services.check_road(scoped_road(request, uuid))))


@api_view(["GET", "POST"])
def road_numbering(request, uuid):
    """GET the road's numbering rules; POST {"reversed": true, "odd_side": "right", "spacing_m": 5,
    "max_offset_m": 80, "infill_style": "dash"} to change them (officers of the road's region)."""
    road = scoped_road(request, uuid)
    if request.method == "POST":
        services.set_numbering(request.user, road, **numbering_settings(request.data))
    rules = services.rules_for(road)
    return Response({"road": str(road.uuid), "reversed": rules.reversed, "odd_side": rules.odd_side,
                     "spacing_m": rules.spacing_m, "max_offset_m": rules.max_offset_m,
                     "infill_style": rules.infill_style})


def numbering_settings(data, *, labels: dict | None = None) -> dict:
    """The numbering rules sent (by the API, or by the road page's form with ``labels``: what its fields are called,
    so that a refusal names them as the page does)."""
    labels = labels or {}
    out = {}
    if "reversed" in data:
        out["reversed"] = typed.flag(data, "reversed", label=labels.get("reversed"))
    for name, choices in (("odd_side", ("left", "right")), ("infill_style", ("dash", "zhi"))):
        value = typed.choice(data, name, choices, None, label=labels.get(name))
        if value is not None:
            out[name] = value
    for name in ("spacing_m", "max_offset_m"):
        value = typed.number(data, name, low=0, high=10_000, label=labels.get(name))
        if value is not None:
            out[name] = value
    return out


@api_view(["GET", "POST"])
def road_suggest(request, uuid):
    """?lon=&lat=[&crs=]: the number an entrance there should get."""
    road = scoped_road(request, uuid)
    data = request.data if request.method == "POST" else request.query_params
    s = services.suggest_number(road, point_from(data))
    def neighbour(p):
        return ({"number": p.number.label, "chainage_m": round(p.chainage_m, 1)} if p else None)
    return Response({"number": s.number.label, "side": s.side, "chainage_m": round(s.chainage_m, 1),
                     "offset_m": round(s.offset_m, 1), "reason": s.reason, "before": neighbour(s.before),
                     "after": neighbour(s.after)})


@api_view(["GET", "POST"])
def road_renumber_preview(request, uuid):
    """GET: renumber the road as it is; POST {"geometry": <new line>, "crs": ...}: as re-routed. Writes nothing."""
    road = scoped_road(request, uuid)
    geom = None
    if request.method == "POST" and request.data.get("geometry"):
        geom = intake_geometry(request.data["geometry"], crs=request.data.get("crs") or "EPSG:4490",
                               expected="LineString", field="geometry").geometry
    rows = services.renumber_preview(road, geom)
    return Response({"road": str(road.uuid), "changed": sum(r.changed for r in rows),
                     "plates": [{"uuid": str(r.key.uuid), "old": r.old.label, "new": r.new.label, "side": r.side,
                                 "chainage_m": round(r.chainage_m, 1), "changed": r.changed} for r in rows]})


@extend_schema(parameters=[OpenApiParameter("q", str, required=True, description="What was typed: a name and number, or its pinyin (jiefangjie88)."),
                           OpenApiParameter("limit", int, description="At most this many (10; 1 to 100).")],
               responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def autocomplete(request):
    """?q=解放街88 (or jiefangjie88, or 鹿城区解放街): up to ``limit`` addresses."""
    limit = typed.integer(request.query_params, "limit", 10, low=1, high=100)
    return Response({"results": search.autocomplete(typed.text(request.query_params, "q"), request.user, limit)})


@extend_schema(parameters=[OpenApiParameter("address", str, required=True, description="A written address.")],
               responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def geocode(request):
    """?address=浙江省温州市鹿城区五马街道解放街88号: components, their check against the registry, matches."""
    text = request.query_params.get("address") or request.query_params.get("q") or ""
    if not text.strip():
        raise InputError(_("Give the address: address."), code="missing_value", where={"field": "address"})
    return Response(search.geocode(text, request.user).as_dict())


@extend_schema(parameters=[OpenApiParameter("lon", float, description="Longitude (or geometry)."),
                           OpenApiParameter("lat", float, description="Latitude (or geometry)."),
                           OpenApiParameter("geometry", str, description="A point as GeoJSON or WKT."),
                           OpenApiParameter("crs", str, description="The coordinates' system (EPSG:4490)."),
                           OpenApiParameter("k", int, description="How many plates (5; 1 to 100).")],
               responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def reverse(request):
    """?lon=&lat=[&crs=&k=5]: the nearest plates, nearest first."""
    point = point_from(request.query_params)
    k = typed.integer(request.query_params, "k", 5, low=1, high=100)
    return Response({"results": search.nearest(point.x, point.y, request.user, k)})


# --- numbering in a village or a residential area ------------------------------------------------------------

BASE_ROUTES = {"villages": BaseKind.VILLAGE, "residential-areas": BaseKind.RESIDENTIAL}


def base_check_as_dict(result: services.BaseCheck) -> dict:
    return {
        "base": {"uuid": str(result.base.uuid), "name": result.base.name, "kind": result.kind},
        "counts": result.counts(),
        "findings": [{"kind": f.kind, "message": f.message, "plates": [str(p.uuid) for p in f.keys],
                      "numbers": [p.number_label for p in f.keys], "detail": f.detail} for f in result.findings],
        "plates": [{"uuid": str(m.key.uuid), "number": m.key.number_label, "villager_group": m.group,
                    "building": m.building, "unit": m.unit,
                    "room": m.room, "outside_m": round(m.distance_m, 1)} for m in result.members],
    }


@api_view(["GET"])
def base_check(request, route, uuid):
    """The numbering check of a village (duplicates, skipped numbers, infills of a missing number, plates far
    outside) or a residential area (duplicates, skipped buildings or units, units and rooms without their building's
    or unit's plate, plates far outside)."""
    kind = BASE_ROUTES[route]
    return Response(base_check_as_dict(services.check_base(kind, services.base_of(kind, uuid, request.user))))


@api_view(["GET"])
def village_suggest(request, uuid):
    """The next number of a village (of its villager group ``villager_group``: 3, 3组, 三组): one above its highest."""
    village = services.base_of(BaseKind.VILLAGE, uuid, request.user)
    group = _text(request.query_params, "villager_group")
    s = services.suggest_in_village(village, group)
    return Response({"number": s.number.label, "villager_group": parse_group(group), "reason": s.reason,
                     "highest": s.highest.label if s.highest else None})
