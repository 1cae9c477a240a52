"""The canteens API under /canteens/api/: canteens as GeoJSON, coverage, uncovered villages and siting.

Reads are open to every signed-in user within their regions; writes need the officer role (or administrator)
in the canteen's region and go through canteens.services, which audits them.
"""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from accounts.drf import HasRole, PlatformLayersMixin, RegionScopedMixin, public_properties_only
from accounts.roles import Role
from accounts.scoping import area_prefixes
from audit.preconditions import VersionedRetrieveMixin, required_version
from audit.privacy import hidden_from, visible_history
from canteens import services
from canteens.coverage import compute_coverage
from canteens.mapdata import uncovered_features
from canteens.models import MAX_COUNT, MAX_RADIUS_M, Canteen, CanteenKind, CanteenStatus
from canteens.siting import MAX_SUGGESTIONS, suggest_sites
from canteens.tables import plan_as_dict, report_as_dict
from core import params as typed
from core.pagination import GeoJsonPagePagination
from doorplates import lookup
from gis.crs import STORAGE_SRID, parse_crs
from gis.errors import InputError
from gis.intake import intake_point


class CanteenPoint(GeometryField):
    """The canteen's point, read as every geometry of the product is (gis.intake: GeoJSON, WKT, a CRS, the service
    area), so that a value that is no geometry is told in words, not in rest_framework_gis's Python."""

    def to_internal_value(self, value):
        return services.canteen_location(value)


class CanteenSerializer(GeoFeatureModelSerializer):
    geom = CanteenPoint()

    def to_internal_value(self, data):
        # A GeoJSON Feature: rest_framework_gis fails with a TypeError on a form's text "properties".
        if not isinstance(data, dict) or not isinstance(data.get("properties", {}), dict):
            raise serializers.ValidationError({"properties": [_("Send a GeoJSON Feature whose properties are an "
                                                                 "object (application/json).")]})
        return super().to_internal_value(data)

    area_code = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    # The linked doorplate's UUID (null: none); the address then is its standard address.
    doorplate = serializers.PrimaryKeyRelatedField(queryset=lookup.plates(), allow_null=True,
                                                   required=False)

    class Meta:
        model = Canteen
        geo_field = "geom"
        id_field = "uuid"
        fields = ["uuid", "name", "kind", "kind_label", "status", "status_label", "address", "doorplate", "operator",
                  "operator_phone", "seats", "meals_per_sitting", "opening_hours", "delivers",
                  "delivery_radius_m", "opened_on", "star_rating", "note", "area_code", "area_name", "version",
                  "updated_at"]
        read_only_fields = ["uuid", "version", "updated_at"]
        extra_kwargs = {"seats": {"max_value": MAX_COUNT}, "meals_per_sitting": {"max_value": MAX_COUNT},
                        "delivery_radius_m": {"max_value": MAX_RADIUS_M}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        for name in hidden_from(getattr(request, "user", None), Canteen):
            data["properties"].pop(name, None)
        return public_properties_only(self, data)


class CanteenPermission(HasRole):
    write_roles = (Role.OFFICER,)


class CanteenPagination(GeoJsonPagePagination):
    page_size = 200
    max_page_size = 2000


class CanteenViewSet(PlatformLayersMixin, RegionScopedMixin, VersionedRetrieveMixin, viewsets.ModelViewSet):
    """Canteens in the user's regions. ``?status=open&kind=canteen`` filter. Every change (PATCH, status, DELETE)
    sends the version it read (``version`` or If-Match; audit.preconditions), so no one's edit is overwritten."""

    serializer_class = CanteenSerializer
    permission_classes = [CanteenPermission]
    pagination_class = CanteenPagination
    lookup_field = "uuid"
    queryset = Canteen.objects.select_related("area")
    platform_layers = ("canteens",)  # a platform account: the published canteens, public properties

    def get_queryset(self):
        qs = super().get_queryset()
        params = self.request.query_params
        filters = {"status": typed.choice(params, "status", CanteenStatus.values),
                   "kind": typed.choice(params, "kind", CanteenKind.values)}
        return qs.filter(**{name: value for name, value in filters.items() if value is not None})

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        geom = data.pop("geom", None)
        serializer.instance = services.register_canteen(self.request.user, geom=geom, **data)

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        instance = serializer.instance
        if changes.get("status", instance.status) != instance.status:
            raise InputError(_("Change the status through the status action."), where={"field": "status"})
        changes.pop("status", None)
        serializer.instance = services.update_canteen(instance, self.request.user, changes,
                                                      version=required_version(self.request))

    def perform_destroy(self, instance):
        services.remove_canteen(instance, self.request.user, reason=self.request.query_params.get("reason", ""),
                                version=required_version(self.request))

    @action(detail=True, methods=["post"])
    def status(self, request, uuid=None):
        """POST {"status": "open", "reason": "...", "version": 3}."""
        canteen = services.change_status(self.get_object(), request.user,
                                         typed.choice(request.data, "status", CanteenStatus.values, ""),
                                         reason=typed.text(request.data, "reason", max_length=2000),
                                         version=required_version(request))
        return Response(self.get_serializer(canteen).data)

    @action(detail=True, methods=["get"])
    def history(self, request, uuid=None):
        """The canteen's audit log, with the fields the user may see of the canteen itself."""
        return Response([c.as_dict() for c in visible_history(self.get_object(), request.user)])


def _suggestion_count(source) -> int:
    return typed.integer(source, "n", 5, low=1, high=MAX_SUGGESTIONS)


@api_view(["GET"])
def coverage(request):
    """Coverage rates by county and township for the user's regions, the total and the uncovered villages."""
    return Response(report_as_dict(compute_coverage(area_prefixes(request.user))))


@api_view(["GET"])
def uncovered(request):
    """The uncovered villages and communities as GeoJSON points (their service points)."""
    report = compute_coverage(area_prefixes(request.user))
    return Response({"type": "FeatureCollection", "features": uncovered_features(report, polygons=False)})


@api_view(["GET", "POST"])
def siting(request):
    """GET ?n=5: the next sites among village service points. POST {"n": 3, "points": [[lon, lat], ...],
    "crs": "EPSG:4490"}: the best of the given candidate points."""
    source = request.data if request.method == "POST" else request.query_params
    n = _suggestion_count(source)
    points = _candidate_points(request.data) if request.method == "POST" else None
    plan = suggest_sites(n, area_prefixes(request.user), points=points)
    return Response(plan_as_dict(plan))


def _candidate_points(data) -> list[Point] | None:
    raw = data.get("points")
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        raise InputError(_("points must be a non-empty list of [longitude, latitude] pairs."), where={"field": "points"})
    crs = parse_crs(data.get("crs") or STORAGE_SRID)
    points = []
    for i, pair in enumerate(raw, start=1):
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            raise InputError(_("Point %(index)d must be two numbers, [longitude, latitude].") % {"index": i}, where={"point": i})
        points.append(intake_point(pair[0], pair[1], crs=crs, field=f"points[{i - 1}]").geometry)
    return points
