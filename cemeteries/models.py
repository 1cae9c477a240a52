"""Scattered private graves (散埋乱葬坟墓) and their remediation (青山白化治理; 殡葬管理条例 Art. 10).

A grave is a point in EPSG:4490 (optionally an outline), with stored, indexed copies in EPSG:4549 (metres: bands,
distances) and EPSG:3857 (tiles); its admin area (the finest containing it) and township are derived from the
point by cemeteries.services. Where graves may not be: corridors (roads, railways, rivers with a survey band either
side, 200 m for expressways and 100 m for national and provincial roads by default, configurable) and zones
(farmland, forest, scenic, heritage, reservoir, water-source polygons). ``GraveTag`` says which corridor bands and
zones a grave lies in and how far it is from each road (cemeteries.tagging keeps it current, in SQL).

The lifecycle (cemeteries.lifecycle): identified (排查) → checked (核实) → notified (告知书) → in remediation →
remediated (by a method) → accepted by the township (验收) → re-checked at set intervals; a rebound (反弹) reopens
it. Protected historic graves are never remediated. Every step is a ``GraveStep`` and an audit-log change.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from audit.privacy import declare_private
from boundaries.models import AdminArea
from core.models import InAreaQuerySet, Uploaded, state_change
from core.records import VersionedRecord
from gis.crs import METRIC_SRID, STORAGE_SRID, TILE_SRID
from gis.db.fields import stored_transform


class GraveForm(models.TextChoices):
    EARTH = "earth", _("earth mound grave")  # 土坟
    CEMENT = "cement", _("cement grave")  # 水泥坟
    CHAIR = "chair", _("armchair grave")  # 椅子坟: the Wenzhou horseshoe-backed tomb
    STONE = "stone", _("stone grave")  # 石坟
    URN = "urn", _("urn niche")  # 骨灰坛/寄存
    OTHER = "other", _("other")


class Exposure(models.TextChoices):
    """How much of the grave shows (local practice: A is seen from afar, C is hardly seen)."""

    A = "A", _("A: highly visible")
    B = "B", _("B: partly visible")
    C = "C", _("C: hardly visible")


class GraveState(models.TextChoices):
    IDENTIFIED = "identified", _("identified")  # 排查
    CHECKED = "checked", _("checked on site")  # 核实
    NOTIFIED = "notified", _("owner notified")  # 告知书
    IN_REMEDIATION = "in_remediation", _("in remediation")
    REMEDIATED = "remediated", _("remediated")
    ACCEPTED = "accepted", _("accepted by the township")  # 验收
    REBOUNDED = "rebounded", _("rebounded")  # 反弹: reopened after acceptance


class RemediationMethod(models.TextChoices):
    RELOCATED = "relocated", _("moved to a public cemetery")  # 迁入公墓
    DEEP_BURIAL = "deep_burial", _("deep burial without a mound")  # 深埋不留坟头
    SOIL_COVER = "soil_cover", _("covered with soil")  # 覆土
    RING_REMOVED = "ring_removed", _("grave ring removed")  # 拆除坟圈
    SCREENED = "screened", _("screened by greenery")  # 绿化遮挡


# The states in which a grave still needs work (the register's "open" list, campaign burn-downs).
OPEN_STATES = (GraveState.IDENTIFIED, GraveState.CHECKED, GraveState.NOTIFIED, GraveState.IN_REMEDIATION,
               GraveState.REMEDIATED, GraveState.REBOUNDED)
DONE_STATES = (GraveState.ACCEPTED,)
AWAITING_OWNER = (GraveState.NOTIFIED, GraveState.IN_REMEDIATION)  # the owner's notice deadline runs


def notice_late(today: dt.date) -> Q:
    """Graves whose owner has not acted by the notice's deadline."""
    return Q(state__in=AWAITING_OWNER, notice_deadline__lt=today)


def recheck_late(today: dt.date) -> Q:
    """Accepted graves whose re-check is past due."""
    return Q(state=GraveState.ACCEPTED, recheck_due_on__lt=today)


@dataclass(frozen=True)
class StepDue:
    """When a grave's next step is due: the owner's notice deadline, or its re-check once accepted."""

    on: dt.date
    recheck: bool
    days_late: int  # 0 until the day after ``on``


class CorridorKind(models.TextChoices):
    EXPRESSWAY = "expressway", _("expressway")
    NATIONAL = "national", _("national road")
    PROVINCIAL = "provincial", _("provincial road")
    RAILWAY = "railway", _("railway")
    RIVER = "river", _("river")


# Metres either side of the line that are surveyed (浙江 四边三化: 200 m of expressways, 100 m of national and
# provincial roads). Settings CEMETERIES_BAND_M overrides any of them; a corridor's own buffer_m overrides both.
DEFAULT_BAND_M = {CorridorKind.EXPRESSWAY: 200, CorridorKind.NATIONAL: 100, CorridorKind.PROVINCIAL: 100,
                  CorridorKind.RAILWAY: 200, CorridorKind.RIVER: 100}
ROAD_KINDS = (CorridorKind.EXPRESSWAY, CorridorKind.NATIONAL, CorridorKind.PROVINCIAL)


def default_band_m(kind: str) -> int:
    overrides = getattr(settings, "CEMETERIES_BAND_M", None) or {}
    return int(overrides.get(kind, DEFAULT_BAND_M.get(kind, 100)))


class ZoneKind(models.TextChoices):
    FARMLAND = "farmland", _("farmland")  # 耕地
    FOREST = "forest", _("forest land")  # 林地
    SCENIC = "scenic", _("scenic area or park")  # 风景名胜区、公园
    HERITAGE = "heritage", _("heritage protection zone")  # 文物保护区
    RESERVOIR = "reservoir", _("reservoir or dike")  # 水库及河流堤坝
    WATER_SOURCE = "water_source", _("water-source protection zone")  # 水源保护区


class PublicCemetery(models.Model):
    """A public cemetery (公墓) that takes relocated graves; its prices are approved by the price bureau."""

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    geom = models.PointField(_("location"), srid=STORAGE_SRID)
    geom_3857 = stored_transform(models.PointField, TILE_SRID)
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("admin area"))
    capacity = models.PositiveIntegerField(_("capacity (plots)"), default=0)
    free_plots = models.PositiveIntegerField(_("free plots"), default=0)
    eco_burials = models.PositiveIntegerField(_("eco-burials"), default=0,
                                              help_text=_("tree, flower, lawn and wall burials so far"))
    operator = models.CharField(pgettext_lazy("cemetery", "operator"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("public cemetery")
        verbose_name_plural = _("public cemeteries")
        ordering = ["area__code12", "name"]
        constraints = [models.CheckConstraint(condition=Q(free_plots__lte=models.F("capacity")),
                                              name="cemetery_free_plots_within_capacity")]

    def __str__(self):
        return self.name


class CemeteryPrice(models.Model):
    """An approved price of a public cemetery (公墓价格, under supervision)."""

    cemetery = models.ForeignKey(PublicCemetery, on_delete=models.CASCADE, related_name="prices",
                                 verbose_name=_("public cemetery"))
    item = models.CharField(_("item"), max_length=100, help_text=_("e.g. single plot, double plot, eco-burial"))
    price_yuan = models.DecimalField(_("price (yuan)"), max_digits=10, decimal_places=2)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_ref = models.CharField(_("approval document"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("approved price")
        verbose_name_plural = _("approved prices")
        ordering = ["cemetery", "item"]

    def __str__(self):
        return f"{self.item} {self.price_yuan}"


class NoGraveArea(models.Model):
    """Where graves may not be, named and of a kind: a corridor's band or a zone. Its geometry has stored, indexed
    copies in metres (EPSG:4549: bands, distances) and Mercator (tiles); GraveTag says which graves lie in it."""

    name = models.CharField(_("name"), max_length=100)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["kind", "name"]
        indexes = [GistIndex(fields=["geom_4549"], name="%(class)s_geom_4549_gist"),
                   GistIndex(fields=["geom_3857"], name="%(class)s_geom_3857_gist")]

    def __str__(self):
        return self.name


class Corridor(NoGraveArea):
    """A road, railway or river along which graves are surveyed, with its band either side (its buffer)."""

    kind = models.CharField(_("kind"), max_length=16, choices=CorridorKind.choices)
    road_class = models.CharField(_("class"), max_length=32, blank=True,
                                  help_text=_("route number or grade, e.g. G15, S33, first-class"))
    buffer_m = models.PositiveIntegerField(_("band width (m)"), null=True, blank=True,
                                           help_text=_("either side of the line; empty: the default of its kind"))
    geom = models.MultiLineStringField(_("line"), srid=STORAGE_SRID)
    geom_4549 = stored_transform(models.MultiLineStringField, METRIC_SRID)
    geom_3857 = stored_transform(models.MultiLineStringField, TILE_SRID)
    source = models.CharField(_("source"), max_length=64, blank=True)

    class Meta(NoGraveArea.Meta):
        verbose_name = _("corridor")
        verbose_name_plural = _("corridors")

    @property
    def band_m(self) -> int:
        return self.buffer_m if self.buffer_m is not None else default_band_m(self.kind)

    @property
    def is_road(self) -> bool:
        return self.kind in ROAD_KINDS


class CorridorBand(models.Model):
    """A corridor's survey band (its buffer) in EPSG:4490, for the map: kept by cemeteries.tagging when the line or
    its width changes (the default width is a setting, so it cannot be a generated column)."""

    corridor = models.OneToOneField(Corridor, on_delete=models.CASCADE, related_name="band")
    geom = models.MultiPolygonField(_("band"), srid=STORAGE_SRID)
    geom_3857 = stored_transform(models.MultiPolygonField, TILE_SRID)
    width_m = models.PositiveIntegerField(_("band width (m)"))

    class Meta:
        verbose_name = _("survey band")
        verbose_name_plural = _("survey bands")
        indexes = [GistIndex(fields=["geom_3857"], name="corridorband_geom_3857_gist")]

    def __str__(self):
        return f"{self.corridor} ±{self.width_m} m"


class Zone(NoGraveArea):
    """An area where graves may not be (farmland, forest, scenic, heritage, reservoir, water source)."""

    kind = models.CharField(_("kind"), max_length=16, choices=ZoneKind.choices)
    geom = models.MultiPolygonField(_("area"), srid=STORAGE_SRID)
    geom_4549 = stored_transform(models.MultiPolygonField, METRIC_SRID)
    geom_3857 = stored_transform(models.MultiPolygonField, TILE_SRID)
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("the file or survey it was imported from"))

    class Meta(NoGraveArea.Meta):
        verbose_name = _("protected zone")
        verbose_name_plural = _("protected zones")


class GraveQuerySet(InAreaQuerySet):

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def protected(self):
        return self.filter(protected=True)

    def remediable(self):
        return self.filter(protected=False)

    def in_corridor(self, corridor):
        return self.filter(tags__corridor=corridor, tags__inside=True)

    def in_zone(self, zone):
        return self.filter(tags__zone=zone, tags__inside=True)

    def late(self, today: dt.date):
        """Graves whose step is late (the campaign dashboard's "overdue steps"): a notice deadline passed, a
        re-check past due; the longest late first."""
        step_due_on = models.Case(models.When(state__in=AWAITING_OWNER, then=models.F("notice_deadline")),
                                  models.When(state=GraveState.ACCEPTED, then=models.F("recheck_due_on")))
        return (self.filter(notice_late(today) | recheck_late(today)).annotate(step_due_on=step_due_on)
                .order_by("step_due_on", "area__code12", "id"))

    def recheck_due(self, on):
        """Accepted graves whose re-check falls on or before ``on`` (the field's re-check tasks)."""
        return self.filter(state=GraveState.ACCEPTED, recheck_due_on__lte=on)

    def to_check(self):
        """Graves waiting for a check on site (核实): newly identified, or reopened by a rebound."""
        return self.filter(state__in=(GraveState.IDENTIFIED, GraveState.REBOUNDED))

    def to_accept(self):
        """Remediated graves waiting for the township's acceptance (验收)."""
        return self.filter(state=GraveState.REMEDIATED)


class Grave(VersionedRecord):
    """A scattered private grave (散埋乱葬坟墓) in the register."""

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    geom = models.PointField(_("location"), srid=STORAGE_SRID)
    geom_4549 = stored_transform(models.PointField, METRIC_SRID)
    geom_3857 = stored_transform(models.PointField, TILE_SRID)
    outline = models.PolygonField(_("outline"), srid=STORAGE_SRID, null=True, blank=True)
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("admin area"),
                             help_text=_("the finest admin area containing the grave, derived from the location"))
    township = models.ForeignKey(AdminArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("township"), help_text=_("derived from the location"))
    form = models.CharField(_("form"), max_length=16, choices=GraveForm.choices, default=GraveForm.EARTH)
    tomb_count = models.PositiveSmallIntegerField(_("number of tombs"), default=1)
    grade = models.CharField(_("exposure grade"), max_length=1, choices=Exposure.choices, default=Exposure.B)
    protected = models.BooleanField(_("protected historic grave"), default=False,
                                    help_text=_("never remediated; listed apart"))
    protected_note = models.CharField(_("protection"), max_length=200, blank=True,
                                      help_text=_("the listing that protects it"))
    owner_name = models.CharField(_("owner"), max_length=100, blank=True,
                                  help_text=_("personal data: seen only by the region's officers and the crew"))
    owner_phone = models.CharField(_("owner phone"), max_length=32, blank=True,
                                   help_text=_("personal data: seen only by the region's officers and the crew"))
    state = models.CharField(_("state"), max_length=16, choices=GraveState.choices, default=GraveState.IDENTIFIED)
    method = models.CharField(_("remediation method"), max_length=16, choices=RemediationMethod.choices,
                              blank=True)
    cemetery = models.ForeignKey(PublicCemetery, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="relocated_graves", verbose_name=_("public cemetery"),
                                 help_text=_("where a relocated grave went"))
    notice_deadline = models.DateField(_("notice deadline"), null=True, blank=True)
    identified_on = models.DateField(_("identified on"), null=True, blank=True)
    remediated_on = models.DateField(_("remediated on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    rechecked_on = models.DateField(_("last re-checked on"), null=True, blank=True)
    recheck_due_on = models.DateField(_("re-check due on"), null=True, blank=True)
    rebounds = models.PositiveSmallIntegerField(_("rebounds"), default=0)
    crew = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="assigned_graves",
                                  verbose_name=_("assigned crew"))
    # How many observer points along the corridors see the grave (cemops' corridor visibility); null: not computed.
    visibility = models.PositiveIntegerField(_("visibility from the road"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=64, blank=True,
                              help_text=_("where the record came from: a survey, a report, 'demo' for synthetic data"))

    objects = GraveQuerySet.as_manager()

    class Meta:
        verbose_name = _("grave")
        verbose_name_plural = _("graves")
        ordering = ["area__code12", "id"]
        indexes = [GistIndex(fields=["geom_4549"], name="grave_geom_4549_gist"),
                   GistIndex(fields=["geom_3857"], name="grave_geom_3857_gist"),
                   models.Index(fields=["state", "grade"], name="grave_state_grade")]
        constraints = [
            models.CheckConstraint(condition=Q(tomb_count__gte=1), name="grave_at_least_one_tomb"),
            models.CheckConstraint(condition=~Q(protected=True, state__in=("notified", "in_remediation",
                                                                            "remediated", "accepted")),
                                   name="grave_protected_never_remediated"),
        ]

    def __str__(self):
        return f"{self.get_form_display()} {str(self.uuid)[:8]}"

    @property
    def short_id(self) -> str:
        return str(self.uuid)[:8].upper()

    def step_due(self, today: dt.date) -> StepDue | None:
        """When the grave's next step is due, as of ``today``; None where no date runs."""
        if self.state in AWAITING_OWNER and self.notice_deadline:
            on, recheck = self.notice_deadline, False
        elif self.state == GraveState.ACCEPTED and self.recheck_due_on:
            on, recheck = self.recheck_due_on, True
        else:
            return None
        return StepDue(on, recheck, max(0, (today - on).days))


# Who owns a grave and how to reach them: for the region's officers, and the crew assigned to the grave
# (cemeteries.access adds the crew); never in tiles, OGC, exports, history seen by others or error messages.
PRIVATE = declare_private(Grave, ("owner_name", "owner_phone"), roles=(Role.OFFICER,))


class StepKind(models.TextChoices):
    CREATE = "create", _("registered")
    TRANSITION = "transition", _("state change")
    RECHECK = "recheck", _("re-check")
    REBOUND = "rebound", _("rebound")
    NOTE = "note", _("remark")


class GraveStep(state_change(GraveState, blank=True)):
    """One event of a grave's lifecycle: who, when, from which state to which, with remarks and photos."""

    grave = models.ForeignKey(Grave, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices, default=StepKind.TRANSITION)
    method = models.CharField(_("remediation method"), max_length=16, choices=RemediationMethod.choices,
                              blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("by"))
    remarks = models.TextField(_("remarks"), blank=True)
    client_ref = models.CharField(max_length=64, blank=True, editable=False)  # the tablet's submission id

    class Meta:
        verbose_name = _("grave step")
        verbose_name_plural = _("grave steps")
        ordering = ["grave", "at", "id"]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class PhotoRole(models.TextChoices):
    BEFORE = "before", _("before remediation")
    AFTER = "after", _("after remediation")
    ROAD = "road", _("seen from the road")


class GravePhoto(Uploaded):
    """A photo of a grave (served only by views that check the reader's rights, never from /media/)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    grave = models.ForeignKey(Grave, on_delete=models.CASCADE, related_name="photos")
    step = models.ForeignKey(GraveStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos")
    role = models.CharField(_("role"), max_length=8, choices=PhotoRole.choices)
    image = models.FileField(_("photo"), upload_to="cemeteries/photos/%Y/%m/")
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    geom = models.PointField(_("taken from"), srid=STORAGE_SRID, null=True, blank=True)
    heading = models.FloatField(_("heading (degrees)"), null=True, blank=True)

    class Meta:
        verbose_name = _("grave photo")
        verbose_name_plural = _("grave photos")
        ordering = ["grave", "uploaded_at", "id"]

    def __str__(self):
        return f"{self.get_role_display()} {self.uuid}"


class GraveTag(models.Model):
    """A grave inside a corridor's band or a zone, or near a road: with the distance in metres (0 inside a zone)."""

    grave = models.ForeignKey(Grave, on_delete=models.CASCADE, related_name="tags")
    corridor = models.ForeignKey(Corridor, null=True, blank=True, on_delete=models.CASCADE, related_name="tags")
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.CASCADE, related_name="tags")
    distance_m = models.FloatField(_("distance (m)"))
    inside = models.BooleanField(_("inside the band or zone"), default=True)

    class Meta:
        verbose_name = _("grave tag")
        verbose_name_plural = _("grave tags")
        constraints = [
            models.CheckConstraint(condition=Q(corridor__isnull=False, zone__isnull=True)
                                   | Q(corridor__isnull=True, zone__isnull=False),
                                   name="gravetag_corridor_xor_zone"),
            models.UniqueConstraint(fields=["grave", "corridor"], condition=Q(corridor__isnull=False),
                                    name="gravetag_one_per_corridor"),
            models.UniqueConstraint(fields=["grave", "zone"], condition=Q(zone__isnull=False),
                                    name="gravetag_one_per_zone"),
        ]
        indexes = [models.Index(fields=["corridor", "inside"], name="gravetag_corridor_inside")]  # zone: its FK index

    def __str__(self):
        return f"{self.grave_id} {self.corridor or self.zone} {self.distance_m:.0f} m"


from cemeteries.campaign_models import *  # noqa: E402, F403  (campaigns, reports, visibility: cemops' half of issue 17)
