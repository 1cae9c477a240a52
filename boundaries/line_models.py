"""Boundary lines (行政区域界线), their agreed versions, boundary markers (界桩) and the 平安边界 register.

A line runs between two areas of the same level, its two sides. Side A is the one with the smaller code (GB/T
17796 gives the A marker of a double pair to the smaller province code). A line's geometry is the current agreed
line; an agreed change keeps the old geometry and agreement as a ``LineVersion`` with its validity dates.

Imported by boundaries.models, so Django registers these models in the boundaries app.
"""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from boundaries.models import STORAGE_SRID, AdminArea, Level, in_prefixes
from gis.db.fields import stored_transform


class Side(models.TextChoices):
    A = "a", _("side A")
    B = "b", _("side B")


def other_side(side: str) -> str:
    return Side.B if side == Side.A else Side.A


class LineSource(models.TextChoices):
    DERIVED = "derived", _("shared edge of the two areas")
    IMPORTED = "imported", _("imported agreed line")
    DEMO = "demo", _("synthetic demo")


class Versioned(models.Model):
    """A register entry edited under optimistic locking: the version an editor read and sends back (a stale one is
    refused, not overwritten) and the time of the last change. Unlike core.records.VersionedRecord's, the version is
    a field of the forms and the admin, with its label, and no creation time is kept."""

    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class BoundaryLineQuerySet(models.QuerySet):
    def between(self, a: AdminArea, b: AdminArea):
        first, second = sorted((a, b), key=lambda area: area.code12)
        return self.filter(side_a=first, side_b=second)

    def touching_prefixes(self, prefixes):
        """Lines one of whose sides lies within one of ``prefixes`` (code12 prefixes of a user's regions)."""
        return self.filter(in_prefixes(prefixes, "side_a__code12", "side_b__code12"))


class BoundaryLine(Versioned):
    """A boundary line between two areas of the same level (温台线 between 温州市 and 台州市)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=[c for c in Level.choices if c[0] != Level.VILLAGE])
    side_a = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("side A"))
    side_b = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("side B"))
    line_code = models.CharField(_("line code"), max_length=16,
                                 help_text=_("the code marker numbers start with, e.g. 3335 for Zhejiang-Fujian"))
    agreement_number = models.CharField(_("agreement number"), max_length=64, blank=True)
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)
    agreement_map = models.FileField(_("agreement map"), upload_to="boundaries/agreements/", blank=True)
    course_description = models.TextField(_("description of the course of the line"), blank=True)
    department_a = models.CharField(_("responsible department of side A"), max_length=100, blank=True)
    department_b = models.CharField(_("responsible department of side B"), max_length=100, blank=True)
    inspection_interval_years = models.PositiveSmallIntegerField(_("inspection interval (years)"), default=5)
    geom = models.MultiLineStringField(_("line"), srid=STORAGE_SRID)
    geom_3857 = stored_transform(models.MultiLineStringField, 3857)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=LineSource.choices, default=LineSource.DERIVED)

    objects = BoundaryLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("boundary line")
        verbose_name_plural = _("boundary lines")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["side_a", "side_b"], name="boundaryline_unique_sides"),
            models.CheckConstraint(condition=~Q(side_a=models.F("side_b")), name="boundaryline_two_sides"),
        ]
        indexes = [GistIndex(fields=["geom_3857"], name="boundaryline_geom_3857_gist")]  # geom: its spatial_index

    def __str__(self):
        return self.name

    @property
    def area(self) -> AdminArea:
        """The area the audit log files the line under: side A (the other side finds it through the line)."""
        return self.side_a

    def side_area(self, side: str) -> AdminArea:
        return self.side_a if side == Side.A else self.side_b

    def department(self, side: str) -> str:
        return self.department_a if side == Side.A else self.department_b


class LineVersion(models.Model):
    """A superseded agreed version of a line: its geometry and agreement, valid from .. to."""

    line = models.ForeignKey(BoundaryLine, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    geom = models.MultiLineStringField(_("line"), srid=STORAGE_SRID)
    agreement_number = models.CharField(_("agreement number"), max_length=64, blank=True)
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)
    course_description = models.TextField(_("description of the course of the line"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("line version")
        verbose_name_plural = _("line versions")
        ordering = ["line", "-number"]
        constraints = [models.UniqueConstraint(fields=["line", "number"], name="lineversion_unique_number")]

    def __str__(self):
        return f"{self.line} v{self.number}"


class MarkerType(models.TextChoices):
    """GB/T 17796 type codes: Q a single marker; A/B a same-number pair; C/D/E a same-number triple."""

    SINGLE = "Q", _("single (Q)")
    PAIR_A = "A", _("pair, side A (A)")
    PAIR_B = "B", _("pair, side B (B)")
    TRIPLE_C = "C", _("triple (C)")
    TRIPLE_D = "D", _("triple (D)")
    TRIPLE_E = "E", _("triple (E)")


class MarkerState(models.TextChoices):
    INTACT = "intact", _("intact")
    DAMAGED = "damaged", _("damaged")
    LOST = "lost", _("lost")
    DISPLACED = "displaced", _("displaced")


class MarkerClass(models.Model):
    """A class of markers with the displacement a re-survey tolerates before the marker is flagged."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=64)
    tolerance_m = models.DecimalField(_("displacement tolerance (m)"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("marker class")
        verbose_name_plural = _("marker classes")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @classmethod
    def standard(cls) -> MarkerClass:
        """The class a marker gets when none is named (seeded by the migration; made again after a test flush)."""
        return cls.objects.get_or_create(code="standard", defaults={"name": str(_("standard marker")),
                                                                    "tolerance_m": Decimal("1.00")})[0]


def new_qr_token() -> str:
    return secrets.token_urlsafe(12)


class BoundaryMarkerQuerySet(models.QuerySet):
    def on_line(self, line: BoundaryLine):
        return self.filter(line=line).order_by("sequence", "type_code")


class BoundaryMarker(Versioned):
    """A boundary marker (界桩) as registered in the 界桩成果表: number, CGCS2000 position and elevation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    line = models.ForeignKey(BoundaryLine, on_delete=models.PROTECT, related_name="markers",
                             verbose_name=_("boundary line"))
    sequence = models.PositiveIntegerField(_("sequence"))
    type_code = models.CharField(_("type"), max_length=1, choices=MarkerType.choices, default=MarkerType.SINGLE)
    marker_class = models.ForeignKey(MarkerClass, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("marker class"))
    geom = models.PointField(_("registered position"), srid=STORAGE_SRID)
    geom_3857 = stored_transform(models.PointField, 3857)
    elevation_m = models.DecimalField(_("elevation (m)"), max_digits=8, decimal_places=2, null=True, blank=True)
    material = models.CharField(_("material"), max_length=32, blank=True)
    form = models.CharField(_("form"), max_length=32, blank=True)
    maintained_by = models.CharField(_("maintaining side"), max_length=1, choices=Side.choices, default=Side.A)
    state = models.CharField(_("state"), max_length=16, choices=MarkerState.choices, default=MarkerState.INTACT)
    set_on = models.DateField(_("set on"), null=True, blank=True)
    qr_token = models.CharField(max_length=32, unique=True, default=new_qr_token, editable=False)
    note = models.TextField(_("note"), blank=True)

    objects = BoundaryMarkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("boundary marker")
        verbose_name_plural = _("boundary markers")
        ordering = ["line", "sequence", "type_code"]
        constraints = [models.UniqueConstraint(fields=["line", "sequence", "type_code"],
                                               name="boundarymarker_unique_number")]
        indexes = [GistIndex(fields=["geom_3857"], name="boundarymarker_geom_3857_gist")]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        """The GB/T 17796 number: line code, three-digit sequence, type code (3335001Q)."""
        return f"{self.line.line_code}{self.sequence:03d}{self.type_code}"

    @property
    def area(self) -> AdminArea:
        return self.line.side_area(self.maintained_by)


class ReferenceFeature(models.Model):
    """A reference feature (方位物) of a marker: a permanent, conspicuous object with bearing and distance."""

    marker = models.ForeignKey(BoundaryMarker, on_delete=models.CASCADE, related_name="references")
    name = models.CharField(_("name"), max_length=100)
    bearing_deg = models.DecimalField(_("bearing (degrees)"), max_digits=6, decimal_places=2)
    distance_m = models.DecimalField(_("distance (m)"), max_digits=8, decimal_places=2)
    point_described = models.CharField(_("exact point on the object"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("reference feature")
        verbose_name_plural = _("reference features")
        ordering = ["marker", "id"]

    def __str__(self):
        return self.name


class MarkerPhoto(models.Model):
    marker = models.ForeignKey(BoundaryMarker, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="boundaries/markers/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("marker photo")
        verbose_name_plural = _("marker photos")


class DisputeState(models.TextChoices):
    OPEN = "open", pgettext_lazy("dispute state", "open")
    MEDIATING = "mediating", _("in mediation")
    SETTLED = "settled", _("settled")


class Dispute(models.Model):
    """A boundary dispute or incident of the 平安边界 register: where, what, the mediation and its outcome."""

    line = models.ForeignKey(BoundaryLine, on_delete=models.PROTECT, related_name="disputes",
                             verbose_name=_("boundary line"))
    title = models.CharField(_("title"), max_length=200)
    geom = models.PointField(_("where"), srid=STORAGE_SRID, null=True, blank=True)
    what = models.TextField(_("what happened"))
    reported_on = models.DateField(_("reported on"))
    mediation = models.TextField(_("mediation steps"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=DisputeState.choices, default=DisputeState.OPEN)

    class Meta:
        verbose_name = _("boundary dispute")
        verbose_name_plural = _("boundary disputes")
        ordering = ["-reported_on"]

    def __str__(self):
        return self.title

    @property
    def area(self) -> AdminArea:
        return self.line.side_a
