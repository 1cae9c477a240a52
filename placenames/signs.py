"""Place-name signs (地名标志, GB 17733): registering a sign, its life (installed, damaged, repaired, removed) as
maintenance records, photos, and a damage report from anyone becoming a task (placenames.sign_tasks)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from accounts.scoping import area_prefixes, can_act_in, has_role
from audit.models import Action
from audit.services import record, snapshot
from core import uploads
from core.params import within
from gis.errors import Conflict, InputError, NotFound, PermissionDenied
from gis.intake import intake_point, parse_lonlat
from placenames.models import Place, PlaceStatus, Sign, SignEvent, SignPhoto, SignReport, SignState, SignType
from placenames.registry_models import ReportState, SignMaterial

EDIT_ROLES = (Role.OFFICER, Role.FIELD_CREW)
S = SignState
# action -> (states it starts from, state it leads to, what the record says)
TRANSITIONS = {
    "install": ((S.PLANNED, S.REMOVED), S.INSTALLED, gettext_lazy("installed")),
    "inspect": ((S.INSTALLED,), S.INSTALLED, gettext_lazy("inspected, in good order")),
    "report_damage": ((S.INSTALLED,), S.DAMAGED, gettext_lazy("found damaged")),
    "start_repair": ((S.DAMAGED,), S.UNDER_REPAIR, gettext_lazy("repair started")),
    "repair": ((S.DAMAGED, S.UNDER_REPAIR), S.INSTALLED, gettext_lazy("repaired")),
    "remove": ((S.PLANNED, S.INSTALLED, S.DAMAGED, S.UNDER_REPAIR), S.REMOVED, gettext_lazy("removed")),
}
# what a sign's maintenance record calls each step (the transitions', and the two a person does not choose)
ACTION_LABELS = {"register": gettext_lazy("registered"), "reported": gettext_lazy("reported damaged by the public"),
                 **{name: label for name, (_sources, _target, label) in TRANSITIONS.items()}}
TYPE_BY_KIND = {"road": SignType.ROAD, "street": SignType.ROAD, "lane": SignType.ROAD, "avenue": SignType.ROAD,
                "building": SignType.BUILDING, "village": SignType.VILLAGE, "residential": SignType.RESIDENTIAL,
                "bridge": SignType.BRIDGE, "natural": SignType.NATURAL}
PHOTO_MAX_BYTES = 10 << 20


def require_editor(user) -> None:
    if not has_role(user, *EDIT_ROLES):
        raise PermissionDenied(_("Signs are kept by officers and field crews."), code="role_required")


def visible_signs(user):
    require_editor(user)
    return Sign.objects.in_prefixes(area_prefixes(user)).select_related("place", "area")


def sign_for(user, pk) -> Sign:
    sign = visible_signs(user).filter(pk=pk).first()
    if sign is None:
        raise NotFound(_("No such sign."), code="not_found")
    return sign


@transaction.atomic
def register(user, *, place: Place, lon, lat, type: str = "", material: str = SignMaterial.ALUMINIUM,
             installed_on: dt.date | None = None, shown_name: str = "") -> Sign:
    """A new sign for ``place``, planned, or installed when it has an installation date."""
    require_editor(user)
    if place.status != PlaceStatus.IN_USE:
        raise InputError(_("A sign shows a name in use."), where={"field": "place"})
    lon, lat = parse_lonlat(str(lon or ""), str(lat or ""))
    geom = intake_point(lon, lat, crs="EPSG:4490", field="lon").geometry
    if not can_act_in(user, place.area):
        raise PermissionDenied(_("This place is outside the areas you work in."), code="out_of_region")
    type = type or TYPE_BY_KIND.get(place.kind.code, SignType.ROAD)
    if type not in SignType.values:
        raise InputError(_("Unknown sign type."), where={"field": "type"})
    if material not in SignMaterial.values:
        raise InputError(_("Unknown material."), where={"field": "material"})
    sign = Sign.objects.create(place=place, type=type, shown_name=(shown_name or place.name)[:100],
                               shown_pinyin=place.pinyin, geom=geom, area=place.area, material=material,
                               installed_on=installed_on,
                               state=S.INSTALLED if installed_on else S.PLANNED)
    SignEvent.objects.create(sign=sign, action="register", from_state=sign.state, to_state=sign.state,
                             actor=user, note="")
    record(sign, Action.CREATE, actor=user)
    return sign


@transaction.atomic
def act(user, sign_pk, action: str, *, note: str = "", version: int | None = None,
        on: dt.date | None = None) -> Sign:
    """One step of a sign's life, kept as a maintenance record; a stale version is refused."""
    require_editor(user)
    sign = Sign.objects.select_for_update().filter(pk=sign_pk).in_prefixes(area_prefixes(user)).first()
    if sign is None:
        raise NotFound(_("No such sign."), code="not_found")
    if version is not None and version != sign.version:
        raise Conflict(_("Someone else changed this sign meanwhile: reload it and try again."),
                       code="stale_version")
    if action not in TRANSITIONS:
        raise InputError(_("Unknown action."), where={"field": "action"})
    sources, target, _label = TRANSITIONS[action]
    if sign.state not in sources:
        raise Conflict(_("This sign is %(state)s: it cannot be %(action)s.")
                       % {"state": sign.get_state_display(), "action": TRANSITIONS[action][2]},
                       code="wrong_state")
    before = sign.state
    sign.state, sign.version = target, sign.version + 1
    if action == "install":
        sign.installed_on = on or timezone.localdate()
    sign.save()
    SignEvent.objects.create(sign=sign, action=action, from_state=before, to_state=target, note=within(note, 2000, _("The note"), "note"),
                             actor=user)
    if target == S.INSTALLED and before in (S.DAMAGED, S.UNDER_REPAIR):
        _close_reports(sign, user, note or str(TRANSITIONS[action][2]))
    record(sign, Action.TRANSITION, actor=user, reason=note)
    return sign


# A report's audit rows leave out the reporter's contact (anyone's phone number, for the office only).
REPORT_PRIVATE = ("contact",)


def report_snapshot(report: SignReport) -> dict:
    return snapshot(report, exclude=REPORT_PRIVATE)


def _close_reports(sign: Sign, user, outcome: str) -> None:
    """Every open report of a repaired sign is done, each with its audit row (who, when, before, after)."""
    for report in sign.reports.select_for_update().filter(state__in=(ReportState.OPEN, ReportState.ASSIGNED)):
        before = report_snapshot(report)
        report.state, report.closed_at, report.outcome = ReportState.DONE, timezone.now(), outcome[:2000]
        report.save(update_fields=["state", "closed_at", "outcome"])
        record(report, Action.UPDATE, actor=user, before=before, after=report_snapshot(report), reason=outcome)


def add_photo(user, sign_pk, upload, caption: str = "") -> SignPhoto:
    sign = sign_for(user, sign_pk)
    upload = uploads.accept_photo(upload, field="photo", max_bytes=PHOTO_MAX_BYTES)
    return SignPhoto.objects.create(sign=sign, file=upload, caption=within(caption, 100, _("The caption"), "caption"))


# --- anyone's damage report --------------------------------------------------------------------------------------


def public_sign(token) -> Sign | None:
    """The sign a QR code names, when it still stands and shows a name in use."""
    return (Sign.objects.filter(qr_token=token, place__status=PlaceStatus.IN_USE).exclude(state=S.REMOVED)
            .select_related("place").first())


@transaction.atomic
def report_damage(token, *, text: str, contact: str = "") -> SignReport:
    """A report from anyone (no login): it opens a task, and an installed sign is marked damaged."""
    text = (text or "").strip()
    if not text:
        raise InputError(_("Say what is wrong with the sign."), code="missing_value", where={"field": "text"})
    if len(text) > 1000 or len(contact) > 100:
        raise InputError(_("The report is too long."), code="value_too_long", where={"field": "text"})
    sign = Sign.objects.select_for_update().filter(qr_token=token).exclude(state=S.REMOVED).first()
    if sign is None:
        raise NotFound(_("No such sign."), code="not_found")
    report = SignReport.objects.create(sign=sign, text=text, contact=contact.strip())
    record(report, Action.CREATE, after=report_snapshot(report))
    if sign.state == S.INSTALLED:
        sign.state, sign.version = S.DAMAGED, sign.version + 1
        sign.save(update_fields=["state", "version", "updated_at"])
        SignEvent.objects.create(sign=sign, action="reported", from_state=S.INSTALLED, to_state=S.DAMAGED,
                                 note=text[:2000])
    return report
