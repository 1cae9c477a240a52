"""The operations side of grave remediation (issue 17): the DEM, what the road sees, campaigns and reports.

- ``ElevationModel``: a DEM registered by `manage.py load_dem` (the newest is used; cemeteries.terrain).
- ``GraveSight``: how many observers along one corridor see a grave; ``CorridorSight`` says when and on what the
  corridor's counts were computed (a background job, cemeteries.jobs). ``Grave.visibility`` holds the largest count
  over the corridors, which ranks the work order with the grade.
- ``Campaign`` (整治行动): a corridor, a band either side, the graves in it, a target and a deadline.
- ``WeeklyReport``: the city's weekly report, made by the worker each week (cemeteries.jobs) and kept.
- ``GraveReport``: a new grave or a rebound (反弹) reported by a crew (API) or a citizen (the public page), triaged
  by an officer into the register.
"""

from __future__ import annotations

__all__ = ["Campaign", "CorridorSight", "ElevationModel", "GraveReport", "GraveSight", "ReportKind", "ReportSource",
           "ReportStatus", "WeeklyReport"]

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from audit.privacy import declare_private
from boundaries.models import AdminArea
from gis.crs import STORAGE_SRID


class ElevationModel(models.Model):
    """A DEM (GeoTIFF or SRTM .hgt) checked and registered by `manage.py load_dem`."""

    path = models.CharField(_("file"), max_length=500)
    driver = models.CharField(_("format"), max_length=16)
    crs = models.CharField(_("coordinate reference system"), max_length=200)
    width = models.PositiveIntegerField(_("columns"))
    height = models.PositiveIntegerField(_("rows"))
    cell_m = models.FloatField(_("cell size (m)"))
    bounds = models.PolygonField(_("extent"), srid=STORAGE_SRID)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        verbose_name = _("elevation model")
        verbose_name_plural = _("elevation models")
        ordering = ["-registered_at", "-id"]

    def __str__(self):
        return self.path


class CorridorSight(models.Model):
    """When a corridor's visibility counts were computed, on which DEM and with which heights."""

    corridor = models.OneToOneField("cemeteries.Corridor", on_delete=models.CASCADE, related_name="sight")
    dem_path = models.CharField(_("DEM"), max_length=500)
    observers = models.PositiveIntegerField(_("observers"))
    spacing_m = models.FloatField(_("observer spacing (m)"))
    eye_m = models.FloatField(_("eye height (m)"))
    target_m = models.FloatField(_("grave height (m)"))
    radius_m = models.FloatField(_("sight radius (m)"))
    graves = models.PositiveIntegerField(_("graves counted"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("corridor visibility")
        verbose_name_plural = _("corridor visibility")


class GraveSight(models.Model):
    """How many of a corridor's observers see the grave (可视度)."""

    grave = models.ForeignKey("cemeteries.Grave", on_delete=models.CASCADE, related_name="sights")
    corridor = models.ForeignKey("cemeteries.Corridor", on_delete=models.CASCADE, related_name="grave_sights")
    observers = models.PositiveIntegerField(_("observers that see it"))

    class Meta:
        verbose_name = _("grave visibility")
        verbose_name_plural = _("grave visibility")
        constraints = [models.UniqueConstraint(fields=["grave", "corridor"], name="gravesight_one_per_corridor")]
        indexes = [models.Index(fields=["corridor", "-observers"], name="gravesight_corridor_rank")]


class Campaign(models.Model):
    """A remediation campaign (整治行动) along a corridor: the graves in a band either side, a target, a deadline."""

    name = models.CharField(_("name"), max_length=120)
    corridor = models.ForeignKey("cemeteries.Corridor", on_delete=models.PROTECT, related_name="campaigns",
                                 verbose_name=_("corridor"))
    band_m = models.PositiveIntegerField(_("band either side (m)"))
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("led by"),
                             help_text=_("the city or county that runs the campaign"))
    starts_on = models.DateField(_("starts on"))
    deadline = models.DateField(_("deadline"))
    target = models.PositiveIntegerField(_("target (graves remediated)"))
    graves = models.ManyToManyField("cemeteries.Grave", related_name="campaigns", blank=True,
                                    verbose_name=_("graves"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=64, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("remediation", "campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [models.CheckConstraint(condition=Q(deadline__gt=models.F("starts_on")),
                                              name="campaign_deadline_after_start")]

    def __str__(self):
        return self.name


class ReportSource(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    CREW = "crew", _("field crew")


class ReportKind(models.TextChoices):
    NEW = "new", _("new grave")
    REBOUND = "rebound", _("rebound of a remediated grave")


class ReportStatus(models.TextChoices):
    NEW = "new", _("awaiting triage")
    ACCEPTED = "accepted", _("registered as a new grave")
    LINKED = "linked", _("linked to a grave as a rebound")
    DISMISSED = "dismissed", pgettext_lazy("grave report", "dismissed")


class GraveReportQuerySet(models.QuerySet):
    def awaiting(self):
        return self.filter(status=ReportStatus.NEW)


class GraveReport(models.Model):
    """A report of a new grave or a rebound (新坟、反弹), from a crew or a citizen, until an officer triages it."""

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(_("from"), max_length=8, choices=ReportSource.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=ReportKind.choices, default=ReportKind.NEW)
    geom = models.PointField(_("location"), srid=STORAGE_SRID)
    area = models.ForeignKey(AdminArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("admin area"))
    description = models.TextField(_("description"), blank=True)
    photo = models.FileField(_("photo"), upload_to="cemeteries/reports/%Y/%m/", blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True,
                               help_text=_("personal data: seen only by the region's officers"))
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("reported by"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.NEW)
    grave = models.ForeignKey("cemeteries.Grave", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="reports", verbose_name=_("grave"))
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("triaged by"))
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triage_note = models.TextField(_("triage note"), blank=True)

    objects = GraveReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("grave report")
        verbose_name_plural = _("grave reports")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="gravereport_queue")]

    def __str__(self):
        return f"{self.get_kind_display()} {str(self.uuid)[:8]}"


REPORT_PRIVATE = declare_private(GraveReport, ("contact",), roles=(Role.OFFICER,))


class WeeklyReport(models.Model):
    """The city's weekly report on grave remediation for the week ending ``week_end`` (a Sunday), as the worker made
    it once that week was over (cemeteries.weekly.archive_last_week): counts, townships, grades, grave ids, never
    an owner."""

    week_end = models.DateField(_("week ending"), unique=True)
    xlsx = models.FileField(_("XLSX"), upload_to="cemeteries/weekly/")
    pdf = models.FileField(_("PDF"), upload_to="cemeteries/weekly/")
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        ordering = ["-week_end"]

    def __str__(self):
        return self.week_end.isoformat()
