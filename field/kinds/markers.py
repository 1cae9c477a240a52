"""Markers of an active joint inspection (界线联检): a crew records what it found at each marker of a line whose
inspection is planned or under way, through borders.inspections (audited, signed by each side later).

The record is the marker (its UUID, which its QR code names); the values are those of its current record in the
open campaign. Photos become the record's photos; the two sides' signatures on screen are kept as photos of the
record, captioned with the side and the signer, as the paper form's signatures are: the sides' officers still sign
the record in the office (borders.access decides who may).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit.models import Action
from audit.services import record as audit_record
from borders import inspections
from borders.access import may_edit, visible_lines
from boundaries.inspection_models import (
    CampaignState,
    FoundState,
    InspectionCampaign,
    MarkerAction,
    MarkerRecord,
    RecordPhoto,
    SurveyMethod,
)
from boundaries.line_models import BoundaryMarker
from field.kinds import Field, TaskKind, audit_versions, changed_since
from gis.crs import to_storage_xy
from gis.errors import InputError

OPEN = (CampaignState.PLANNED, CampaignState.IN_PROGRESS)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
FOUND = tuple((v, label) for v, label in FoundState.choices if v != FoundState.NEW)
# How the app took the position (its "method") as the record's survey method: only coordinates the crew typed in from
# an RTK receiver are a GNSS survey; the app's own average of the device's fixes is a handheld one. A method the app
# may send one day is recorded as typed in, never as a survey.
POSITION_METHODS = {"rtk": SurveyMethod.GNSS, "gnss_avg": SurveyMethod.HANDHELD, "typed": SurveyMethod.TYPED}
MOST_ACCURACY_M = 999  # the record's accuracy column


class MarkerInspection(TaskKind):
    key = "marker_inspection"
    label = gettext_lazy("Boundary marker of a joint inspection")
    accuracy_m = 3.0
    fields = (
        Field("state", gettext_lazy("State found"), "choice", FOUND, required=True, sources=("state",)),
        Field("action", pgettext_lazy("marker", "Action"), "choice", tuple(MarkerAction.choices), sources=("action",),
              help=gettext_lazy("A re-survey or a replacement needs a position typed in from an RTK receiver.")),
        Field("reference_changes", gettext_lazy("Changes to reference features"), sources=("reference_changes",)),
        Field("note", gettext_lazy("Note"), sources=("note",)),
    )
    photo_roles = (("marker", gettext_lazy("The marker"), False), ("road", gettext_lazy("The way to it"), False))
    signatures = (("side_a", gettext_lazy("Side A")), ("side_b", gettext_lazy("Side B")))
    watched = (("boundaries", "markerrecord"), ("boundaries", "boundarymarker"), ("boundaries", "inspectioncampaign"))

    def _campaigns(self, user, prefix):
        lines = visible_lines(user)
        if prefix:
            lines = lines.touching_prefixes([prefix])
        campaigns = (InspectionCampaign.objects.filter(line__in=lines, state__in=OPEN)
                     .select_related("line__side_a", "line__side_b").order_by("line_id", "-year", "-id"))
        latest = {}
        for campaign in campaigns:
            if campaign.line_id not in latest and may_edit(user, campaign.line):
                latest[campaign.line_id] = campaign
        return latest

    def tasks(self, user, prefix, only=None):
        campaigns = self._campaigns(user, prefix)
        markers = BoundaryMarker.objects.filter(line_id__in=list(campaigns)).select_related("line")
        if only is not None:
            markers = markers.filter(uuid__in=[u for u in only if UUID.fullmatch(u)])
        markers = list(markers.order_by("line_id", "sequence", "type_code"))
        records = {}
        rows = {}
        for rec in MarkerRecord.objects.filter(marker__in=markers, campaign__in=list(campaigns.values())):
            rows.setdefault(rec.marker_id, []).append(rec.pk)
            if rec.is_current:
                records[rec.marker_id] = rec
        tasks = []
        for marker in markers:
            campaign = campaigns[marker.line_id]
            current = records.get(marker.pk)
            values = {"state": current.state if current else None,
                      "action": current.action if current else MarkerAction.NONE,
                      "reference_changes": current.reference_changes if current else "",
                      "note": current.note if current else ""}
            task = self._task(marker, campaign, values)
            task.obj = (marker, campaign, rows.get(marker.pk, []))
            tasks.append(task)
        versions = audit_versions("boundaries", "markerrecord", {t.record_id: t.obj[2] for t in tasks}, self)
        for task in tasks:
            task.versions = versions[task.record_id]
        if only is not None:
            tasks += self._closed(user, prefix, only - {t.record_id for t in tasks})
        return tasks

    def _closed(self, user, prefix, wanted):
        """Markers of the region asked for whose line has no open inspection any more: tasks no longer."""
        lines = visible_lines(user)
        if prefix:
            lines = lines.touching_prefixes([prefix])
        markers = BoundaryMarker.objects.filter(line__in=lines, uuid__in=[u for u in wanted if UUID.fullmatch(u)])
        from field.kinds import Task

        return [Task(record_id=str(m.uuid), title="", open=False) for m in markers]

    def _task(self, marker, campaign, values):
        from field.kinds import Task

        line = campaign.line
        return Task(record_id=str(marker.uuid), title=marker.number,
                    subtitle=_("%(line)s, inspection of %(year)s") % {"line": line.name, "year": campaign.year},
                    lon=marker.geom.x, lat=marker.geom.y, values=values, due=campaign.ends_on,
                    qr=marker.qr_token, area=marker.area)

    def apply(self, actor, task, changes, evidence):
        marker, campaign, _rows = task.obj
        data = {k: v if v is not None else "" for k, v in changes.items()}
        if "state" in data and not data["state"]:
            raise InputError(_("State found is required."), code="required", where={"field": "state"})
        if task.values.get("state") is None and "state" not in data:
            raise InputError(_("State found is required."), code="required", where={"field": "state"})
        if "action" in data and not data["action"]:
            data["action"] = MarkerAction.NONE
        position = evidence.position
        if position is not None:
            x, y = to_storage_xy(position["lon"], position["lat"], 4326)
            accuracy = position.get("accuracy_m")
            if accuracy is not None and accuracy > MOST_ACCURACY_M:
                raise InputError(_("The position's accuracy must be at most %(most)s m.") % {"most": MOST_ACCURACY_M},
                                 code="invalid_accuracy", where={"field": "position.accuracy_m"})
            data["measured"] = Point(float(x), float(y), srid=4490)
            data["method"] = POSITION_METHODS.get(position.get("method"), SurveyMethod.TYPED)
            data["accuracy_m"] = Decimal(f"{accuracy:.3f}") if accuracy is not None else None
        rec = inspections.save_record(actor, campaign, data, marker=marker)
        for upload, role, _taken in evidence.photos:
            caption = _("Photo: %(role)s") % {"role": dict((r, str(label)) for r, label, _req in self.photo_roles)
                                             .get(role, role)}
            self._photo(actor, rec, upload, caption)
        for upload, role, signer in evidence.signatures:
            side = _("side A") if role == "side_a" else _("side B")
            self._photo(actor, rec, upload, _("Signature of %(side)s: %(name)s") % {"side": side, "name": signer})

    @staticmethod
    def _photo(actor, rec, upload, caption):
        # The stored upload itself (content-checked, named by its hash), not a second copy of its bytes.
        photo = RecordPhoto.objects.create(record=rec, image=upload.file.name, caption=caption[:200],
                                           uploaded_by=actor)
        audit_record(photo, Action.CREATE, actor=actor)

    def lookup(self, user, text):
        match = UUID.search(text or "")
        if match and "/boundaries/" in text:
            return match[0].lower()
        found = BoundaryMarker.objects.filter(qr_token=(text or "").strip()[:32]).values_list("uuid", flat=True).first()
        return str(found) if found else None

    def record_url(self, record_id, task=None):
        return reverse("borders:marker", args=[record_id]) if UUID.fullmatch(str(record_id)) else None

    def changed_records(self, since):
        record_ids = changed_since("boundaries", "markerrecord", since)
        marker_ids = changed_since("boundaries", "boundarymarker", since)
        campaign_ids = changed_since("boundaries", "inspectioncampaign", since)
        markers = set(MarkerRecord.objects.filter(pk__in=[int(i) for i in record_ids if i.isdigit()])
                      .values_list("marker__uuid", flat=True))
        markers |= set(BoundaryMarker.objects.filter(pk__in=[int(i) for i in marker_ids if i.isdigit()])
                       .values_list("uuid", flat=True))
        markers |= set(BoundaryMarker.objects.filter(
            line__campaigns__in=[int(i) for i in campaign_ids if i.isdigit()]).values_list("uuid", flat=True))
        return {str(m) for m in markers if m}
