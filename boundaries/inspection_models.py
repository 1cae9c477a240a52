"""Joint inspections (界线联检): a campaign per line and year, a record per marker, findings per stretch, the joint
report, and the two sides' signatures on each record and on the report.

A record or report one side has signed is locked: a change makes a new version (the old one kept, superseded) that
both sides sign again. A signature names the side it is given for; who may give it is decided by
borders.access.

Imported by boundaries.models, so Django registers these models in the boundaries app.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from boundaries.line_models import BoundaryLine, BoundaryMarker, MarkerState, MarkerType, Side, Versioned
from boundaries.models import STORAGE_SRID
from core.models import Uploaded
from gis.db.fields import stored_transform


class CampaignKind(models.TextChoices):
    REGULAR = "regular", _("five-yearly")
    AD_HOC = "ad_hoc", _("ad hoc (disaster, major works)")


class CampaignState(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    REPORTED = "reported", _("report signed")
    FILED = "filed", _("filed with the approving authority")


class InspectionCampaign(Versioned):
    """One joint inspection of a line (联检): the plan (实施方案), the people of each side, its state."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    line = models.ForeignKey(BoundaryLine, on_delete=models.PROTECT, related_name="campaigns",
                             verbose_name=_("boundary line"))
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=CampaignKind.choices, default=CampaignKind.REGULAR)
    plan = models.TextField(_("plan"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=CampaignState.choices, default=CampaignState.PLANNED)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filing_reference = models.CharField(_("filing reference"), max_length=100, blank=True)
    filing_authority = models.CharField(_("approving authority"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("joint inspection")
        verbose_name_plural = _("joint inspections")
        ordering = ["-year", "line"]
        constraints = [models.UniqueConstraint(fields=["line", "year"], condition=Q(kind="regular"),
                                               name="campaign_one_regular_per_line_year")]

    def __str__(self):
        return f"{self.line} {self.year}"

    @property
    def area(self):
        return self.line.side_a


class CampaignMember(models.Model):
    """A person of one side on the campaign (组长, 测量员 ...)."""

    campaign = models.ForeignKey(InspectionCampaign, on_delete=models.CASCADE, related_name="members")
    side = models.CharField(_("side"), max_length=1, choices=Side.choices)
    name = models.CharField(_("name"), max_length=64)
    role = models.CharField(pgettext_lazy("team member", "role"), max_length=64, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        verbose_name = _("campaign member")
        verbose_name_plural = _("campaign members")
        ordering = ["campaign", "side", "id"]

    def __str__(self):
        return self.name


# What an inspection finds of a marker: one of the register's states, which applying the record writes onto the
# marker, or a marker new to the register.
FoundState = models.TextChoices("FoundState", [*((state.name, (state.value, state.label)) for state in MarkerState),
                                               ("NEW", ("new", _("new marker")))])


class SurveyMethod(models.TextChoices):
    GNSS = "gnss", _("GNSS (RTK)")
    TRAVERSE = "traverse", _("traverse")
    INTERSECTION = "intersection", _("intersection")
    HANDHELD = "handheld", _("handheld GNSS (averaged)")
    TYPED = "typed", _("typed in, not surveyed")
    NONE = "none", _("not measured")


# The methods of a marker survey (GNSS where the point error may be up to 1 m, otherwise traverse or intersection).
# A handheld GNSS average (a tablet's 1-3 m) or coordinates typed in from no stated survey locate a marker but do not
# survey it: they never become a register position, and a displacement is judged against their accuracy.
SURVEYED = (SurveyMethod.GNSS, SurveyMethod.TRAVERSE, SurveyMethod.INTERSECTION)


class MarkerAction(models.TextChoices):
    NONE = "none", _("none")
    REPAINT = "repaint", _("repaint the inscription")
    REPAIR = "repair", _("repair by the responsible side with the other present")
    REPLACE = "replace", _("replace")
    RESURVEY = "resurvey", _("re-survey")


class Recorded(models.Model):
    """Who recorded a finding of the campaign and when (the account may go, the record stays)."""

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True


class SignedQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class Signed(Versioned):
    """What both sides sign: a version number, the two signatures, and the version that replaced it."""

    signed_a_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("signed for side A by"))
    signed_a_at = models.DateTimeField(_("signed for side A at"), null=True, blank=True)
    signed_b_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("signed for side B by"))
    signed_b_at = models.DateTimeField(_("signed for side B at"), null=True, blank=True)
    is_current = models.BooleanField(_("current version"), default=True)
    superseded_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="supersedes")

    objects = SignedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_locked(self) -> bool:
        """Signed by at least one side, or replaced: no change in place any more."""
        return bool(self.signed_a_at or self.signed_b_at or not self.is_current)

    @property
    def is_signed_by_both(self) -> bool:
        return bool(self.signed_a_at and self.signed_b_at)

    def signed_by(self, side: str):
        return self.signed_a_by if side == Side.A else self.signed_b_by

    def signed_at(self, side: str):
        return self.signed_a_at if side == Side.A else self.signed_b_at


class MarkerRecord(Signed, Recorded):
    """The record of one marker in a campaign (联检记录): what was found, measured and done."""

    uuid = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)  # shared by a record's versions
    campaign = models.ForeignKey(InspectionCampaign, on_delete=models.PROTECT, related_name="records")
    marker = models.ForeignKey(BoundaryMarker, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="records", verbose_name=_("marker"))
    # A new marker (state "new") has no register entry until both sides signed: its proposed number is here.
    new_sequence = models.PositiveIntegerField(_("proposed sequence"), null=True, blank=True)
    new_type_code = models.CharField(_("proposed type"), max_length=1, choices=MarkerType.choices, blank=True)
    state = models.CharField(_("state found"), max_length=16, choices=FoundState.choices)
    measured = models.PointField(_("re-measured position"), srid=STORAGE_SRID, null=True, blank=True)
    measured_elevation_m = models.DecimalField(_("re-measured elevation (m)"), max_digits=8, decimal_places=2,
                                               null=True, blank=True)
    method = models.CharField(_("method"), max_length=16, choices=SurveyMethod.choices, default=SurveyMethod.NONE)
    accuracy_m = models.DecimalField(_("accuracy (m)"), max_digits=6, decimal_places=3, null=True, blank=True)
    displacement_m = models.DecimalField(_("displacement (m)"), max_digits=10, decimal_places=3, null=True,
                                         blank=True)
    tolerance_m = models.DecimalField(_("tolerance (m)"), max_digits=6, decimal_places=2, null=True, blank=True)
    beyond_tolerance = models.BooleanField(_("beyond tolerance"), default=False)
    reference_changes = models.TextField(_("changes to reference features"), blank=True)
    action = models.CharField(pgettext_lazy("inspection action", "action"), max_length=16, choices=MarkerAction.choices, default=MarkerAction.NONE)
    note = models.TextField(_("note"), blank=True)
    applied_at = models.DateTimeField(_("applied to the register at"), null=True, blank=True)

    class Meta:
        verbose_name = _("marker record")
        verbose_name_plural = _("marker records")
        ordering = ["campaign", "marker__sequence", "new_sequence", "version"]
        constraints = [
            models.UniqueConstraint(fields=["uuid", "version"], name="markerrecord_unique_version"),
            models.UniqueConstraint(fields=["campaign", "marker"], condition=Q(is_current=True),
                                    name="markerrecord_one_current_per_marker"),
            models.CheckConstraint(condition=Q(marker__isnull=False) | Q(state="new"),
                                   name="markerrecord_marker_unless_new"),
        ]

    def __str__(self):
        return f"{self.number} v{self.version}"

    @property
    def number(self) -> str:
        if self.marker_id:
            return self.marker.number
        return f"{self.campaign.line.line_code}{(self.new_sequence or 0):03d}{self.new_type_code or 'Q'}"

    @property
    def area(self):
        return self.campaign.line.side_a


class RecordPhoto(Uploaded):
    record = models.ForeignKey(MarkerRecord, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="boundaries/inspections/")
    # The content's digest: the same photo sent again (a tablet retrying after a lost answer) is the same photo.
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("record photo")
        verbose_name_plural = _("record photos")
        constraints = [models.UniqueConstraint(fields=["record", "sha256"], condition=~models.Q(sha256=""),
                                               name="record_photo_once")]


class FindingKind(models.TextChoices):
    TERRAIN = "terrain", _("changed terrain")
    CONSTRUCTION = "construction", _("construction across the line")
    UNCLEAR = "unclear", _("unclear stretch")
    ONE_SIDED = "one_sided", _("marker set by one side alone")


class SegmentFinding(Recorded):
    """A finding on a stretch of the line between two markers."""

    campaign = models.ForeignKey(InspectionCampaign, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    from_marker = models.ForeignKey(BoundaryMarker, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("from marker"))
    to_marker = models.ForeignKey(BoundaryMarker, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("to marker"))
    geom = models.GeometryField(_("where"), srid=STORAGE_SRID, null=True, blank=True)
    geom_3857 = stored_transform(models.GeometryField, 3857, null=True)
    description = models.TextField(_("description"))
    action = models.TextField(pgettext_lazy("inspection action", "action"), blank=True)

    class Meta:
        verbose_name = _("segment finding")
        verbose_name_plural = _("segment findings")
        ordering = ["campaign", "id"]

    def __str__(self):
        return self.get_kind_display()

    @property
    def area(self):
        return self.campaign.line.side_a


class JointReport(Signed):
    """The joint inspection report both sides sign (联检报告)."""

    campaign = models.ForeignKey(InspectionCampaign, on_delete=models.PROTECT, related_name="reports")
    summary = models.TextField(_("summary"))
    conclusions = models.TextField(_("conclusions"), blank=True)

    class Meta:
        verbose_name = _("joint report")
        verbose_name_plural = _("joint reports")
        ordering = ["campaign", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "version"], name="jointreport_unique_version"),
            models.UniqueConstraint(fields=["campaign"], condition=Q(is_current=True),
                                    name="jointreport_one_current"),
        ]

    def __str__(self):
        return f"{self.campaign} v{self.version}"

    @property
    def area(self):
        return self.campaign.line.side_a
