"""REST API under /placenames/api/: places (GeoJSON), names and history, applications and their transitions.

Every queryset is scoped to the user's regions; transitions go through placenames.services, which checks the
workflow table, the role and the version the client saw.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from accounts.drf import HasRole, PlatformLayersMixin, RegionScopedMixin, public_properties_only
from audit.preconditions import required_version
from core import params as typed
from gis.errors import InputError
from placenames import services
from placenames.models import (
    Application,
    ApplicationEvent,
    ApplicationState,
    ApplicationType,
    Place,
    PlaceName,
    PlaceStatus,
    RuleFinding,
)
from placenames.nearby import application_geojson
from placenames.rules import EXPLANATIONS
from placenames.search import search_places

# --- places and names --------------------------------------------------------------------------------------


class PlaceSerializer(GeoFeatureModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Place
        geo_field = "geom"
        id_field = "uuid"
        fields = ["uuid", "name", "pinyin", "pinyin_key", "initials", "kind", "area", "area_name", "status",
                  "location_description", "updated_at"]

    def to_representation(self, instance):
        return public_properties_only(self, super().to_representation(instance))


class PlaceNameSerializer(serializers.ModelSerializer):
    place = serializers.UUIDField(source="place_id", read_only=True)

    class Meta:
        model = PlaceName
        fields = ["id", "place", "specific", "generic", "full_name", "pinyin", "pinyin_overridden", "meaning",
                  "origin", "valid_from", "valid_to", "recorded_at", "approval_reference"]


class PlaceViewSet(PlatformLayersMixin, RegionScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Places with GeoJSON geometry. ?q= searches (name, pinyin, initials); ?county=, ?kind=, ?status=."""

    queryset = Place.objects.select_related("kind", "area")
    serializer_class = PlaceSerializer
    lookup_field = "uuid"
    platform_layers = ("roads", "places")  # a platform account: the names in use, public properties

    def get_queryset(self):
        rows = super().get_queryset()
        params = self.request.query_params
        q, county, kind = typed.text(params, "q"), typed.area_code(params, "county"), typed.text(params, "kind")
        status = typed.choice(params, "status", PlaceStatus.values)
        if q:
            return search_places(q, queryset=rows, county=county, kind=kind or None,
                                 statuses=[status or PlaceStatus.IN_USE], limit=100)
        if county:
            rows = rows.filter(area__code12__startswith=county[:6])
        if kind:
            rows = rows.filter(kind__code=kind)
        if status:
            rows = rows.filter(status=status)
        return rows

    @action(detail=True)
    def history(self, request, uuid=None):
        """Every name version of the place; ?on=YYYY-MM-DD gives the name valid on that day."""
        place = self.get_object()
        names = place.names.order_by("valid_from")
        on = typed.date(request.query_params, "on")
        if on:
            names = names.on(on)
        return Response(PlaceNameSerializer(names, many=True).data)


class PlaceNameViewSet(RegionScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Name versions; ?on=YYYY-MM-DD keeps those valid that day, ?place=<uuid> one place's history."""

    queryset = PlaceName.objects.select_related("place")
    serializer_class = PlaceNameSerializer
    region_path = "place__area"

    def get_queryset(self):
        rows = super().get_queryset()
        on = typed.date(self.request.query_params, "on")
        if on:
            rows = rows.on(on)
        place = typed.uuid(self.request.query_params, "place")
        if place:
            rows = rows.filter(place_id=place)
        return rows.order_by("place_id", "valid_from")


class SearchView(APIView):
    """GET ?q=jfl&county=330302&kind=road: the best matches, as a GeoJSON FeatureCollection."""

    def get(self, request):
        params = request.query_params
        rows = search_places(typed.text(params, "q"), queryset=services.visible_places(request.user),
                             county=typed.area_code(params, "county"), kind=typed.text(params, "kind") or None,
                             limit=typed.integer(params, "limit", 20, low=1, high=100))
        return Response(PlaceSerializer(list(rows), many=True).data)


# --- applications ------------------------------------------------------------------------------------------


class FindingSerializer(serializers.ModelSerializer):
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = RuleFinding
        fields = ["id", "code", "severity", "message", "explanation", "evidence", "justification", "justified_at"]

    def get_explanation(self, finding) -> str:
        return str(EXPLANATIONS.get(finding.code, ""))


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)
    evidence = serializers.SerializerMethodField()

    def get_evidence(self, event) -> str | None:
        """Where a reader who may see the application downloads the file (never a public /media/ URL)."""
        if not event.evidence:
            return None
        return reverse("placenames:application_evidence", args=[event.application_id, event.pk])

    class Meta:
        model = ApplicationEvent
        fields = ["action", "from_state", "to_state", "actor", "at", "reason", "evidence", "version"]


class ApplicationSerializer(GeoFeatureModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reference = serializers.CharField(read_only=True)
    findings = FindingSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        geo_field = "geom"
        fields = ["id", "reference", "type", "state", "version", "kind", "place", "area", "proposed_name",
                  "specific", "generic", "pinyin", "pinyin_overridden", "meaning", "origin",
                  "location_description", "reason", "applicant", "expert_opinion", "consultation_starts_on",
                  "consultation_ends_on", "decision_reason", "approving_authority", "approval_reference",
                  "approved_on", "filing_due_on", "filed_on", "filed_with", "filing_reference",
                  "announcement_due_on", "announced_on", "announcement_reference", "findings", "events",
                  "created_at", "updated_at"]


class DraftSerializer(serializers.Serializer):
    """The input of a new draft or a draft edit; ``geom`` is GeoJSON (CGCS2000 unless ``crs`` says otherwise)."""

    type = serializers.ChoiceField(choices=ApplicationType.choices, default=ApplicationType.NAMING)
    kind = serializers.CharField(required=False, allow_blank=True)
    place = serializers.UUIDField(required=False, allow_null=True)
    geom = serializers.JSONField(required=False)
    crs = serializers.CharField(required=False, default="EPSG:4490")
    version = serializers.IntegerField(required=False)
    proposed_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    specific = serializers.CharField(required=False, allow_blank=True, max_length=80)
    generic = serializers.CharField(required=False, allow_blank=True, max_length=20)
    pinyin = serializers.CharField(required=False, allow_blank=True, max_length=200)
    meaning = serializers.CharField(required=False, allow_blank=True)
    origin = serializers.CharField(required=False, allow_blank=True)
    location_description = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    applicant = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    version = serializers.IntegerField(required=False)  # audit.preconditions.required_version
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    expert_opinion = serializers.CharField(required=False, allow_blank=True)
    consultation_days = serializers.IntegerField(required=False, min_value=1)
    approving_authority = serializers.CharField(required=False, allow_blank=True)
    approval_reference = serializers.CharField(required=False, allow_blank=True)
    filed_with = serializers.CharField(required=False, allow_blank=True)
    filing_reference = serializers.CharField(required=False, allow_blank=True)
    announcement_reference = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.FileField(required=False)


class ApplicationRoles(HasRole):
    roles = services.APPLICATION_ROLES


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise InputError(_("The request's parameters are wrong."), code="invalid_input", where={"fields": serializer.errors})
    return serializer.validated_data


class ApplicationViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Applications of the user's regions. POST creates a draft, PATCH edits a draft (send ``version``),
    POST .../transition/ takes a workflow action, POST .../justify/ justifies a warning."""

    serializer_class = ApplicationSerializer
    permission_classes = [ApplicationRoles]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        rows = services.visible_applications(self.request.user).prefetch_related("findings", "events__actor")
        params = self.request.query_params
        state, county = typed.choice(params, "state", ApplicationState.values), typed.area_code(params, "county")
        if state:
            rows = rows.filter(state=state)
        if county:
            rows = rows.in_county(county)
        return rows

    def create(self, request, *args, **kwargs):
        data = dict(_valid(DraftSerializer, request.data))
        data.pop("version", None)
        if data.get("place"):
            data["place"] = str(data["place"])
        app = services.create_application(request.user, **data)
        return Response(ApplicationSerializer(app).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        data = {k: v for k, v in _valid(DraftSerializer, request.data).items() if k in request.data}
        for key in ("type", "place"):
            data.pop(key, None)
        data.setdefault("crs", "EPSG:4490")
        data.pop("version", None)
        app = services.update_draft(request.user, self.kwargs["pk"], version=required_version(request), **data)
        return Response(ApplicationSerializer(app).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        data = dict(_valid(TransitionSerializer, request.data))
        data.pop("version", None)
        app = services.apply(request.user, pk, data.pop("action"), version=required_version(request),
                             reason=data.pop("reason", ""), evidence=data.pop("evidence", None), data=data)
        return Response(ApplicationSerializer(app).data)

    @action(detail=True, methods=["post"])
    def justify(self, request, pk=None):
        services.justify(request.user, pk, typed.integer(request.data, "finding", low=1),
                         version=required_version(request),
                         text=typed.text(request.data, "justification", max_length=2000))
        return Response(ApplicationSerializer(services.get_application(request.user, pk)).data)

    @action(detail=True, url_path="map")
    def map(self, request, pk=None):
        return Response(application_geojson(services.get_application(request.user, pk)))

    @action(detail=False)
    def overdue(self, request):
        rows = services.overdue_applications(request.user)
        return Response(ApplicationSerializer(rows, many=True).data)


router = DefaultRouter()
router.register("places", PlaceViewSet, basename="place")
router.register("names", PlaceNameViewSet, basename="placename")
router.register("applications", ApplicationViewSet, basename="application")
