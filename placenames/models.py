"""Standard place names (标准地名): places with a stable identity and their names over time.

A ``Place`` keeps its UUID for its whole life; renaming adds a ``PlaceName`` version and closes the previous one,
so "what was this road called on 2015-06-01" is one query (``PlaceName.objects.on(date)``). The current name is
copied onto the place for search, tiles, doorplates and exports.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Transform
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from boundaries.models import STORAGE_SRID, AdminArea


class GeometryKind(models.TextChoices):
    LINE = "line", _("line")
    POLYGON = "polygon", _("polygon")
    POINT = "point", _("point")


class PlaceKind(models.Model):
    """A kind of place and the generic terms (通名) it may carry; the bureau edits this table."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    geometry_kinds = models.CharField(_("geometry kinds"), max_length=32, default="point",
                                      help_text=_("comma-separated: line, polygon, point"))
    generic_terms = models.TextField(_("allowed generic terms"), blank=True,
                                     help_text=_("one per line or separated by commas, e.g. 路, 街, 大道"))
    # Street (街路巷) names and important residential-area and building names must be unique within the built-up
    # area (地名管理条例 art. 9); we use the county as that area.
    unique_in_county = models.BooleanField(_("unique within the county"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("place kind")
        verbose_name_plural = _("place kinds")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def allowed_generics(self) -> list[str]:
        raw = self.generic_terms.replace("，", ",").replace("\n", ",")
        return [g.strip() for g in raw.split(",") if g.strip()]


class PlaceStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")  # exists only inside an application
    IN_USE = "in_use", _("in use")
    RETIRED = "retired", _("retired")  # cancelled (销名)


class PlaceQuerySet(models.QuerySet):
    def in_use(self):
        return self.filter(status=PlaceStatus.IN_USE)

    def roads(self):
        return self.filter(kind__code__in=ROAD_KINDS)

    def in_area(self, area: AdminArea):
        return self.filter(area__code12__startswith=area.prefix)

    def named(self, name: str):
        return self.filter(name=name)

    def homophones_of(self, key: str, area: AdminArea):
        """Places in ``area`` whose toneless pinyin equals ``key`` (see placenames.pinyin.pinyin_key)."""
        return self.in_area(area).filter(pinyin_key=key)


ROAD_KINDS = ("road", "street", "lane", "avenue")


class Place(models.Model):
    """A named place: road, street, lane, avenue, bridge, residential area, building, village, natural feature."""

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.ForeignKey(PlaceKind, on_delete=models.PROTECT, related_name="places", verbose_name=_("kind"))
    geom = models.GeometryField(_("geometry"), srid=STORAGE_SRID)
    geom_3857 = models.GeneratedField(expression=Transform("geom", 3857),
                                      output_field=models.GeometryField(srid=3857), db_persist=True)
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("admin area"),
                             help_text=_("the finest admin area containing the place, derived from the geometry"))
    status = models.CharField(_("status"), max_length=16, choices=PlaceStatus.choices, default=PlaceStatus.IN_USE)
    # The current name, copied from the open PlaceName version.
    name = models.CharField(_("standard name"), max_length=100, db_index=True)
    pinyin = models.CharField(_("romanization"), max_length=200, blank=True)
    pinyin_key = models.CharField(_("toneless pinyin"), max_length=200, blank=True, db_index=True)
    initials = models.CharField(_("pinyin initials"), max_length=50, blank=True, db_index=True)
    location_description = models.TextField(_("location description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        indexes = [
            GistIndex(fields=["geom_3857"], name="place_geom_3857_gist"),
            GinIndex(fields=["name"], name="place_name_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["pinyin_key"], name="place_pinyin_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_road(self) -> bool:
        return self.kind.code in ROAD_KINDS

    def name_on(self, date: dt.date) -> PlaceName | None:
        return self.names.on(date).first()


class PlaceNameQuerySet(models.QuerySet):
    def on(self, date: dt.date):
        """The name versions valid on ``date``."""
        return self.filter(valid_from__lte=date).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=date))

    def current(self):
        return self.filter(valid_to__isnull=True)


class PlaceName(models.Model):
    """One name of a place for a period: 专名 + 通名, romanization, meaning and origin (含义/来历)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names", verbose_name=_("place"))
    specific = models.CharField(_("specific term"), max_length=80)
    generic = models.CharField(_("generic term"), max_length=20, blank=True)
    full_name = models.CharField(_("full name"), max_length=100)
    pinyin = models.CharField(_("romanization"), max_length=200, blank=True)
    pinyin_overridden = models.BooleanField(_("romanization set by an officer"), default=False)
    meaning = models.TextField(_("meaning"), blank=True)
    origin = models.TextField(_("origin"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    approval_reference = models.CharField(_("approval reference"), max_length=100, blank=True)

    objects = PlaceNameQuerySet.as_manager()

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        ordering = ["place", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["place"], condition=Q(valid_to__isnull=True), name="one_current_name"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                                   name="name_period_is_positive"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.valid_from} – {self.valid_to or ''})"
