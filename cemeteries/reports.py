"""Reports of new graves and rebounds (新坟、反弹举报) and their triage into the register.

A citizen reports on the public page (no login, rate-limited by core.ratelimit, a photo judged by its content); a
crew reports through the API. An officer of the report's region then registers it as a new grave, links it to an
existing grave as a rebound (the grave's lifecycle reopens it), or dismisses it with a reason; each is audited.
The reporter's contact is personal data (declared private, shown to the region's officers only).
"""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import require_area, scope
from audit.models import Action
from audit.services import record, snapshot
from cemeteries.campaign_models import GraveReport, ReportKind, ReportSource, ReportStatus
from cemeteries.models import Grave, GraveState, PhotoRole
from core.uploads import accept_photo
from gis.errors import Conflict, IllegalTransition, InputError

PHOTO_MAX_BYTES = 10 << 20
TRIAGE_ROLES = (Role.OFFICER,)
MAX_TEXT = 2000


def _clean_text(value: str, field: str, most: int) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > most or "\x00" in value:
        raise InputError(_("This text is too long or holds characters that cannot be stored."), where={"field": field})
    return value


def _place(lon, lat):
    from cemeteries.services import grave_location, place_of

    point = grave_location({"type": "Point", "coordinates": [lon, lat]})
    try:
        area, _township = place_of(point)
    except InputError:
        area = None  # inside the service area but outside every admin area: the city's officers triage it
    return point, area


@transaction.atomic
def submit_report(*, source: str, kind: str, lon, lat, description: str = "", photo=None, contact: str = "",
                  reporter=None) -> GraveReport:
    if kind not in ReportKind.values:
        raise InputError(_("Say whether this is a new grave or a rebound."), where={"field": "kind"})
    point, area = _place(lon, lat)
    if photo is not None:
        photo = accept_photo(photo, field="photo", max_bytes=PHOTO_MAX_BYTES)
    elif source == ReportSource.CITIZEN:
        raise InputError(_("Add a photo of the grave."), code="photo_required", where={"field": "photo"})
    report = GraveReport.objects.create(
        source=source, kind=kind, geom=point, area=area, photo=photo or "", reporter=reporter,
        description=_clean_text(description, "description", MAX_TEXT), contact=_clean_text(contact, "contact", 100))
    record(report, Action.CREATE, actor=reporter, after=snapshot(report, exclude=("contact",)))
    return report


def triage_queue(user):
    """The reports in the user's regions (those outside every area only for the whole city's officers)."""
    from accounts.scoping import area_prefixes, has_role

    if not has_role(user, *TRIAGE_ROLES):
        return GraveReport.objects.none()
    from boundaries.models import AdminArea

    reports = GraveReport.objects.select_related("area", "grave")
    prefixes = area_prefixes(user)
    if prefixes is None:
        return reports
    cities = {a.prefix for a in AdminArea.objects.filter(level="city").only("code12", "level")}
    if cities & set(prefixes):  # a whole city's officer also triages the reports that fell outside every area
        return reports.filter(Q(area__isnull=True) | Q(pk__in=scope(GraveReport.objects.all(), user, "area")
                                                        .values("pk")))
    return scope(reports, user, "area")


def _open(report: GraveReport, actor) -> GraveReport:
    current = GraveReport.objects.select_for_update().get(pk=report.pk)
    if current.area is None:
        from accounts.scoping import area_prefixes

        if area_prefixes(actor) is not None:
            require_area(actor, None, roles=TRIAGE_ROLES)
    else:
        require_area(actor, current.area, roles=TRIAGE_ROLES)
    if current.status != ReportStatus.NEW:
        raise Conflict(_("This report has already been triaged."), code="already_triaged")
    return current


def _close(report: GraveReport, actor, status: str, *, grave=None, note: str = "") -> GraveReport:
    before = snapshot(report, exclude=("contact",))
    report.status, report.grave = status, grave
    report.triaged_by, report.triaged_at = actor, timezone.now()
    report.triage_note = _clean_text(note, "note", MAX_TEXT)
    report.save()
    record(report, Action.TRANSITION, actor=actor, before=before, after=snapshot(report, exclude=("contact",)),
           reason=report.triage_note)
    return report


def _photo_to(grave: Grave, report: GraveReport, actor):
    from django.core.files.base import ContentFile

    from cemeteries.services import add_photo

    if not report.photo:
        return None
    with report.photo.open("rb") as f:
        upload = ContentFile(f.read(), name=report.photo.name.rsplit("/", 1)[-1])
    return add_photo(grave, actor, upload, role=PhotoRole.BEFORE)


@transaction.atomic
def accept_as_new(report: GraveReport, actor, *, grade: str = "B", form: str = "earth", tomb_count: int = 1,
                  note: str = "") -> GraveReport:
    """Registers the reported place as a new grave (identified), with the report's photo."""
    from cemeteries.services import register_grave

    current = _open(report, actor)
    grave = register_grave(actor, geom=Point(current.geom.x, current.geom.y, srid=current.geom.srid), grade=grade,
                           form=form, tomb_count=tomb_count, source="report",
                           note=_clean_text(current.description, "description", MAX_TEXT))
    _photo_to(grave, current, actor)
    return _close(current, actor, ReportStatus.ACCEPTED, grave=grave, note=note)


@transaction.atomic
def link_as_rebound(report: GraveReport, actor, grave: Grave, *, note: str = "") -> GraveReport:
    """Links the report to an accepted grave and reopens it (反弹); a grave not accepted cannot rebound."""
    from cemeteries.services import advance, visible_graves

    current = _open(report, actor)
    if not visible_graves(actor).filter(pk=grave.pk).exists():
        raise InputError(_("No such grave in your region."), code="unknown_grave", where={"field": "grave"})
    if grave.state != GraveState.ACCEPTED:
        raise IllegalTransition(_("Only a remediated grave accepted by the township can rebound; this one is %(state)s.")
                                % {"state": grave.get_state_display()}, code="not_accepted")
    photo = _photo_to(grave, current, actor)
    advance(grave, actor, GraveState.REBOUNDED, version=grave.version,
            remarks=_("Rebound reported (%(source)s): %(text)s") % {"source": current.get_source_display(),
                                                                    "text": current.description[:200]},
            photos=[photo] if photo else [])
    return _close(current, actor, ReportStatus.LINKED, grave=grave, note=note)


@transaction.atomic
def dismiss(report: GraveReport, actor, *, note: str) -> GraveReport:
    current = _open(report, actor)
    if not (note or "").strip():
        raise InputError(_("Say why the report is dismissed."), code="reason_required", where={"field": "note"})
    return _close(current, actor, ReportStatus.DISMISSED, note=note)


def graves_near(report: GraveReport, user, metres: float = 150.0) -> list:
    """The graves the user sees within ``metres`` of the report, nearest first: candidates for a rebound."""
    from django.contrib.gis.db.models.functions import Distance
    from django.contrib.gis.measure import D

    from cemeteries.services import visible_graves

    point = report.geom.transform(4549, clone=True)
    return list(visible_graves(user).filter(geom_4549__dwithin=(point, D(m=metres)))
                .annotate(distance=Distance("geom_4549", point)).select_related("township").order_by("distance")[:20])
