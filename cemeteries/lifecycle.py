"""A grave's remediation lifecycle: which step may follow which, who may take it and what it needs.

    identified (排查) → checked (核实) → notified (告知书, with a deadline) → in remediation
        → remediated (by a method; a relocated grave names its public cemetery) → accepted (验收, by the township's
        officer, with a photo from the road) → re-checked every CEMETERIES_RECHECK_DAYS
    remediated → in remediation (acceptance refused); accepted → rebounded (反弹) → checked → ...

A protected historic grave is never notified or remediated: it stays identified or checked, listed apart.
Every step is a GraveStep and an audit-log change (before, after, who, when) in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.models import Action
from audit.services import record, snapshot
from cemeteries.access import is_crew, is_officer_of, require_crew_or_officer, require_officer
from cemeteries.models import (
    Grave,
    GraveState,
    GraveStep,
    PhotoRole,
    PublicCemetery,
    RemediationMethod,
    StepKind,
)
from gis.errors import IllegalTransition, InputError

S = GraveState
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.IDENTIFIED: (S.CHECKED,),
    S.CHECKED: (S.NOTIFIED,),
    S.NOTIFIED: (S.IN_REMEDIATION,),
    S.IN_REMEDIATION: (S.REMEDIATED,),
    S.REMEDIATED: (S.ACCEPTED, S.IN_REMEDIATION),
    S.ACCEPTED: (S.REBOUNDED,),
    S.REBOUNDED: (S.CHECKED,),
}
# Steps only an officer takes (the notice is the bureau's; acceptance is the township's); the assigned crew takes
# the others.
OFFICER_STEPS = (S.NOTIFIED, S.ACCEPTED)
NEVER_FOR_PROTECTED = (S.NOTIFIED, S.IN_REMEDIATION, S.REMEDIATED, S.ACCEPTED)
DEFAULT_RECHECK_DAYS = 90
DEFAULT_NOTICE_DAYS = 30


def recheck_days() -> int:
    return int(getattr(settings, "CEMETERIES_RECHECK_DAYS", DEFAULT_RECHECK_DAYS))


def legal_next(grave: Grave) -> tuple[str, ...]:
    """The states ``grave`` may go to next."""
    steps = TRANSITIONS.get(grave.state, ())
    if grave.protected:
        steps = tuple(s for s in steps if s not in NEVER_FOR_PROTECTED)
    return steps


def next_states_for(user, grave: Grave) -> tuple[str, ...]:
    """The states ``user`` may take ``grave`` to next (what ``advance`` would let them): all legal ones for the
    region's officers, those not OFFICER_STEPS for the assigned crew, none for anyone who only reads the grave."""
    if is_officer_of(user, grave):
        return legal_next(grave)
    if is_crew(user, grave):
        return tuple(s for s in legal_next(grave) if s not in OFFICER_STEPS)
    return ()


def _locked(grave: Grave, version: int | None) -> Grave:
    current = Grave.objects.select_for_update(of=("self",)).select_related("area", "township").get(pk=grave.pk)
    current.check_version(version)
    return current


def _refuse(current: Grave, to_state: str) -> IllegalTransition:
    if current.protected and to_state in NEVER_FOR_PROTECTED:
        return IllegalTransition(_("A protected historic grave is never remediated."), code="protected_grave",
                                 where={"from": current.state, "to": to_state})
    return IllegalTransition(
        _("A grave cannot go from %(before)s to %(after)s.")
        % {"before": current.get_state_display(), "after": GraveState(to_state).label},
        where={"from": current.state, "to": to_state})


def _check_photos(current: Grave, photos) -> None:
    """Before anything is written, so a refused step changes nothing."""
    if any(photo.grave_id != current.pk for photo in photos):
        raise InputError(_("A photo of another grave cannot be attached."), where={"field": "photos"})


def _check_needs(current: Grave, to_state: str, *, method, cemetery, deadline) -> None:
    if to_state == S.REMEDIATED:
        if method not in RemediationMethod.values:
            raise InputError(_("Say how the grave was remediated."), code="method_required",
                             where={"field": "method"})
        if cemetery is not None and method != RemediationMethod.RELOCATED:
            raise InputError(_("Only a grave moved to a public cemetery names a cemetery."),
                             where={"field": "cemetery"})
    if to_state == S.NOTIFIED and deadline is not None and deadline < timezone.localdate():
        raise InputError(_("The deadline of the notice lies in the past."), code="deadline_past",
                         where={"field": "deadline"})
    if to_state == S.ACCEPTED and not current.photos.filter(role=PhotoRole.ROAD).exists():
        raise InputError(_("Acceptance needs a photo taken from the road."), code="road_photo_required",
                         where={"field": "photos"})


def _apply(current: Grave, to_state: str, *, method, cemetery, deadline) -> None:
    today = timezone.localdate()
    if to_state == S.NOTIFIED:
        current.notice_deadline = deadline or today + dt.timedelta(days=DEFAULT_NOTICE_DAYS)
    elif to_state == S.REMEDIATED:
        current.method, current.cemetery, current.remediated_on = method, cemetery, today
        if cemetery is not None and cemetery.free_plots > 0:
            PublicCemetery.objects.filter(pk=cemetery.pk, free_plots__gt=0).update(
                free_plots=cemetery.free_plots - 1)
    elif to_state == S.ACCEPTED:
        current.accepted_on = today
        current.recheck_due_on = today + dt.timedelta(days=recheck_days())
    elif to_state == S.REBOUNDED:
        current.rebounds += 1
        current.accepted_on = current.recheck_due_on = None
    elif to_state == S.CHECKED and current.state == S.REBOUNDED:
        current.method, current.remediated_on = "", None
    current.state = to_state


def _step(current: Grave, actor, kind: str, before: dict, *, from_state: str, remarks: str, client_ref: str,
          photos=()) -> GraveStep:
    current.version += 1
    current.save()
    step = GraveStep.objects.create(grave=current, kind=kind, from_state=from_state, to_state=current.state,
                                    method=current.method if current.state == S.REMEDIATED else "", actor=actor,
                                    remarks=remarks, client_ref=client_ref)
    for photo in photos:
        photo.step = step
        photo.save(update_fields=["step"])
    record(current, Action.TRANSITION, actor=actor, before=before, reason=remarks, client_ref=client_ref)
    return step


@transaction.atomic
def advance(grave: Grave, actor, to_state: str, *, version: int | None, method: str = "",
            cemetery: PublicCemetery | None = None, deadline: dt.date | None = None, remarks: str = "",
            photos=(), client_ref: str = "") -> Grave:
    """Takes ``grave`` to ``to_state`` (see TRANSITIONS), or refuses the step with IllegalTransition."""
    current = _locked(grave, version)
    if to_state in OFFICER_STEPS:
        require_officer(actor, current)
    else:
        require_crew_or_officer(actor, current)
    if to_state not in GraveState.values:
        raise InputError(_("Unknown state: %(state)s") % {"state": str(to_state)[:40]}, code="unknown_state",
                         where={"field": "state"})
    if to_state not in legal_next(current):
        raise _refuse(current, to_state)
    _check_photos(current, photos)
    _check_needs(current, to_state, method=method, cemetery=cemetery, deadline=deadline)
    before, from_state = snapshot(current), current.state
    _apply(current, to_state, method=method, cemetery=cemetery, deadline=deadline)
    kind = StepKind.REBOUND if to_state == S.REBOUNDED else StepKind.TRANSITION
    _step(current, actor, kind, before, from_state=from_state, remarks=remarks, client_ref=client_ref, photos=photos)
    return current


@transaction.atomic
def recheck(grave: Grave, actor, *, version: int | None, holds: bool = True, remarks: str = "", photos=(),
            client_ref: str = "") -> Grave:
    """A re-check of an accepted grave: it holds (next re-check in CEMETERIES_RECHECK_DAYS), or it rebounded."""
    if not holds:
        return advance(grave, actor, S.REBOUNDED, version=version, remarks=remarks, photos=photos,
                       client_ref=client_ref)
    current = _locked(grave, version)
    require_crew_or_officer(actor, current)
    if current.state != S.ACCEPTED:
        raise IllegalTransition(_("Only an accepted grave is re-checked."), code="not_accepted",
                                where={"state": current.state})
    _check_photos(current, photos)
    before = snapshot(current)
    today = timezone.localdate()
    current.rechecked_on, current.recheck_due_on = today, today + dt.timedelta(days=recheck_days())
    _step(current, actor, StepKind.RECHECK, before, from_state=current.state, remarks=remarks,
          client_ref=client_ref, photos=photos)
    return current


def step_roles(to_state: str) -> tuple[str, ...]:
    return (Role.OFFICER,) if to_state in OFFICER_STEPS else (Role.OFFICER, Role.FIELD_CREW)
