"""Digital doorplates (数字门牌): every plate in its base, its number, entrance point and QR token.

A plate's base is a named road (解放街88号), a village or natural village (苍坡村12号, or 苍坡村3组12号 where the
village numbers within each villager group, 村民小组) or a residential area (翠微小区3幢2单元501室): exactly one of ``road``, ``village`` and ``residential_area`` is set (a check constraint),
and ``base_kind`` says which. Road and village plates carry a house number; a residential area's may carry only
building, unit and room.

A plate keeps its UUID for life. The standard address, its pinyin search key and the base's name are copied onto
the row (``address``, ``search_text``, ``road_name``) so that autocomplete is one trigram-indexed query and the
plates of a million-row registry never need a join to be found. ``refresh_text`` keeps the copies in step.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from audit.privacy import declare_private
from boundaries.models import STORAGE_SRID, AdminArea
from core.models import ImportBatch, InAreaQuerySet
from core.records import VersionedRecord
from gis.db.fields import stored_transform
from placenames.bases import Base, BaseKind
from placenames.roads import Road


class PlateType(models.TextChoices):
    DOOR = "door", _("door plate")  # 门牌
    BUILDING = "building", _("building plate")  # 楼牌
    UNIT = "unit", _("unit plate")  # 单元牌
    ROOM = "room", _("room plate")  # 户室牌


class PlateStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("doorplate status", "planned")
    INSTALLED = "installed", _("installed")
    DAMAGED = "damaged", _("damaged")
    RETIRED = "retired", pgettext_lazy("doorplate status", "retired")


class SubStyle(models.TextChoices):
    """How an infill number is written: 88-1号 or 88号之一."""

    DASH = "dash", _("88-1")
    ZHI = "zhi", _("88-zhi-1")


class Side(models.TextChoices):
    LEFT = "left", _("left")
    RIGHT = "right", _("right")


def new_token() -> str:
    """An unguessable public token for /d/<token> (128 random bits, URL-safe)."""
    return secrets.token_urlsafe(16)


class RoadNumbering(models.Model):
    """How a road is numbered: direction and which side takes odd numbers (左单右双 by default).

    Keyed by the road's UUID; a road without a row uses the defaults (``RoadNumbering.for_road``).
    """

    road = models.OneToOneField(Road, primary_key=True, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("road"))
    reversed = models.BooleanField(_("numbered against the drawn direction"), default=False,
                                   help_text=_("numbers start at the line's end point instead of its start"))
    odd_side = models.CharField(_("odd numbers on the"), max_length=5, choices=Side.choices, default=Side.LEFT)
    spacing_m = models.FloatField(_("metres of frontage per number"), default=4.0,
                                  help_text=_("one number is reserved per this many metres of each side"))
    infill_style = models.CharField(_("infill numbers written as"), max_length=4, choices=SubStyle.choices,
                                    default=SubStyle.ZHI)
    max_offset_m = models.FloatField(_("largest distance from the road"), default=60.0,
                                     help_text=_("entrances further from the road line are flagged"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("road numbering")
        verbose_name_plural = _("road numbering")

    def __str__(self):
        return str(self.road_id)

    @classmethod
    def for_road(cls, road: Road) -> RoadNumbering:
        found = cls.objects.filter(road=road).first()
        return found if found is not None else cls(road=road)

    def parity_of(self, side: str) -> int:
        """1 for odd, 0 for even numbers on ``side``."""
        return 1 if side == self.odd_side else 0


class DoorplateImport(ImportBatch):
    """One bulk import (a file), recorded once in the audit log; its plates point back to it."""

    area = models.ForeignKey(AdminArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("admin area"), help_text=_("the smallest area holding every plate"))
    mode = models.CharField(_("mode"), max_length=8)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("plates created"), default=0)
    rejected = models.PositiveIntegerField(_("rows rejected"), default=0)

    class Meta(ImportBatch.Meta):
        verbose_name = _("doorplate import")
        verbose_name_plural = _("doorplate imports")

    def __str__(self):
        return f"{self.file_name} ({self.created})"


# The trigram index's pending list (kB): see Doorplate.Meta.indexes and migration 0004.
PENDING_LIST_KB = 256

BASE_FIELDS = {BaseKind.ROAD: "road", BaseKind.VILLAGE: "village", BaseKind.RESIDENTIAL: "residential_area"}


class DoorplateQuerySet(InAreaQuerySet):
    def on_road(self, road):
        return self.filter(road=road)

    def in_base(self, kind: str, base):
        """The plates of a road, village or residential area."""
        return self.filter(**{BASE_FIELDS[kind]: base})

    def current(self):
        """Plates that exist or are planned (not retired)."""
        return self.exclude(status=PlateStatus.RETIRED)

    def installed(self):
        return self.filter(status=PlateStatus.INSTALLED)

    def door_plates(self):
        return self.filter(plate_type=PlateType.DOOR)

    def resolving(self, token: str):
        """The plate a public QR token points at; revoked tokens and retired plates resolve to nothing."""
        if not token:
            return self.none()
        return self.filter(token=token).exclude(status=PlateStatus.RETIRED)

    def with_number(self, number: int, sub: int = 0, annex: bool = False):
        return self.filter(number=number, sub_number=sub, annex=annex)

    def with_base_and_area(self):
        """Joined with the road, village or residential area the plate is on, and its admin area (its address)."""
        return self.select_related("road", "village", "residential_area", "area")


class Doorplate(VersionedRecord):
    """A doorplate on a named road, in a village or in a residential area: 门牌, 楼牌, 单元牌 or 户室牌."""

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No separate indexes: doorplate_road_number, doorplate_village_number and doorplate_residential_parts lead
    # with the base.
    road = models.ForeignKey(Road, null=True, blank=True, on_delete=models.PROTECT, related_name="doorplates",
                             verbose_name=_("road"), db_index=False)
    village = models.ForeignKey(Base, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("village"), db_index=False,
                                help_text=_("a village or natural village, for a plate without a road"))
    residential_area = models.ForeignKey(Base, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("residential area"), db_index=False,
                                         help_text=_("a residential area, for a plate without a road"))
    base_kind = models.GeneratedField(
        expression=Case(When(road__isnull=False, then=Value(BaseKind.ROAD.value)),
                        When(village__isnull=False, then=Value(BaseKind.VILLAGE.value)),
                        default=Value(BaseKind.RESIDENTIAL.value)),
        output_field=models.CharField(max_length=12), db_persist=True, verbose_name=_("base"),
        choices=BaseKind.choices)  # filters list the three, not the distinct values of a million rows
    villager_group = models.PositiveSmallIntegerField(
        _("villager group"), default=0,
        help_text=_("the 3 of village 3-zu 12, for a village that numbers within each villager group; 0 when none"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True,
                                         help_text=_("empty only for a residential area's building, unit or room"))
    sub_number = models.PositiveSmallIntegerField(_("infill number"), default=0,
                                                  help_text=_("the 1 of 88-1 or 88-zhi-1; 0 when none"))
    sub_style = models.CharField(_("infill style"), max_length=4, choices=SubStyle.choices, default=SubStyle.DASH)
    annex = models.BooleanField(_("annex"), default=False, help_text=_("annex 88"))
    building = models.CharField(_("building"), max_length=16, blank=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    room = models.CharField(_("room"), max_length=16, blank=True)
    plate_type = models.CharField(_("plate type"), max_length=8, choices=PlateType.choices, default=PlateType.DOOR)
    geom = models.PointField(_("entrance point"), srid=STORAGE_SRID)
    # Tiles, bounding boxes and nearest-plate search (KNN) all run on this stored, indexed Mercator copy.
    geom_3857 = stored_transform(models.PointField, 3857)
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("admin area"),
                             help_text=_("the finest admin area containing the entrance, derived"))
    status = models.CharField(_("status"), max_length=10, choices=PlateStatus.choices, default=PlateStatus.PLANNED)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    # Unique through Meta.constraints: a unique=True CharField would also get a LIKE index nobody uses.
    token = models.CharField(_("QR token"), max_length=32, null=True, blank=True, default=new_token,
                             help_text=_("the public /d/<token> code; empty once revoked"))
    # Copies kept by refresh_text (see the module docstring).
    road_name = models.CharField(_("road, village or residential area name"), max_length=100, editable=False)
    number_label = models.CharField(_("house number"), max_length=40, editable=False)
    address = models.CharField(_("standard address"), max_length=200, editable=False)
    search_text = models.CharField(_("search text"), max_length=300, editable=False)
    source = models.CharField(_("source"), max_length=64, blank=True)
    batch = models.ForeignKey(DoorplateImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("import"), db_index=False)

    objects = DoorplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("doorplate")
        verbose_name_plural = _("doorplates")
        # What doorplate_road_number serves: "road" would sort by the road's own ordering (its name), a join and a
        # sort of every plate for each page of a list.
        ordering = ["road_id", "number", "sub_number"]
        indexes = [
            models.Index(fields=["road", "number", "sub_number"], name="doorplate_road_number"),
            models.Index(fields=["village", "villager_group", "number", "sub_number"], name="doorplate_village_number",
                         condition=Q(village__isnull=False)),
            models.Index(fields=["residential_area", "building", "unit", "room"], name="doorplate_residential_parts",
                         condition=Q(residential_area__isnull=False)),
            # The crews' repair tasks (doorplates.fieldwork): the few damaged plates of a county among a million.
            models.Index(fields=["area"], name="doorplate_damaged", condition=Q(status="damaged")),
            GistIndex(fields=["geom_3857"], name="doorplate_geom_3857_gist"),
            # A short pending list (256 kB, not the server's 4 MB): every autocomplete query reads the whole list
            # of entries not yet merged into the index, which plates added one by one or by a small import fill.
            GinIndex(fields=["search_text"], name="doorplate_search_trgm", opclasses=["gin_trgm_ops"],
                     gin_pending_list_limit=PENDING_LIST_KB),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="doorplate_number_positive"),
            models.CheckConstraint(
                condition=(Q(road__isnull=False, village__isnull=True, residential_area__isnull=True)
                           | Q(road__isnull=True, village__isnull=False, residential_area__isnull=True)
                           | Q(road__isnull=True, village__isnull=True, residential_area__isnull=False)),
                name="doorplate_exactly_one_base"),
            # A residential area's building, unit or room plate may go without a house number; nothing else may.
            models.CheckConstraint(
                condition=Q(number__isnull=False) | (Q(residential_area__isnull=False) & ~Q(building="")),
                name="doorplate_numbered_or_in_a_building"),
            # A villager group (村民小组) belongs to a village: a road's or residential area's plate has none.
            models.CheckConstraint(condition=Q(villager_group=0) | Q(village__isnull=False),
                                   name="doorplate_group_in_a_village"),
            models.UniqueConstraint(fields=["token"], name="doorplate_token_unique"),
        ]

    def __str__(self):
        return self.address or f"{self.road_name}{self.number_label}"

    @property
    def parts_label(self) -> str:
        """3幢2单元501室: the building, unit and room as an address writes them."""
        from doorplates.addresses import parts_label

        return parts_label(self.building, self.unit, self.room)

    @property
    def house_number(self):
        """The 88号 of the plate; None for a residential area's plate that has only building, unit and room."""
        from doorplates.addresses import HouseNumber

        if self.number is None:
            return None
        return HouseNumber(self.number, self.sub_number, self.sub_style, self.annex)

    @property
    def group_label(self) -> str:
        """3组: the villager group of a village's plate, empty when none."""
        from doorplates.addresses import group_label

        return group_label(self.villager_group)

    @property
    def kind_of_base(self) -> str:
        """road, village or residential (``base_kind`` as stored, also before the plate is saved)."""
        if self.road_id:
            return BaseKind.ROAD
        return BaseKind.VILLAGE if self.village_id else BaseKind.RESIDENTIAL

    @property
    def base(self) -> Base:
        """The road, village or residential area the plate is numbered in."""
        return getattr(self, BASE_FIELDS[self.kind_of_base])

    @property
    def base_id(self):
        return getattr(self, BASE_FIELDS[self.kind_of_base] + "_id")

    def set_base(self, kind: str, base) -> None:
        for name in BASE_FIELDS.values():
            setattr(self, name, None)
        setattr(self, BASE_FIELDS[kind], base)
        if kind != BaseKind.VILLAGE:
            self.villager_group = 0

    def refresh_text(self, base: Base | None = None, area: AdminArea | None = None) -> None:
        """Recomputes the copied base name, number label, standard address and search text."""
        from doorplates.addresses import address_of

        base = base or self.base
        text = address_of(self, base, area or self.area)
        self.road_name = base.name
        self.number_label = text.number_label
        self.address = text.address
        self.search_text = text.search_text

    @property
    def public_url(self) -> str | None:
        if not self.token:
            return None
        return f"{settings.PUBLIC_BASE_URL}/d/{self.token}"


# The QR token prints a plate's code: for the officers and field crews who print and fit plates, not for reviewers,
# platforms or the public (the API's public_url, the plate page's QR code, the QR sheets and the history).
PRIVATE = declare_private(Doorplate, ("token",), roles=(Role.OFFICER, Role.FIELD_CREW))
