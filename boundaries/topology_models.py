"""Topology problems found by boundaries.topology: what, where, between which areas, lines or markers.

Imported by boundaries.models, so Django registers the model in the boundaries app.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.utils.translation import gettext_lazy as _

from boundaries.line_models import BoundaryLine, BoundaryMarker
from boundaries.models import STORAGE_SRID, AdminArea
from gis.db.fields import stored_transform


class ProblemKind(models.TextChoices):
    GAP = "gap", _("gap between sibling areas")
    OVERLAP = "overlap", _("overlap of sibling areas")
    OUTSIDE_PARENT = "outside_parent", _("area sticking out of its parent")
    LINE_OFF_EDGE = "line_off_edge", _("line no longer follows the areas' edge")
    MARKER_OFF_LINE = "marker_off_line", _("marker farther from its line than its tolerance")


class TopologyProblem(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ProblemKind.choices)
    geom = models.GeometryField(_("where"), srid=STORAGE_SRID)
    geom_3857 = stored_transform(models.GeometryField, 3857)
    # The parent whose children were checked (gaps, overlaps, areas sticking out): a re-run replaces its rows.
    parent = models.ForeignKey(AdminArea, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    area_a = models.ForeignKey(AdminArea, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("area"))
    area_b = models.ForeignKey(AdminArea, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("other area"))
    line = models.ForeignKey(BoundaryLine, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    marker = models.ForeignKey(BoundaryMarker, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    measure = models.FloatField(_("size"), help_text=_("square metres for areas, metres for lines and markers"))
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("topology problem")
        verbose_name_plural = _("topology problems")
        ordering = ["kind", "-measure"]
        indexes = [GistIndex(fields=["geom_3857"], name="topologyproblem_geom_3857_gist")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.measure:.1f}"
