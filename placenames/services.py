"""Naming applications: drafting, the rule check, every state transition and what approval does to places.

``apply`` is the one way an application changes state: it locks the row (select_for_update), refuses a stale
version (optimistic locking: the client sends the version it saw), checks the role and the region, checks the
action against the workflow table, runs the action's effect, writes an ApplicationEvent and the audit record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.roles import Role
from accounts.scoping import has_role, require_area, scope
from audit.models import Action
from audit.services import record, snapshot
from boundaries.models import AdminArea
from core import uploads
from core.params import within
from gis.crs import CRS
from gis.errors import Conflict, GeometryError, InputError, NotFound, PermissionDenied, shown
from gis.intake import intake_geometry
from placenames import rules, workflow
from placenames.bases import NATURAL_VILLAGE_GENERIC, NATURAL_VILLAGE_KIND
from placenames.models import (
    Application,
    ApplicationEvent,
    ApplicationState,
    ApplicationType,
    Place,
    PlaceKind,
    PlaceName,
    PlaceStatus,
    RuleFinding,
    Severity,
)
from placenames.pinyin import initials_key, pinyin_key, split_name, village_romanization

APPLICATION_ROLES = (Role.OFFICER.value, Role.REVIEWER.value)
EDITABLE_FIELDS = ("proposed_name", "specific", "generic", "pinyin", "meaning", "origin", "location_description",
                   "reason", "applicant")


def setting(name: str, default):
    return getattr(settings, name, default)


_DAY: ContextVar[dt.date | None] = ContextVar("placenames_day", default=None)


def today() -> dt.date:
    return _DAY.get() or timezone.localdate()


@contextmanager
def on_day(day: dt.date) -> Iterator[None]:
    """Takes the steps inside on ``day`` (the demo walks its applications over past weeks)."""
    token = _DAY.set(day)
    try:
        yield
    finally:
        _DAY.reset(token)


# --- reading, scoped ---------------------------------------------------------------------------------------


def visible_applications(user):
    """The applications ``user`` may see: officers and reviewers, in their regions."""
    if not has_role(user, *APPLICATION_ROLES):
        return Application.objects.none()
    rows = Application.objects.select_related("kind", "area", "place", "created_by")
    return scope(rows, user, "area")


def get_application(user, pk) -> Application:
    try:
        return visible_applications(user).get(pk=pk)
    except (Application.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("No such application, or not in your area."), where={"application": str(pk)}) from None


def evidence_of(user, pk, event_id) -> ApplicationEvent:
    """An event's evidence file, for a reader who may see its application (else NotFound, as for the application)."""
    event = get_application(user, pk).events.filter(pk=event_id).exclude(evidence="").first()
    if event is None:
        raise NotFound(_("No such evidence."), code="not_found", where={"event": str(event_id)})
    return event


def visible_places(user):
    return scope(Place.objects.select_related("kind", "area"), user, "area")


def get_place(user, uuid) -> Place:
    try:
        return visible_places(user).get(uuid=uuid)
    except (Place.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("No such place, or not in your area."), where={"place": str(uuid)}) from None


# --- geometry and area -------------------------------------------------------------------------------------


def read_geometry(value, crs=CRS.CGCS2000):
    """An untrusted geometry (GeoJSON, WKT, GEOSGeometry) as a valid EPSG:4490 geometry, through gis.intake."""
    if value is None or value == "":
        raise GeometryError(_("Draw the place on the map or give its position (geometry)."), code="empty_geometry", where={"field": "geom"})
    return intake_geometry(value, crs=crs, field="geom").geometry


def area_for(geom) -> AdminArea:
    """The finest admin area covering the whole geometry, else the one holding a point on it; in a county."""
    area = AdminArea.objects.filter(geom__covers=geom).order_by("-code12").first()
    if area is None:
        area = AdminArea.objects.finest_containing(geom.point_on_surface)
    if area is None or area.ancestor_at("county") is None:
        raise GeometryError(_("The geometry lies in no county."), code="outside_counties", where={"field": "geom"})
    return area


# --- drafting ----------------------------------------------------------------------------------------------


def _fill_name(app: Application, data: Mapping[str, Any]) -> None:
    """Splits the name into 专名/通名 unless given, and romanizes it unless the officer set the romanization."""
    app.proposed_name = (app.proposed_name or "").strip()
    if not app.proposed_name:
        app.specific = app.generic = app.pinyin = ""
        return
    if not (data.get("specific") or data.get("generic")):
        app.specific, app.generic = split_name(app.proposed_name)
    natural = app.kind_id is not None and (app.kind.code == NATURAL_VILLAGE_KIND
                                           or app.generic == NATURAL_VILLAGE_GENERIC)
    automatic = village_romanization(app.proposed_name, natural_village=natural, specific=app.specific or None,
                                     generic=app.generic)
    kept = app.pinyin if app.pinyin_overridden else ""
    given = str(data["pinyin"] if "pinyin" in data else kept or "").strip()
    app.pinyin_overridden = bool(given) and given != automatic
    app.pinyin = given if app.pinyin_overridden else automatic


def _set_fields(app: Application, data: Mapping[str, Any]) -> None:
    for name in EDITABLE_FIELDS:
        if name in data and data[name] is not None:
            setattr(app, name, str(data[name]).strip())


def create_application(user, *, type: str = ApplicationType.NAMING, kind: PlaceKind | str | None = None,
                       geom=None, place: Place | str | None = None, crs=CRS.CGCS2000, **data) -> Application:
    """A new draft. Naming needs a kind and a geometry; renaming and cancellation name an existing place."""
    if type not in ApplicationType.values:
        raise InputError(_("Unknown application type: %(type)s.") % {"type": type}, where={"field": "type"})
    app = Application(type=type, created_by=user)
    if type == ApplicationType.NAMING:
        app.kind = _kind(kind)
        app.geom = read_geometry(geom, crs)
    else:
        target = place if isinstance(place, Place) else get_place(user, place) if place else None
        if target is None or target.status != PlaceStatus.IN_USE:
            raise InputError(_("A renaming or cancellation names a place in use."), code="place_required", where={"field": "place"})
        app.place, app.kind = target, target.kind
        app.geom = read_geometry(geom, crs) if geom else target.geom
        if type == ApplicationType.CANCELLATION:
            data = {**data, "proposed_name": target.name}
    app.area = area_for(app.geom)
    require_area(user, app.area, roles=(Role.OFFICER,))
    _set_fields(app, data)
    _fill_name(app, data)
    with transaction.atomic():
        app.save()
        record(app, Action.CREATE, actor=user)
    return app


def update_draft(user, pk, *, version: int, kind=None, geom=None, crs=CRS.CGCS2000, **data) -> Application:
    with transaction.atomic():
        app = _officer_edit(user, pk, version, ApplicationState.DRAFT,
                            Conflict(_("Only a draft can be changed."), code="not_a_draft"))
        before = snapshot(app)
        if kind and app.type == ApplicationType.NAMING:
            app.kind = _kind(kind)
        if geom:
            app.geom = read_geometry(geom, crs)
            app.area = area_for(app.geom)
            require_area(user, app.area, roles=(Role.OFFICER,))
        _set_fields(app, data)
        _fill_name(app, data)
        app.version += 1
        app.save()
        record(app, Action.UPDATE, actor=user, before=before)
    return app


def _kind(kind) -> PlaceKind:
    if isinstance(kind, PlaceKind):
        return kind
    if kind in (None, ""):
        raise InputError(_("Choose the kind of place."), code="missing_kind", where={"field": "kind"})
    found = PlaceKind.objects.filter(code=kind).first() if isinstance(kind, str) else None
    if found is None:
        raise InputError(_("Unknown kind of place: %(kind)s.") % {"kind": shown(kind, 40)}, code="unknown_kind",
                         where={"field": "kind"})
    return found


# --- the rule check ----------------------------------------------------------------------------------------


def proposal_of(app: Application) -> rules.Proposal:
    return rules.Proposal(
        name=app.proposed_name, specific=app.specific, generic=app.generic, kind=app.kind,
        county_prefix=app.area.code12[:6], geometry_type=app.geom.geom_type if app.geom else None,
        place_uuid=app.place_id if app.type != ApplicationType.NAMING else None,
        current_name=app.place.name if app.type == ApplicationType.RENAMING and app.place_id else "",
        application_id=app.pk)


def run_rule_check(app: Application) -> list[RuleFinding]:
    """Replaces the application's findings with a fresh check, keeping the justification of a finding that
    is found again (same code and message)."""
    if app.type == ApplicationType.CANCELLATION:
        findings: list[rules.Finding] = []
    else:
        findings = rules.check(proposal_of(app))
    kept = {(f.code, f.message): f for f in app.findings.exclude(justification="")}
    app.findings.all().delete()
    rows = []
    for finding in findings:
        old = kept.get((finding.code, finding.message))
        rows.append(RuleFinding(
            application=app, code=finding.code, severity=finding.severity, message=finding.message,
            evidence=finding.evidence, justification=old.justification if old else "",
            justified_by=old.justified_by if old else None, justified_at=old.justified_at if old else None))
    return RuleFinding.objects.bulk_create(rows)


def justify(user, pk, finding_id, *, version: int, text: str) -> RuleFinding:
    """The officer's written justification of a warning (说明理由); it lets the application pass the check."""
    text = (text or "").strip()
    if not text:
        raise InputError(_("Give the reason."), code="justification_required", where={"field": "justification"})
    with transaction.atomic():
        app = _officer_edit(user, pk, version, ApplicationState.SUBMITTED,
                            Conflict(_("A justification is given only at the rule check."), code="not_in_rule_check"))
        finding = app.findings.filter(pk=finding_id).first()
        if finding is None:
            raise NotFound(_("No such finding."), where={"finding": finding_id})
        if finding.severity != Severity.WARNING:
            raise InputError(_("An error cannot pass with a justification: return the application to draft and change the name."), code="error_cannot_be_justified",
                             where={"finding": finding.code})
        before = snapshot(app)
        finding.justification, finding.justified_by, finding.justified_at = text, user, timezone.now()
        finding.save()
        app.version += 1
        app.save(update_fields=["version", "updated_at"])
        record(app, Action.UPDATE, actor=user, before=before, reason=_("Justification (%(finding)s): %(text)s")
               % {"finding": finding.message, "text": text})
    return finding


# --- transitions -------------------------------------------------------------------------------------------


def locked_application(user, pk) -> Application:
    """The application, locked for update (SELECT ... FOR UPDATE), if ``user`` may see it."""
    rows = visible_applications(user).select_for_update(of=("self",))
    try:
        return rows.get(pk=pk)
    except (Application.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("No such application, or not in your area."), where={"application": str(pk)}) from None


def _officer_edit(user, pk, version, state: str, refusal: Conflict) -> Application:
    """The application locked for an officer's edit: in the officer's region, at the version the officer saw,
    in ``state`` (else ``refusal``, with the state it is in)."""
    app = locked_application(user, pk)
    require_area(user, app.area, roles=(Role.OFFICER,))
    _check_version(app, version)
    if app.state != state:
        refusal.where["state"] = app.state
        raise refusal
    return app


def _check_version(app: Application, version) -> None:
    try:
        seen = int(version)
    except (TypeError, ValueError):
        raise InputError(_("The version is missing."), code="version_required", where={"field": "version"}) from None
    if seen != app.version:
        raise Conflict(_("Someone else has acted on this application (it is at version %(version)s, you saw version "
                         "%(seen)s): reload it and try again.") % {"version": app.version, "seen": seen},
                       code="stale_version", where={"version": app.version, "seen": seen})


def apply(user, pk, action: str, *, version, reason: str = "", evidence=None,
          data: Mapping[str, Any] | None = None) -> Application:
    """Takes ``action`` on application ``pk`` as ``user``; returns the application in its new state."""
    data = {k: v for k, v in (data or {}).items() if v is not None}
    reason = (reason or data.get("reason") or "").strip()
    if evidence:
        evidence = uploads.accept(evidence, uploads.EVIDENCE, field="evidence")
    with transaction.atomic():
        app = locked_application(user, pk)
        _check_version(app, version)
        step = workflow.transition(action, app.state)
        require_area(user, app.area, roles=step.roles)
        if not may_take(user, app, action):
            raise PermissionDenied(_("The drafter of an application may not review or decide it."),
                                   code="drafter_may_not_review", where={"action": action})
        fields = {**data, "reason": reason}
        missing = [name for name in step.required if not str(fields.get(name) or "").strip()]
        if missing:
            labels = _(", ").join(_field_label(name) for name in missing)
            raise InputError(_("Fill in the required fields: %(fields)s.") % {"fields": labels}, code="required",
                             where={"fields": missing})
        before = snapshot(app)
        from_state = app.state
        EFFECTS.get(action, _no_effect)(app, user, fields)
        app.state = step.target
        app.version += 1
        app.save()
        ApplicationEvent.objects.create(application=app, action=action, from_state=from_state,
                                        to_state=app.state, actor=user, reason=reason,
                                        evidence=evidence or "", version=app.version)
        # The audit history names the step as its button does, never by its code (pass_check).
        said = _("%(step)s: %(reason)s") % {"step": step.label, "reason": reason} if reason else str(step.label)
        record(app, Action.TRANSITION, actor=user, before=before, reason=said)
    return app


def _field_label(name: str) -> str:
    """What a form calls a field the workflow requires (the reason is the request's, not the application's)."""
    if name == "reason":
        return pgettext("workflow field", "reason")
    return str(Application._meta.get_field(name).verbose_name)


def may_take(user, app: Application, action: str) -> bool:
    """False when ``user`` drafted ``app`` and ``action`` is a reviewer's step (workflow.REVIEW_ACTIONS)."""
    return action not in workflow.REVIEW_ACTIONS or app.created_by_id != user.pk


def _no_effect(app, user, fields) -> None:
    return None


def _on_submit(app: Application, user, fields) -> None:
    if app.type != ApplicationType.CANCELLATION and not app.proposed_name:
        raise InputError(_("Give the proposed name."), code="required", where={"fields": ["proposed_name"]})
    run_rule_check(app)


def _on_pass_check(app: Application, user, fields) -> None:
    findings = run_rule_check(app)
    errors = [f for f in findings if f.is_error]
    if errors:
        raise InputError(_("The rule check found errors; the application cannot pass: %(findings)s")
                         % {"findings": _("; ").join(f.message for f in errors)},
                         code="rule_errors", where={"codes": [f.code for f in errors]},
                         hint=_("Return it to draft, change it and submit it again."))
    unjustified = [f for f in findings if f.needs_justification]
    if unjustified:
        raise InputError(_("These warnings need a written justification: %(findings)s")
                         % {"findings": _("; ").join(f.message for f in unjustified)},
                         code="justification_required", where={"codes": [f.code for f in unjustified]})


def _on_record_review(app: Application, user, fields) -> None:
    app.expert_opinion = str(fields["expert_opinion"]).strip()


def _column_text(fields, name: str) -> str:
    """A step's text for the application's column ``name``: whole, or refused when longer than the column holds."""
    column = Application._meta.get_field(name)
    return within(fields.get(name), column.max_length, column.verbose_name, name)


MAX_CONSULTATION_DAYS = 365


def _on_open_consultation(app: Application, user, fields) -> None:
    default = setting("PLACENAMES_CONSULTATION_DAYS", 7)
    try:
        days = int(fields.get("consultation_days") or default)
    except (TypeError, ValueError):
        raise InputError(_("The days of public consultation must be a whole number."), where={"field": "consultation_days"}) from None
    if days < 1:
        raise InputError(_("Public consultation lasts at least 1 day."), where={"field": "consultation_days", "value": days})
    if days > MAX_CONSULTATION_DAYS:
        raise InputError(_("Public consultation lasts at most %(most)s days.") % {"most": MAX_CONSULTATION_DAYS},
                         where={"field": "consultation_days", "value": days})
    app.consultation_starts_on = today()
    app.consultation_ends_on = today() + dt.timedelta(days=days - 1)


def _on_close_consultation(app: Application, user, fields) -> None:
    if not app.consultation_is_over(today()):
        raise Conflict(_("Public consultation runs until %(date)s: it can be closed only after that.")
                       % {"date": app.consultation_ends_on},
                       code="consultation_running", where={"ends_on": str(app.consultation_ends_on)})
    unanswered = app.objections.filter(answer="").count()
    if unanswered:
        raise Conflict(_("%(count)s objections are still unanswered.") % {"count": unanswered}, code="objections_unanswered",
                       where={"unanswered": unanswered})


def _on_approve(app: Application, user, fields) -> None:
    app.approving_authority = _column_text(fields, "approving_authority")
    app.approval_reference = _column_text(fields, "approval_reference")
    app.decision_reason = fields.get("reason", "")
    app.approved_on = today()
    app.filing_due_on = app.approved_on + dt.timedelta(days=setting("PLACENAMES_FILING_DAYS", 15))
    app.announcement_due_on = app.approved_on + dt.timedelta(days=setting("PLACENAMES_ANNOUNCEMENT_DAYS", 15))
    {ApplicationType.NAMING: _create_place, ApplicationType.RENAMING: _rename_place,
     ApplicationType.CANCELLATION: _retire_place}[app.type](app, user)


def _on_reject(app: Application, user, fields) -> None:
    app.decision_reason = fields["reason"]


def _on_file(app: Application, user, fields) -> None:
    app.filed_with = _column_text(fields, "filed_with")
    app.filing_reference = _column_text(fields, "filing_reference")
    app.filed_on = today()


def _on_announce(app: Application, user, fields) -> None:
    app.announcement_reference = _column_text(fields, "announcement_reference")
    app.announced_on = today()
    if app.type == ApplicationType.NAMING and app.place_id:
        place = Place.objects.select_for_update().get(pk=app.place_id)
        before = snapshot(place)
        place.status = PlaceStatus.IN_USE
        place.version += 1
        place.save()
        record(place, Action.UPDATE, actor=user, before=before, reason=_("Announcement %(reference)s") % {"reference": app.announcement_reference})


EFFECTS = {
    "submit": _on_submit,
    "pass_check": _on_pass_check,
    "record_review": _on_record_review,
    "open_consultation": _on_open_consultation,
    "close_consultation": _on_close_consultation,
    "approve": _on_approve,
    "reject": _on_reject,
    "file": _on_file,
    "announce": _on_announce,
}


# --- what approval does to places --------------------------------------------------------------------------


def _name_version(app: Application, place: Place) -> PlaceName:
    return PlaceName(place=place, specific=app.specific, generic=app.generic, full_name=app.proposed_name,
                     pinyin=app.pinyin, pinyin_overridden=app.pinyin_overridden, meaning=app.meaning,
                     origin=app.origin, valid_from=app.approved_on,
                     approval_reference=app.approval_reference or app.reference)


def _copy_name(place: Place, app: Application) -> None:
    place.name = app.proposed_name
    place.pinyin = app.pinyin
    place.pinyin_key = pinyin_key(app.proposed_name)
    place.initials = initials_key(app.proposed_name)


def _create_place(app: Application, user) -> None:
    """A naming creates the place, proposed until the name is announced."""
    place = Place(kind=app.kind, geom=app.geom, area=app.area, status=PlaceStatus.PROPOSED,
                  location_description=app.location_description)
    _copy_name(place, app)
    place.save()
    _name_version(app, place).save()
    app.place = place
    record(place, Action.CREATE, actor=user, reason=_("Naming approved %(reference)s") % {"reference": app.reference})


def _locked_place(app: Application) -> Place:
    place = Place.objects.select_for_update().get(pk=app.place_id)
    if place.status != PlaceStatus.IN_USE:
        raise Conflict(_("The place “%(name)s” is no longer in use (%(status)s).")
                       % {"name": place.name, "status": place.get_status_display()},
                       code="place_not_in_use", where={"place": str(place.uuid)})
    return place


def _close_current_name(place: Place, on: dt.date) -> None:
    current = place.names.current().first()
    if current is None:
        return
    if current.valid_from >= on:
        raise Conflict(_("The current name took effect on %(date)s: it cannot be renamed or cancelled the same day.")
                       % {"date": current.valid_from},
                       code="name_period_empty", where={"valid_from": str(current.valid_from)})
    current.valid_to = on
    current.save(update_fields=["valid_to"])


def _rename_place(app: Application, user) -> None:
    """A renaming closes the current name and opens the new one; the place keeps its UUID."""
    place = _locked_place(app)
    before = snapshot(place)
    _close_current_name(place, app.approved_on)
    _name_version(app, place).save()
    _copy_name(place, app)
    if app.location_description:
        place.location_description = app.location_description
    place.version += 1
    place.save()
    record(place, Action.UPDATE, actor=user, before=before, reason=_("Renaming approved %(reference)s") % {"reference": app.reference})


def _retire_place(app: Application, user) -> None:
    place = _locked_place(app)
    before = snapshot(place)
    _close_current_name(place, app.approved_on)
    place.status = PlaceStatus.RETIRED
    place.version += 1
    place.save()
    record(place, Action.UPDATE, actor=user, before=before, reason=_("Cancellation approved %(reference)s") % {"reference": app.reference})


# --- due dates ---------------------------------------------------------------------------------------------


def overdue_applications(user, on: dt.date | None = None):
    """Approved applications whose filing (备案) or announcement (公告) is past its due date."""
    on = on or today()
    return visible_applications(user).overdue(on).order_by("approved_on", "id")
