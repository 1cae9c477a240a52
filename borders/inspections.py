"""Joint inspection workflows: the due list, campaigns, marker records, findings, the joint report, signatures and
filing. Each change audited (audit.services) in the same transaction.

Signing: each side's officer signs for his own side only (borders.access). A record or report signed by either
side is locked; a change makes a new version, the old one superseded, and both sides sign the new one. A record
both sides signed is applied to the marker register: the state found, and for a re-survey, a replacement or a new
marker the new (surveyed) position, which is how "moving or adding a marker needs both sides' approval".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record, snapshot
from borders.access import require_edit, require_side, visible_lines
from boundaries.inspection_models import (
    SURVEYED,
    CampaignKind,
    CampaignMember,
    CampaignState,
    FoundState,
    InspectionCampaign,
    JointReport,
    MarkerAction,
    MarkerRecord,
    SegmentFinding,
    SurveyMethod,
)
from boundaries.line_models import BoundaryLine, BoundaryMarker, MarkerClass, MarkerState, MarkerType, Side
from core import params as typed
from gis.crs import distance_m
from gis.errors import Conflict, IllegalTransition, InputError

RECORD_FIELDS = ("state", "measured", "measured_elevation_m", "method", "accuracy_m", "reference_changes", "action",
                 "note", "new_sequence", "new_type_code")
FINISHED = (CampaignState.REPORTED, CampaignState.FILED)
MEASURES = {"accuracy_m": (0, 999, 3), "measured_elevation_m": (-999_999, 999_999, 2)}  # bounds, decimals: the columns'
YEARS = (1990, 2100)  # an inspection's year: the first joint inspections followed the 1996-2001 survey (勘界)


# -- the due list --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Due:
    line: BoundaryLine
    last_year: int | None  # the last finished inspection
    due_year: int
    open_campaign: InspectionCampaign | None

    @property
    def overdue_years(self) -> int:
        return max(0, timezone.localdate().year - self.due_year)


def due_list(user, year: int | None = None) -> list[Due]:
    """The lines ``user`` is a side of whose inspection falls due in ``year`` or earlier (overdue): five years
    (the line's interval) after the last finished inspection, or after the agreement when there was none."""
    year = year or timezone.localdate().year
    lines = visible_lines(user).select_related("side_a", "side_b").annotate(
        last_year=Max("campaigns__year", filter=_finished_q()))
    open_campaigns = {c.line_id: c for c in InspectionCampaign.objects.filter(
        line__in=lines, state__in=(CampaignState.PLANNED, CampaignState.IN_PROGRESS))}
    out = []
    for line in lines:
        base = line.last_year or (line.agreement_date.year if line.agreement_date else None)
        due_year = base + line.inspection_interval_years if base else year
        if due_year <= year:
            out.append(Due(line, line.last_year, due_year, open_campaigns.get(line.pk)))
    return sorted(out, key=lambda d: (d.due_year, d.line.name))


def _finished_q():
    from django.db.models import Q

    return Q(campaigns__state__in=FINISHED, campaigns__kind=CampaignKind.REGULAR)


# -- campaigns -----------------------------------------------------------------------------------------------------
@transaction.atomic
def open_campaign(actor, line: BoundaryLine, *, year: int, kind: str = CampaignKind.REGULAR, plan: str = "",
                  starts_on: dt.date | None = None, ends_on: dt.date | None = None,
                  members: list[dict] = ()) -> InspectionCampaign:
    require_edit(actor, line)
    if kind not in CampaignKind.values:
        raise InputError(_("Unknown kind of inspection."), where={"field": "kind", "value": kind})
    if not YEARS[0] <= year <= YEARS[1]:
        raise InputError(_("The year must be between %(low)s and %(high)s.") % {"low": YEARS[0], "high": YEARS[1]},
                         code="bad_year", where={"field": "year", "value": year})
    if kind == CampaignKind.REGULAR and line.campaigns.filter(year=year, kind=kind).exists():
        raise Conflict(_("This line already has its regular inspection of %(year)s.") % {"year": year},
                       code="campaign_exists", where={"year": year})
    _check_period(starts_on, ends_on)
    campaign = InspectionCampaign.objects.create(line=line, year=year, kind=kind, plan=plan, starts_on=starts_on,
                                                 ends_on=ends_on, created_by=actor)
    for member in members:
        _add_member(campaign, member)
    record(campaign, Action.CREATE, actor=actor, after=_with_members(campaign))
    return campaign


def _check_period(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise InputError(_("The inspection cannot end (%(end)s) before it starts (%(start)s).")
                         % {"end": ends_on.isoformat(), "start": starts_on.isoformat()}, code="ends_before_start",
                         where={"field": "ends_on"})


def _with_members(campaign: InspectionCampaign) -> dict[str, Any]:
    """The campaign's columns and its members (side, name, role), as its history keeps them."""
    return {**snapshot(campaign), "members": [{"side": m.side, "name": m.name, "role": m.role}
                                               for m in campaign.members.order_by("side", "id")]}


def _add_member(campaign: InspectionCampaign, member: dict) -> CampaignMember:
    if member.get("side") not in Side.values or not str(member.get("name", "")).strip():
        raise InputError(_("A member needs a side (a or b) and a name."), where={"field": "members"})
    return CampaignMember.objects.create(campaign=campaign, side=member["side"], name=member["name"].strip(),
                                         role=member.get("role", ""), user=member.get("user"))


@transaction.atomic
def update_campaign(actor, campaign: InspectionCampaign, changes: dict[str, Any], *, members: list[dict] | None = None,
                    version: int | None = None) -> InspectionCampaign:
    campaign = _locked_campaign(campaign, version)
    require_edit(actor, campaign.line)
    if campaign.state in FINISHED:
        raise IllegalTransition(_("A reported inspection cannot change; its report is signed."),
                                code="campaign_finished")
    unknown = set(changes) - {"plan", "starts_on", "ends_on"}
    if unknown:
        raise InputError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = _with_members(campaign)
    for key, value in changes.items():
        setattr(campaign, key, value)
    _check_period(campaign.starts_on, campaign.ends_on)
    if members is not None:
        campaign.members.all().delete()
        for member in members:
            _add_member(campaign, member)
    campaign.version += 1
    campaign.save()
    record(campaign, Action.UPDATE, actor=actor, before=before, after=_with_members(campaign))
    return campaign


def _locked_campaign(campaign: InspectionCampaign, version: int | None = None) -> InspectionCampaign:
    current = InspectionCampaign.objects.select_for_update().select_related("line__side_a", "line__side_b").get(
        pk=campaign.pk)
    if version is not None and version != current.version:
        raise Conflict(_("The inspection was changed by someone else; reload and try again."),
                       code="stale_version", where={"version": version, "current": current.version})
    return current


def _start(campaign: InspectionCampaign, actor) -> None:
    if campaign.state == CampaignState.PLANNED:
        before = snapshot(campaign)
        campaign.state = CampaignState.IN_PROGRESS
        campaign.save(update_fields=["state", "updated_at"])
        record(campaign, Action.TRANSITION, actor=actor, before=before, reason=_("first record of the inspection"))


# -- marker records ------------------------------------------------------------------------------------------------
def displacement(marker: BoundaryMarker | None, measured: Point | None, method: str = SurveyMethod.GNSS,
                 accuracy_m=None) -> tuple[Decimal | None, Decimal | None, bool]:
    """(metres from the registered position, the marker class's tolerance, beyond it?).

    A marker class's tolerance is meant for a surveyed position. A position taken otherwise (a handheld GNSS average,
    typed in: not SURVEYED) is beyond it only when the distance exceeds the tolerance by more than the position's own
    accuracy: a tablet's 3 m scatter around a marker that has not moved is no finding that it moved 1 m."""
    if marker is None or measured is None:
        return None, (marker.marker_class.tolerance_m if marker else None), False
    metres = Decimal(f"{distance_m(marker.geom, measured):.3f}")
    tolerance = marker.marker_class.tolerance_m
    margin = Decimal(0) if method in SURVEYED or accuracy_m is None else Decimal(str(accuracy_m))
    return metres, tolerance, metres > tolerance + margin


def measure(params, name: str, *, label=None) -> Decimal | None:
    """A record's measured figure (metres, a MEASURES name) read from a form or a JSON body, within its column."""
    low, high, places = MEASURES[name]
    value = typed.number(params, name, low=low, high=high, label=label)
    return None if value is None else Decimal(f"{value:.{places}f}")


@transaction.atomic
def save_record(actor, campaign: InspectionCampaign, data: dict[str, Any], *, marker: BoundaryMarker | None = None,
                record_uuid=None, version: int | None = None) -> MarkerRecord:
    """Creates or changes the record of ``marker`` (or of a new marker) in ``campaign``.

    Changing a record that either side signed makes a new version that supersedes it. ``version`` guards against
    overwriting an edit made since the caller read the record."""
    campaign = _locked_campaign(campaign)
    require_edit(actor, campaign.line)
    if campaign.state in FINISHED:
        raise IllegalTransition(_("The inspection is reported; its records are final."), code="campaign_finished")
    unknown = set(data) - set(RECORD_FIELDS)
    if unknown:
        raise InputError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
                         where={"fields": sorted(unknown)})
    current = _current_record(campaign, marker, record_uuid)
    if marker is not None and marker.line_id != campaign.line_id:
        raise InputError(_("The marker is not on this inspection's line."), code="wrong_line",
                         where={"marker": str(marker.uuid)})
    if current is not None and version is not None and version != current.version:
        raise Conflict(_("The record was changed by someone else; reload and try again."), code="stale_version",
                       where={"version": version, "current": current.version})
    if current is None:
        rec = MarkerRecord(campaign=campaign, marker=marker, recorded_by=actor)
        before = None
    elif current.is_locked:
        rec = _next_version(current, actor)
        before = snapshot(current)
    else:  # changed in place: a new version number all the same, so that a signer or an editor who read the
        rec, before = current, snapshot(current)  # record before this change is refused, not let through
        rec.version = current.version + 1
    for key, value in data.items():
        setattr(rec, key, value)
    _check_record(rec)
    rec.displacement_m, rec.tolerance_m, rec.beyond_tolerance = displacement(rec.marker, rec.measured, rec.method,
                                                                             rec.accuracy_m)
    if current is not None and current.pk != rec.pk:
        MarkerRecord.objects.filter(pk=current.pk).update(is_current=False)
        rec.save()
        MarkerRecord.objects.filter(pk=current.pk).update(superseded_by=rec)
    else:
        rec.save()
    _start(campaign, actor)
    record(rec, Action.CREATE if before is None or current.pk != rec.pk else Action.UPDATE, actor=actor,
           before=before, reason=_("new version after signing") if current is not None and current.pk != rec.pk else "")
    return rec


def _current_record(campaign, marker, record_uuid) -> MarkerRecord | None:
    # Only the record's row is locked, and in no order: the records' own ordering joins the marker, which a new
    # marker's record has none of, and PostgreSQL locks no row on the empty side of an outer join.
    qs = MarkerRecord.objects.current().select_for_update(of=("self",)).filter(campaign=campaign).order_by()
    if record_uuid is not None:
        found = qs.filter(uuid=record_uuid).first()
        if found is None:
            raise InputError(_("No such record in this inspection."), code="unknown_record",
                             where={"record": str(record_uuid)})
        return found
    return qs.filter(marker=marker).first() if marker is not None else None


NOT_COPIED = ("id", "version", "signed_a_by_id", "signed_a_at", "signed_b_by_id", "signed_b_at", "superseded_by_id",
              "is_current", "recorded_at", "recorded_by_id", "applied_at")


def _next_version(current: MarkerRecord, actor) -> MarkerRecord:
    """A copy of ``current`` as its next, unsigned version (the caller links the old one to it)."""
    fields = {f.attname: getattr(current, f.attname) for f in MarkerRecord._meta.concrete_fields
              if f.attname not in NOT_COPIED}
    return MarkerRecord(**fields, version=current.version + 1, recorded_by=actor)


def _check_record(rec: MarkerRecord) -> None:
    if rec.state not in FoundState.values:
        raise InputError(_("Unknown marker state."), where={"field": "state", "value": rec.state})
    if rec.method not in SurveyMethod.values or rec.action not in MarkerAction.values:
        raise InputError(_("Unknown survey method or action."), where={"field": "method"})
    if rec.state == FoundState.NEW:
        if rec.marker_id is not None or not rec.new_sequence or rec.measured is None:
            raise InputError(_("A new marker needs its proposed number and its measured position, and no register "
                               "entry."), code="incomplete_new_marker", where={"field": "new_sequence"})
        if rec.new_type_code and rec.new_type_code not in MarkerType.values:
            raise InputError(_("Unknown marker type."), where={"field": "new_type_code"})
    elif rec.marker_id is None:
        raise InputError(_("The record names no marker."), code="missing_marker", where={"field": "marker"})
    if rec.measured is not None and rec.method == SurveyMethod.NONE:
        raise InputError(_("A measured position needs its survey method."), where={"field": "method"})
    if rec.action in (MarkerAction.RESURVEY, MarkerAction.REPLACE) and rec.measured is None:
        raise InputError(_("A re-survey or replacement needs the measured position."), where={"field": "measured"})
    if rec.measured is not None and rec.method not in SURVEYED:
        # Both sides' signatures write a new marker's, a re-survey's or a replacement's position into the register
        # (the marker coordinate table): only a survey may, never a tablet's fix laid over surveyed coordinates.
        if rec.state == FoundState.NEW or rec.action in (MarkerAction.RESURVEY, MarkerAction.REPLACE):
            raise InputError(_("A new marker, a re-survey or a replacement needs a surveyed position (GNSS RTK, "
                               "traverse or intersection), not a handheld or typed-in one."),
                             code="survey_required", where={"field": "method"})
        if rec.accuracy_m is None:
            raise InputError(_("A position that was not surveyed needs its accuracy, against which its displacement "
                               "is judged."), code="accuracy_required", where={"field": "accuracy_m"})


@transaction.atomic
def sign_record(actor, rec: MarkerRecord, side: str) -> MarkerRecord:
    rec = _locked_for_signing(MarkerRecord, rec, actor, side, named="record")
    _sign(rec, side, actor)
    if rec.is_signed_by_both:
        _apply(rec, actor)
    return rec


def _locked_for_signing(model, obj, actor, side: str, named: str = ""):
    """``obj`` (a record or a report) locked, once ``actor`` may sign it for ``side``: the current version, not yet
    signed for that side. ``named`` names it in the refusal of a replaced version."""
    obj = model.objects.select_for_update().select_related("campaign__line__side_a", "campaign__line__side_b").get(
        pk=obj.pk)
    require_side(actor, obj.campaign.line, side)
    if not obj.is_current:
        raise Conflict(_("This version was replaced; sign the current one."), code="superseded",
                       where={named: str(obj.uuid), "version": obj.version} if named else None)
    if obj.signed_at(side):
        raise Conflict(_("This side has signed already."), code="already_signed", where={"side": side})
    return obj


def _sign(obj, side: str, actor) -> None:
    """Puts ``actor``'s signature for ``side`` on ``obj`` and audits it."""
    before = snapshot(obj)
    now = timezone.now()
    if side == Side.A:
        obj.signed_a_by, obj.signed_a_at = actor, now
    else:
        obj.signed_b_by, obj.signed_b_at = actor, now
    obj.save()
    record(obj, Action.TRANSITION, actor=actor, before=before, reason=_("signed for side A") if side == Side.A
           else _("signed for side B"))


REGISTER_STATE = {FoundState.INTACT: MarkerState.INTACT, FoundState.DAMAGED: MarkerState.DAMAGED,
                  FoundState.LOST: MarkerState.LOST, FoundState.DISPLACED: MarkerState.DISPLACED,
                  FoundState.NEW: MarkerState.INTACT}


def _apply(rec: MarkerRecord, actor) -> None:
    """Writes a record both sides signed into the marker register."""
    line = rec.campaign.line
    if rec.state == FoundState.NEW:
        marker = BoundaryMarker.objects.create(
            line=line, sequence=rec.new_sequence, type_code=rec.new_type_code or MarkerType.SINGLE,
            marker_class=MarkerClass.standard(), geom=rec.measured,
            elevation_m=rec.measured_elevation_m, set_on=timezone.localdate(), note=rec.note)
        record(marker, Action.CREATE, actor=actor,
               reason=_("a new marker, from the joint inspection %(campaign)s signed by both sides")
               % {"campaign": rec.campaign})
        rec.marker = marker
    else:
        marker = BoundaryMarker.objects.select_for_update().get(pk=rec.marker_id)
        before = snapshot(marker)
        marker.state = REGISTER_STATE[rec.state]
        if rec.action in (MarkerAction.RESURVEY, MarkerAction.REPLACE):
            marker.geom = rec.measured
            if rec.measured_elevation_m is not None:
                marker.elevation_m = rec.measured_elevation_m
            marker.state = MarkerState.INTACT
        elif rec.action == MarkerAction.REPAIR:
            marker.state = MarkerState.INTACT
        marker.version += 1
        marker.save()
        record(marker, Action.UPDATE, actor=actor, before=before,
               reason=_("from the joint inspection %(campaign)s signed by both sides") % {"campaign": rec.campaign})
    rec.applied_at = timezone.now()
    rec.save(update_fields=["marker", "applied_at"])


# -- findings and the report ---------------------------------------------------------------------------------------
@transaction.atomic
def add_finding(actor, campaign: InspectionCampaign, *, kind: str, description: str, from_marker=None,
                to_marker=None, geom=None, action: str = "") -> SegmentFinding:
    campaign = _locked_campaign(campaign)
    require_edit(actor, campaign.line)
    if campaign.state in FINISHED:
        raise IllegalTransition(_("The inspection is reported; its records are final."), code="campaign_finished")
    finding = SegmentFinding(campaign=campaign, kind=kind, description=description, from_marker=from_marker,
                             to_marker=to_marker, geom=geom, action=action, recorded_by=actor)
    if kind not in dict(SegmentFinding._meta.get_field("kind").choices) or not description.strip():
        raise InputError(_("A finding needs a known kind and a description."), where={"field": "kind"})
    finding.save()
    _start(campaign, actor)
    record(finding, Action.CREATE, actor=actor)
    return finding


@transaction.atomic
def save_report(actor, campaign: InspectionCampaign, *, summary: str, conclusions: str = "",
                version: int | None = None) -> JointReport:
    campaign = _locked_campaign(campaign)
    require_edit(actor, campaign.line)
    if campaign.state in FINISHED:
        raise IllegalTransition(_("The report is signed by both sides; it is final."), code="campaign_finished")
    if not summary.strip():
        raise InputError(_("The report needs its summary."), where={"field": "summary"})
    current = JointReport.objects.current().select_for_update().filter(campaign=campaign).first()
    if current is not None and version is not None and version != current.version:
        raise Conflict(_("The report was changed by someone else; reload and try again."), code="stale_version",
                       where={"version": version, "current": current.version})
    if current is None or current.is_locked:
        if current is not None:
            JointReport.objects.filter(pk=current.pk).update(is_current=False)
        report = JointReport.objects.create(campaign=campaign, summary=summary, conclusions=conclusions,
                                            version=(current.version + 1) if current else 1)
        if current is not None:
            JointReport.objects.filter(pk=current.pk).update(superseded_by=report)
        record(report, Action.CREATE, actor=actor, before=snapshot(current) if current else None)
        return report
    before = snapshot(current)
    current.summary, current.conclusions = summary, conclusions
    current.version += 1  # as a record's: a signer who read the report before this change is refused
    current.save()
    record(current, Action.UPDATE, actor=actor, before=before)
    return current


def unsigned_records(campaign: InspectionCampaign):
    return MarkerRecord.objects.current().filter(campaign=campaign).exclude(signed_a_at__isnull=False,
                                                                            signed_b_at__isnull=False)


@transaction.atomic
def sign_report(actor, report: JointReport, side: str) -> JointReport:
    report = _locked_for_signing(JointReport, report, actor, side)
    waiting = unsigned_records(report.campaign).count()
    if waiting:
        raise IllegalTransition(_("%(n)s marker records still lack a signature of both sides.") % {"n": waiting},
                                code="records_unsigned", where={"records": waiting})
    _sign(report, side, actor)
    if report.is_signed_by_both:
        campaign = report.campaign
        before = snapshot(campaign)
        campaign.state = CampaignState.REPORTED
        campaign.save(update_fields=["state", "updated_at"])
        record(campaign, Action.TRANSITION, actor=actor, before=before, reason=_("joint report signed by both sides"))
    return report


@transaction.atomic
def file_campaign(actor, campaign: InspectionCampaign, *, filed_on: dt.date, reference: str,
                  authority: str) -> InspectionCampaign:
    """The results filed with the approving authority (备案): date and reference."""
    campaign = _locked_campaign(campaign)
    require_edit(actor, campaign.line)
    if campaign.state != CampaignState.REPORTED:
        raise IllegalTransition(_("Only an inspection whose joint report both sides signed can be filed."),
                                code="not_reported")
    if not reference.strip():
        raise InputError(_("The filing needs its reference."), where={"field": "filing_reference"})
    before = snapshot(campaign)
    campaign.filed_on, campaign.filing_reference, campaign.filing_authority = filed_on, reference, authority
    campaign.state = CampaignState.FILED
    campaign.save()
    record(campaign, Action.TRANSITION, actor=actor, before=before, reason=_("filed"))
    return campaign
