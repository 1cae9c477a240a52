"""Elderly canteens (老年食堂) and meal points (助餐点): where the meals are, for meal-service coverage.

A canteen is a point in EPSG:4490 with a stored, indexed copy in EPSG:4549 (CGCS2000 3-degree Gauss-Kruger CM
120E, metres) for the coverage query, and one in EPSG:3857 for tiles. Only canteens with status ``open`` count
for coverage (see canteens.coverage); ``planned`` ones are where the next canteens go, ``suspended`` and
``closed`` ones serve nobody today. Changes go through canteens.services, which records them in the audit log;
the audit log is the canteen's history.
"""

from __future__ import annotations

import uuid

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from audit.privacy import declare_private
from boundaries.models import AdminArea
from core.models import InAreaQuerySet
from core.records import VersionedRecord
from gis.crs import METRIC_SRID, STORAGE_SRID, TILE_SRID
from gis.db.fields import stored_transform


class CanteenKind(models.TextChoices):
    CANTEEN = "canteen", _("elderly canteen")  # 老年食堂: cooks and serves on site
    MEAL_POINT = "meal_point", _("meal point")  # 助餐点: serves meals cooked elsewhere
    CENTRAL_KITCHEN = "central_kitchen", _("central kitchen / delivery centre")  # 中央厨房/配送中心


class CanteenStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("canteen status", "planned")
    OPEN = "open", _("open")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")


# Which status may follow which. A closed canteen stays closed: a reopening is a new canteen with its own history.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CanteenStatus.PLANNED: (CanteenStatus.OPEN, CanteenStatus.CLOSED),
    CanteenStatus.OPEN: (CanteenStatus.SUSPENDED, CanteenStatus.CLOSED),
    CanteenStatus.SUSPENDED: (CanteenStatus.OPEN, CanteenStatus.CLOSED),
    CanteenStatus.CLOSED: (),
}
# The statuses published to the public (map layer, Amap and Baidu exports).
PUBLISHED_STATUSES = (CanteenStatus.OPEN, CanteenStatus.SUSPENDED)


class CanteenQuerySet(InAreaQuerySet):
    def open(self):
        """The canteens that count for coverage."""
        return self.filter(status=CanteenStatus.OPEN)

    def published(self):
        return self.filter(status__in=PUBLISHED_STATUSES)

    def delivering(self):
        return self.filter(delivers=True, delivery_radius_m__gt=0)


# The largest seats or meals a sitting and delivery radius a canteen is taken to have (a form or an API beyond them
# is refused: a typing slip, not a canteen).
MAX_COUNT = 10_000
MAX_RADIUS_M = 50_000


class Canteen(VersionedRecord):
    """An elderly canteen, meal point or central kitchen (老年食堂 / 助餐点 / 中央厨房)."""

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=CanteenKind.choices, default=CanteenKind.CANTEEN)
    geom = models.PointField(_("location"), srid=STORAGE_SRID)
    geom_4549 = stored_transform(models.PointField, METRIC_SRID)
    geom_3857 = stored_transform(models.PointField, TILE_SRID)
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("admin area"),
                             help_text=_("the finest admin area containing the canteen, derived from the location"))
    # The address: the standard address of the linked doorplate, kept equal to it by a trigger (migration 0003)
    # when the plate's address changes (a road renamed, a plate renumbered); free text when no plate is linked.
    address = models.CharField(_("address"), max_length=200, blank=True)
    doorplate = models.ForeignKey("doorplates.Doorplate", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("doorplate"),
                                  help_text=_("the registered doorplate at the canteen's entrance; the address "
                                              "follows it"))
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    operator_phone = models.CharField(_("operator contact phone"), max_length=32, blank=True,
                                      help_text=_("personal data: never published"))
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    meals_per_sitting = models.PositiveIntegerField(_("meals per sitting"), null=True, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True,
                                     help_text=_("e.g. Mon-Sat 11:00-12:30, 17:00-18:00"))
    delivers = models.BooleanField(_("delivers meals"), default=False)
    delivery_radius_m = models.PositiveIntegerField(_("delivery radius (m)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CanteenStatus.choices,
                              default=CanteenStatus.PLANNED)
    opened_on = models.DateField(_("opening date"), null=True, blank=True)
    star_rating = models.PositiveSmallIntegerField(_("star rating"), null=True, blank=True,
                                                   validators=[MinValueValidator(1), MaxValueValidator(5)])
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=64, blank=True,
                              help_text=_("where the record came from: an import file, 'demo' for synthetic data"))

    objects = CanteenQuerySet.as_manager()

    class Meta:
        verbose_name = _("elderly canteen")
        verbose_name_plural = _("elderly canteens")
        ordering = ["area__code12", "name"]
        indexes = [
            # Coverage asks only about open canteens: a partial index is smaller and the planner cannot prefer
            # a status index over it (canteens.sql).
            GistIndex(fields=["geom_4549"], name="canteen_open_geom_4549_gist",
                      condition=models.Q(status=CanteenStatus.OPEN)),
            GistIndex(fields=["geom_3857"], name="canteen_geom_3857_gist"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(star_rating__isnull=True)
                                   | models.Q(star_rating__gte=1, star_rating__lte=5),
                                   name="canteen_star_rating_1_to_5"),
        ]

    def __str__(self):
        return self.name

    @property
    def counts_for_coverage(self) -> bool:
        return self.status == CanteenStatus.OPEN

    @property
    def effective_delivery_radius_m(self) -> int:
        return (self.delivery_radius_m or 0) if self.delivers else 0

    def may_become(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, ())


# Who runs a canteen and how to reach them: for the officers and reviewers who look after it, not for field crews,
# platforms or the public (its API, pages, history and map layer all read this).
PRIVATE = declare_private(Canteen, ("operator", "operator_phone"), roles=(Role.OFFICER, Role.REVIEWER))
