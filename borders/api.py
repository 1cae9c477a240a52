"""The boundary API under /boundaries/api/, for the office and for the field tablets of the joint inspections.

JSON in and out. Every write goes through borders.lines or borders.inspections (audited) and may carry an
``Idempotency-Key`` header: a tablet resending what it queued offline gets the first answer again
(audit.idempotency). Records and reports carry a ``version``: send the one you read, and a change made since is
refused (409 stale_version) instead of overwritten. A line the user is no side of answers 404. Positions are
GeoJSON points or [lon, lat] pairs, in EPSG:4490 unless ``crs`` says otherwise (gis.intake).

    GET  lines/                          the lines the user is a side of
    GET  lines/{uuid}/                   a line with its markers (registered positions) and their reference features
    GET  due/?year=                      lines due or overdue for their five-yearly inspection
    GET  campaigns/?line=&year=          campaigns;  POST campaigns/ {"line", "year", "kind", "plan", "members"}
    GET  campaigns/{uuid}/               plan, members, current records, findings, report
    PATCH campaigns/{uuid}/              {"plan", "starts_on", "ends_on", "members", "version"}
    POST campaigns/{uuid}/records/       {"marker": uuid | null, "state", "measured", "crs", "method", ... "version"}
    POST records/{uuid}/sign/            {"side": "a" | "b", "version"}
    POST records/{uuid}/photos/          multipart "image", "caption"
    POST campaigns/{uuid}/findings/      {"kind", "description", "from_marker", "to_marker", "geometry"}
    PUT  campaigns/{uuid}/report/        {"summary", "conclusions", "version"}
    POST campaigns/{uuid}/report/sign/   {"side", "version"}
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from audit.models import Action
from audit.preconditions import required_version, sent_version, version_required
from audit.services import record
from borders import inspections
from borders.access import require_edit, require_visible, sides_of, visible_lines
from boundaries.inspection_models import (
    InspectionCampaign,
    JointReport,
    MarkerRecord,
    RecordPhoto,
    SegmentFinding,
)
from boundaries.line_models import BoundaryLine, BoundaryMarker
from core import params as typed
from core import uploads
from gis.crs import STORAGE_SRID, parse_crs
from gis.errors import Conflict, InputError
from gis.intake import intake_geometry


# -- serialising ----------------------------------------------------------------------------------------------------
def _lonlat(point) -> list[float] | None:
    return [round(point.x, 9), round(point.y, 9)] if point is not None else None


def _num(value) -> float | None:
    return float(value) if value is not None else None


def line_json(line: BoundaryLine, user) -> dict:
    return {"uuid": str(line.uuid), "name": line.name, "level": line.level, "line_code": line.line_code,
            "side_a": {"code": line.side_a.code, "name": line.side_a.name, "department": line.department_a},
            "side_b": {"code": line.side_b.code, "name": line.side_b.name, "department": line.department_b},
            "agreement_number": line.agreement_number,
            "agreement_date": line.agreement_date.isoformat() if line.agreement_date else None,
            "my_sides": sorted(sides_of(user, line)), "version": line.version}


def marker_json(marker: BoundaryMarker) -> dict:
    return {"uuid": str(marker.uuid), "number": marker.number, "sequence": marker.sequence,
            "type_code": marker.type_code, "class": marker.marker_class.code,
            "tolerance_m": _num(marker.marker_class.tolerance_m), "position": _lonlat(marker.geom),
            "elevation_m": _num(marker.elevation_m), "material": marker.material, "form": marker.form,
            "maintained_by": marker.maintained_by, "state": marker.state, "version": marker.version,
            "references": [{"name": r.name, "bearing_deg": _num(r.bearing_deg), "distance_m": _num(r.distance_m),
                            "point_described": r.point_described} for r in marker.references.all()]}


def _signatures(obj) -> dict:
    return {side: {"by": getattr(obj.signed_by(side), "username", None),
                   "at": obj.signed_at(side).isoformat() if obj.signed_at(side) else None} for side in ("a", "b")}


def record_json(rec: MarkerRecord) -> dict:
    return {"uuid": str(rec.uuid), "version": rec.version, "current": rec.is_current, "number": rec.number,
            "marker": str(rec.marker.uuid) if rec.marker_id else None, "state": rec.state,
            "measured": _lonlat(rec.measured), "measured_elevation_m": _num(rec.measured_elevation_m),
            "method": rec.method, "accuracy_m": _num(rec.accuracy_m), "displacement_m": _num(rec.displacement_m),
            "tolerance_m": _num(rec.tolerance_m), "beyond_tolerance": rec.beyond_tolerance,
            "reference_changes": rec.reference_changes, "action": rec.action, "note": rec.note,
            "locked": rec.is_locked, "signatures": _signatures(rec),
            "photos": [_photo_json(p) for p in rec.photos.all()]}


def _photo_json(photo: RecordPhoto) -> dict:
    return {"id": photo.pk, "url": reverse("borders:api_photo", args=[photo.pk]), "caption": photo.caption}


def report_json(report: JointReport | None) -> dict | None:
    if report is None:
        return None
    return {"version": report.version, "summary": report.summary, "conclusions": report.conclusions,
            "locked": report.is_locked, "signatures": _signatures(report)}


def campaign_json(campaign: InspectionCampaign, *, full: bool = False) -> dict:
    data = {"uuid": str(campaign.uuid), "line": str(campaign.line.uuid), "line_name": campaign.line.name,
            "year": campaign.year, "kind": campaign.kind, "state": campaign.state, "plan": campaign.plan,
            "starts_on": campaign.starts_on.isoformat() if campaign.starts_on else None,
            "ends_on": campaign.ends_on.isoformat() if campaign.ends_on else None, "version": campaign.version,
            "filed_on": campaign.filed_on.isoformat() if campaign.filed_on else None,
            "filing_reference": campaign.filing_reference}
    if full:
        data["members"] = [{"side": m.side, "name": m.name, "role": m.role} for m in campaign.members.all()]
        data["records"] = [record_json(r) for r in MarkerRecord.objects.current().filter(campaign=campaign)
                           .select_related("marker__line", "campaign__line", "signed_a_by", "signed_b_by")
                           .prefetch_related("photos")]
        data["findings"] = [{"id": f.pk, "kind": f.kind, "description": f.description, "action": f.action,
                             "from_marker": str(f.from_marker.uuid) if f.from_marker_id else None,
                             "to_marker": str(f.to_marker.uuid) if f.to_marker_id else None}
                            for f in campaign.findings.select_related("from_marker", "to_marker")]
        data["report"] = report_json(JointReport.objects.current().filter(campaign=campaign).first())
    return data


# -- reading input --------------------------------------------------------------------------------------------------
def _point(data, name: str):
    value = data.get(name)
    if value in (None, ""):
        return None
    crs = parse_crs(data.get("crs") or STORAGE_SRID)
    return intake_geometry(value, crs=crs, expected="Point", field=name).geometry


def _line(user, uuid) -> BoundaryLine:
    line = get_object_or_404(BoundaryLine.objects.select_related("side_a", "side_b"), uuid=uuid)
    require_visible(user, line)
    return line


def _campaign(user, uuid) -> InspectionCampaign:
    campaign = get_object_or_404(InspectionCampaign.objects.select_related("line__side_a", "line__side_b"),
                                 uuid=uuid)
    require_visible(user, campaign.line)
    return campaign


def _marker(campaign: InspectionCampaign, data, name: str) -> BoundaryMarker | None:
    uuid = typed.uuid(data, name)
    if uuid is None:
        return None
    marker = BoundaryMarker.objects.filter(uuid=uuid, line=campaign.line).select_related("line").first()
    if marker is None:
        raise InputError(_("No such marker on this line."), code="unknown_marker", where={"field": name})
    return marker


# -- lines ----------------------------------------------------------------------------------------------------------
@api_view(["GET"])
def line_list(request):
    lines = visible_lines(request.user).select_related("side_a", "side_b")
    return Response([line_json(line, request.user) for line in lines])


@api_view(["GET"])
def line_detail(request, uuid):
    line = _line(request.user, uuid)
    markers = line.markers.select_related("line", "marker_class").prefetch_related("references")
    return Response({**line_json(line, request.user), "course_description": line.course_description,
                     "markers": [marker_json(m) for m in markers]})


@api_view(["GET"])
def due(request):
    year = typed.integer(request.query_params, "year", low=inspections.YEARS[0], high=inspections.YEARS[1])
    rows = inspections.due_list(request.user, year)
    return Response([{"line": str(d.line.uuid), "name": d.line.name, "last_year": d.last_year,
                      "due_year": d.due_year, "overdue_years": d.overdue_years,
                      "open_campaign": str(d.open_campaign.uuid) if d.open_campaign else None} for d in rows])


TEXT_MAX = 10_000  # a text column without a length of its own (a plan, a note, a summary)


def _text(data, name: str, model) -> str:
    """A text member, within its column: a number, a list or an object is refused, not stored as Python writes
    it; null is no text."""
    return typed.text(data, name, max_length=model._meta.get_field(name).max_length or TEXT_MAX)


# -- campaigns ------------------------------------------------------------------------------------------------------
def _members(data):
    members = data.get("members")
    if members is None:
        return None
    if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
        raise InputError(_("members must be a list of objects, as {\"side\": \"a\", \"name\": \"…\"}."),
                         where={"field": "members"})
    return [{"side": m.get("side"), "name": typed.text(m, "name", max_length=64),
             "role": typed.text(m, "role", max_length=64)} for m in members]


@api_view(["GET", "POST"])
def campaign_list(request):
    if request.method == "POST":
        data = request.data
        for name in ("line", "year"):
            typed.required(data, name)
        line = _line(request.user, typed.uuid(data, "line"))
        year = typed.integer(data, "year", low=inspections.YEARS[0], high=inspections.YEARS[1])
        campaign = inspections.open_campaign(request.user, line, year=year,
                                             kind=typed.text(data, "kind", "regular", max_length=20),
                                             plan=_text(data, "plan", InspectionCampaign),
                                             starts_on=typed.date(data, "starts_on"),
                                             ends_on=typed.date(data, "ends_on"), members=_members(data) or [])
        return Response(campaign_json(campaign, full=True), status=201,
                        headers={"Location": f"/boundaries/api/campaigns/{campaign.uuid}/"})
    campaigns = InspectionCampaign.objects.filter(line__in=visible_lines(request.user)).select_related("line")
    line = typed.uuid(request.query_params, "line")
    if line is not None:
        campaigns = campaigns.filter(line__uuid=line)
    year = typed.integer(request.query_params, "year", low=inspections.YEARS[0], high=inspections.YEARS[1])
    if year is not None:
        campaigns = campaigns.filter(year=year)
    return Response([campaign_json(c) for c in campaigns])


@api_view(["GET", "PATCH"])
def campaign_detail(request, uuid):
    campaign = _campaign(request.user, uuid)
    if request.method == "PATCH":
        data = request.data
        changes = {k: _text(data, k, InspectionCampaign) for k in ("plan",) if k in data}
        changes.update({k: typed.date(data, k) for k in ("starts_on", "ends_on") if k in data})
        campaign = inspections.update_campaign(request.user, campaign, changes, members=_members(data),
                                               version=required_version(request))
    return Response(campaign_json(campaign, full=True))


RECORD_INPUT = ("state", "method", "reference_changes", "action", "note", "new_type_code")


@api_view(["POST"])
def record_save(request, uuid):
    """Creates or changes a marker's record. For a new marker send "marker": null with "new_sequence"; to change a
    new marker's record send its "record" uuid."""
    campaign = _campaign(request.user, uuid)
    data = request.data
    fields = {k: _text(data, k, MarkerRecord) for k in RECORD_INPUT if k in data and data[k] is not None}
    if "measured" in data:
        fields["measured"] = _point(data, "measured")
    for name in inspections.MEASURES:
        if name in data:
            fields[name] = inspections.measure(data, name)
    if data.get("new_sequence") not in (None, ""):
        fields["new_sequence"] = typed.integer(data, "new_sequence", low=1, high=9999)
    marker = _marker(campaign, data, "marker")
    record_uuid = typed.uuid(data, "record")
    version = sent_version(request)
    existing = MarkerRecord.objects.current().filter(campaign=campaign)
    if version is None and (record_uuid or (marker is not None and existing.filter(marker=marker).exists())):
        raise version_required()  # a change of a record must name the version it was made on
    rec = inspections.save_record(request.user, campaign, fields, marker=marker, record_uuid=record_uuid,
                                  version=version)
    return Response(record_json(rec))


def _current(uuid) -> MarkerRecord:
    return get_object_or_404(MarkerRecord.objects.current().select_related("campaign__line__side_a",
                                                                           "campaign__line__side_b"), uuid=uuid)


def _signing_read(request, obj, stale: str) -> None:
    """A signature is given on the version the signer read (the request names it): another one is a conflict."""
    version = required_version(request)
    if version != obj.version:
        raise Conflict(stale, code="stale_version", where={"version": version, "current": obj.version})


@api_view(["POST"])
def record_sign(request, uuid):
    rec = _current(uuid)
    require_visible(request.user, rec.campaign.line)
    _signing_read(request, rec, _("The record was changed since you read it; read it again before signing."))
    rec = inspections.sign_record(request.user, rec, typed.choice(request.data, "side", ["a", "b"], ""))
    return Response(record_json(rec))


@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def record_photo(request, uuid):
    """A photo of the marker for its current record. Photos do not change what was signed: they are evidence
    added alongside, each audited."""
    rec = _current(uuid)
    require_edit(request.user, rec.campaign.line)
    image = request.FILES.get("image")
    if image is None:
        raise InputError(_("Send the photo as the multipart field 'image'."), where={"field": "image"})
    image = uploads.accept_photo(image, field="image", max_bytes=15 << 20)  # by content, not its label
    digest = uploads.sha256_of(image)
    kept = RecordPhoto.objects.filter(record=rec, sha256=digest).first()
    if kept is None:
        try:
            with transaction.atomic():
                photo = RecordPhoto.objects.create(record=rec, image=image, sha256=digest, uploaded_by=request.user,
                                                   caption=typed.text(request.data, "caption", max_length=200))
                record(photo, Action.CREATE, actor=request.user)
            return Response(_photo_json(photo), status=201)
        except IntegrityError:  # the same photo, sent twice at once: the other request kept it
            kept = RecordPhoto.objects.get(record=rec, sha256=digest)
    return Response(_photo_json(kept), status=200)  # sent again (its first answer was lost): kept once


@api_view(["GET"])
def photo_file(request, pk):
    """A record's photo, for a reader who may see its line (else 404), as a download (core.uploads)."""
    photo = get_object_or_404(RecordPhoto.objects.select_related("record__campaign__line"), pk=pk)
    require_visible(request.user, photo.record.campaign.line)
    return uploads.attachment(photo.image)


@api_view(["POST"])
def finding_add(request, uuid):
    campaign = _campaign(request.user, uuid)
    data = request.data
    geom = None
    if data.get("geometry"):
        geom = intake_geometry(data["geometry"], crs=parse_crs(data.get("crs") or STORAGE_SRID),
                               field="geometry").geometry
    finding = inspections.add_finding(request.user, campaign, kind=_text(data, "kind", SegmentFinding),
                                      description=_text(data, "description", SegmentFinding),
                                      from_marker=_marker(campaign, data, "from_marker"),
                                      to_marker=_marker(campaign, data, "to_marker"), geom=geom,
                                      action=_text(data, "action", SegmentFinding))
    return Response({"id": finding.pk, "kind": finding.kind}, status=201)


@api_view(["PUT"])
@parser_classes([JSONParser])
def report_save(request, uuid):
    campaign = _campaign(request.user, uuid)
    version = sent_version(request)
    if version is None and JointReport.objects.current().filter(campaign=campaign).exists():
        raise version_required()
    report = inspections.save_report(request.user, campaign, summary=_text(request.data, "summary", JointReport),
                                     conclusions=_text(request.data, "conclusions", JointReport), version=version)
    return Response(report_json(report))


@api_view(["POST"])
def report_sign(request, uuid):
    campaign = _campaign(request.user, uuid)
    report = JointReport.objects.current().filter(campaign=campaign).first()
    if report is None:
        raise InputError(_("The inspection has no report yet."), code="no_report")
    _signing_read(request, report, _("The report was changed since you read it; read it again before signing."))
    report = inspections.sign_report(request.user, report, typed.choice(request.data, "side", ["a", "b"], ""))
    return Response(report_json(report))
