"""Administrative areas (行政区划) that every other app refers to.

Codes follow GB/T 2260 (6 digits: province 2, city 2, county 2) and the statistical code (统计用区划代码) that adds
township (3) and village (3) digits. ``code12`` is the 12-digit padded form of every code, so "everything inside
this area" is a prefix match on an indexed column, which region scoping relies on.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gis.db.fields import stored_transform

STORAGE_SRID = 4490


class Level(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", pgettext_lazy("admin level", "village")


# How many leading digits of code12 identify an area of each level.
PREFIX_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}
LEVEL_RANK = {level: rank for rank, level in enumerate(PREFIX_LENGTH)}


def code12_of(code: str) -> str:
    return code.ljust(12, "0")


def prefix_of(code12: str, level: str) -> str:
    return code12[: PREFIX_LENGTH[level]]


def in_prefixes(prefixes, *codes: str) -> Q:
    """Rows whose code12 (each of ``codes``, a lookup such as ``area__code12``) starts with one of ``prefixes`` (the
    code12 prefixes of a user's regions): a prefix match on an indexed column. No prefixes: no rows."""
    query = Q(pk__in=[])
    for prefix in prefixes:
        for code in codes:
            query |= Q(**{f"{code}__startswith": prefix})
    return query


class AdminAreaQuerySet(models.QuerySet):
    def containing(self, point):
        """The areas whose polygon contains ``point`` (any SRID; PostGIS transforms it), finest level last."""
        return self.filter(geom__contains=point).order_by("code12")

    def children_of(self, area: AdminArea):
        return self.filter(parent=area)

    def within(self, area: AdminArea):
        """``area`` and every area below it, by code prefix."""
        return self.filter(code12__startswith=area.prefix)

    def descendants_of(self, area: AdminArea):
        return self.within(area).exclude(pk=area.pk)

    def at_level(self, level: str):
        return self.filter(level=level)

    def within_prefixes(self, prefixes):
        return self.filter(in_prefixes(prefixes, "code12")) if prefixes else self.none()

    def finest_containing(self, point):
        return self.containing(point).order_by("-code12").first()


class AdminArea(models.Model):
    """A province, city, county (区县), township (乡镇街道) or village/community (村/社区)."""

    code = models.CharField(_("code"), max_length=12, unique=True,
                            help_text=_("GB/T 2260 six-digit code, or the 9/12-digit statistical code"))
    code12 = models.CharField(_("12-digit code"), max_length=12, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    geom = models.MultiPolygonField(_("boundary"), srid=STORAGE_SRID, null=True, blank=True)
    # Stored for vector tiles: ST_AsMVT works in 3857 and an index on the transformed column keeps `&&` cheap.
    geom_3857 = stored_transform(models.MultiPolygonField, 3857, null=True)
    # 城乡分类代码 of the statistical code list (111 main urban area ... 220 village); 1xx is urban.
    urban_rural_code = models.CharField(_("urban-rural classification"), max_length=3, blank=True)
    elderly_population = models.PositiveIntegerField(_("population aged 60+"), null=True, blank=True)
    service_point = models.PointField(_("service point"), srid=STORAGE_SRID, null=True, blank=True,
                                      help_text=_("where the village or community committee serves residents"))
    source = models.CharField(_("source"), max_length=64, blank=True,
                              help_text=_("where the record came from: an import file, 'demo' for synthetic data"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AdminAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")
        ordering = ["code12"]
        indexes = [
            models.Index(fields=["level", "code12"]),
            GistIndex(fields=["geom_3857"], name="adminarea_geom_3857_gist"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.code12 = code12_of(self.code)
        super().save(*args, **kwargs)

    @property
    def prefix(self) -> str:
        return prefix_of(self.code12, self.level)

    @property
    def is_urban(self) -> bool:
        return self.urban_rural_code.startswith("1")

    def ancestors(self) -> list[AdminArea]:
        chain, area = [], self.parent
        while area is not None:
            chain.append(area)
            area = area.parent
        return list(reversed(chain))

    def full_name(self) -> str:
        """浙江省温州市鹿城区五马街道: the names from the province down, as addresses write them."""
        return "".join(a.name for a in [*self.ancestors(), self])

    def ancestor_at(self, level: str) -> AdminArea | None:
        for area in [*self.ancestors(), self]:
            if area.level == level:
                return area
        return None


# Boundary lines, markers and joint inspections live in their own modules; importing them here registers them.
from boundaries.inspection_models import (  # noqa: E402, F401
    CampaignMember,
    InspectionCampaign,
    JointReport,
    MarkerRecord,
    RecordPhoto,
    SegmentFinding,
)
from boundaries.line_models import (  # noqa: E402, F401
    BoundaryLine,
    BoundaryMarker,
    Dispute,
    LineVersion,
    MarkerClass,
    MarkerPhoto,
    ReferenceFeature,
)
from boundaries.topology_models import TopologyProblem  # noqa: E402, F401
