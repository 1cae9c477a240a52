"""Office pages: the grave register (/cemeteries/, filtered and paged), a grave's page (map, tags, steps, photos,
the officer's step form) and its printable notice (告知书, PDF), and the photos, served only to those who may read
the grave. Reads go through cemeteries.access, writes through cemeteries.services."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from accounts.scoping import has_role
from audit.privacy import without
from audit.services import history
from boundaries.models import AdminArea, Level
from cemeteries import api, services
from cemeteries.access import can_crew, hidden_fields, visible_graves
from cemeteries.campaigns import CAMPAIGN_ROLES, visible_campaigns
from cemeteries.models import (
    Corridor,
    CorridorKind,
    Exposure,
    GraveState,
    PublicCemetery,
    RemediationMethod,
    Zone,
    ZoneKind,
)
from core import params as typed
from core.uploads import attachment, display_name
from gis.errors import DimingError, InputError, PermissionDenied

PAGE_SIZE = 50
# what the register's filter form calls each filter (a hand-typed address is refused in these words)
FILTER_LABELS = {"area": gettext_lazy("township"), "state": gettext_lazy("state"),
                 "grade": gettext_lazy("exposure grade"), "corridor": gettext_lazy("corridor"),
                 "campaign": pgettext_lazy("remediation", "campaign"), "late": gettext_lazy("Late steps only")}
INTERNAL_COLUMNS = ("id", "uuid", "version", "created_at", "updated_at")


def _townships(user):
    codes = visible_graves(user).values("township")
    return AdminArea.objects.filter(pk__in=codes, level=Level.TOWNSHIP).order_by("code12")


@login_required
@require_GET
def register(request):
    """The grave register: filters by township, state, grade, corridor, campaign and late steps; 50 a page. Each
    row says when its next step is due and how many days late it is (the campaign dashboard's overdue steps link
    here)."""
    params = request.GET
    qs = api.filtered_graves(request, params, labels=FILTER_LABELS)
    page = Paginator(qs, PAGE_SIZE).get_page(typed.integer(params, "page", 1, low=1, high=10**6,
                                                           label=_("The page number")))
    today = timezone.localdate()
    for grave in page:
        grave.due = grave.step_due(today)
    filters = {name: params.get(name, "") for name in ("area", "state", "grade", "corridor", "campaign", "late")}
    visible = visible_graves(request.user)
    campaigns = visible_campaigns(request.user) if has_role(request.user, *CAMPAIGN_ROLES) else []
    return render(request, "cemeteries/register.html", {
        "title": _("Grave register"), "page": page, "filters": filters, "query": typed.query(**filters),
        "townships": _townships(request.user), "states": GraveState.choices, "grades": Exposure.choices,
        "corridors": Corridor.objects.order_by("kind", "name"), "campaigns": campaigns,
        "open_count": visible.open().remediable().count(), "protected_count": visible.protected().count(),
        "accepted_count": visible.filter(state=GraveState.ACCEPTED).count(),
    })


def _map_data(grave) -> dict:
    corridors = Corridor.objects.filter(tags__grave=grave).distinct()
    return {"grave": [grave.geom.x, grave.geom.y],
            "outline": grave.outline.coords[0] if grave.outline else None,
            "corridors": [{"name": c.name, "geometry": {"type": "MultiLineString", "coordinates": c.geom.coords}}
                          for c in corridors]}


def _visible_changes(grave, user):
    hidden = hidden_fields(user, grave)
    rows = []
    for change in history(grave)[:50]:
        before, after = without(change.before, hidden) or {}, without(change.after, hidden) or {}
        changed = [] if change.action == "create" else sorted(
            k for k in set(before) | set(after) if before.get(k) != after.get(k) and k not in INTERNAL_COLUMNS)
        labels = []
        for name in changed:
            try:
                labels.append(str(grave._meta.get_field(name.removesuffix("_id")).verbose_name))
            except Exception:  # noqa: BLE001  a column no longer on the model: shown by nothing
                continue
        rows.append({"at": change.at, "action": change.get_action_display(), "actor": change.actor,
                     "changed": labels, "reason": change.reason})
    return rows


@login_required
@require_GET
def grave_page(request, uuid):
    return _grave_page(request, api._grave(request, uuid))


def _grave_page(request, grave, *, refused: str = ""):
    """The grave's page; a refused form ("step", "crew") comes back on it as it was sent (status 400)."""
    crew = list(grave.crew.order_by("username"))
    hidden = hidden_fields(request.user, grave)
    officer = services.is_officer_of(request.user, grave)
    may_step = officer or services.is_crew(request.user, grave)
    return render(request, "cemeteries/grave.html", {
        "title": _("Grave %(id)s") % {"id": grave.short_id}, "grave": grave, "owner_visible": not hidden,
        "due": grave.step_due(timezone.localdate()),
        "tags": services.tags_of(grave),
        "steps": grave.steps.select_related("actor").prefetch_related("photos"),
        "photos": grave.photos.all(), "changes": _visible_changes(grave, request.user),
        "next_states": [(s, GraveState(s).label) for s in services.next_states_for(request.user, grave)],
        "may_recheck": may_step and grave.state == GraveState.ACCEPTED,
        "methods": RemediationMethod.choices, "cemeteries": PublicCemetery.objects.order_by("name"),
        "map_data": _map_data(grave), "officer": officer,
        "crew": crew, "crew_choices": _crew_choices(grave) if officer else [],
        "ticked": ({str(pk) for pk in request.POST.getlist("crew")} if refused == "crew"
                   else {str(user.pk) for user in crew}),
        "today": timezone.localdate(), "photos_again": refused == "step" and bool(request.FILES),
        "step": typed.form_values(request, refused == "step", recheck="", to="", method="", cemetery="", remarks="",
                                  deadline=(timezone.localdate() + dt.timedelta(days=30)).isoformat()),
    }, status=400 if refused else 200)


def _crew_choices(grave):
    """The field crew who work in the grave's region (the officer assigns from these)."""
    users = get_user_model().objects.filter(groups__name=Role.FIELD_CREW, is_active=True).order_by("username")
    return [u for u in users.distinct() if can_crew(u, grave)]


@login_required
@require_POST
def grave_crew(request, uuid):
    grave = api._grave(request, uuid)
    try:
        version = typed.form_version(request.POST)
        wanted = set(request.POST.getlist("crew"))
        users = [u for u in _crew_choices(grave) if str(u.pk) in wanted]
        if len(users) != len(wanted):  # a person no longer offered (moved, made inactive) or never offered
            raise InputError(_("Someone chosen can no longer be assigned to this grave: reload the page."),
                             code="not_crew_here", where={"field": "crew"})
        services.assign_crew(grave, request.user, users, version=version)
    except DimingError as error:
        messages.error(request, error.message)
        return _grave_page(request, grave, refused="crew")  # the ticks made stay
    messages.success(request, _("The crew is assigned."))
    return redirect("cemeteries:grave", uuid=grave.uuid)


def _step_photos(request, grave):
    photos = []
    for role in ("before", "after", "road"):
        upload = request.FILES.get(f"photo_{role}")
        if upload is not None:
            photos.append(services.add_photo(grave, request.user, upload, role=role))
    return photos


@login_required
@require_POST
def grave_step(request, uuid):
    """The page's step form: a state change or a re-check, with photos; errors come back as a message."""
    grave = api._grave(request, uuid)
    post = request.POST
    try:
        version = typed.form_version(post)
        remarks = api._text(post, "remarks", api.TEXT_FIELDS["remarks"])
        with transaction.atomic():
            photos = _step_photos(request, grave)
            if post.get("recheck"):
                services.recheck(grave, request.user, version=version, holds=post.get("recheck") == "holds",
                                 remarks=remarks, photos=photos)
            else:
                services.advance(grave, request.user, str(post.get("to", ""))[:20], version=version,
                                 method=str(post.get("method", ""))[:20], cemetery=api._cemetery(post),
                                 deadline=api._deadline(post), remarks=remarks, photos=photos)
    except DimingError as error:
        messages.error(request, error.message)
        return _grave_page(request, grave, refused="step")
    messages.success(request, _("The step is recorded."))
    return redirect("cemeteries:grave", uuid=grave.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def zone_import(request):
    """Importing zones or corridors from a GeoPackage or GeoJSON file (administrators: they apply to every region),
    as a background job whose page follows its progress and then lists every row, saved or refused with its reason
    (cemeteries.jobs)."""
    from cemeteries.jobs import IMPORT
    from jobs import services as jobs

    if not has_role(request.user):
        raise PermissionDenied(_("Only administrators import zones and corridors."), code="role_required")
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        what = "corridors" if request.POST.get("what") == "corridors" else "zones"
        kinds = CorridorKind.values if what == "corridors" else ZoneKind.values
        kind = request.POST.get("kind") or None
        commit = "all" if request.POST.get("commit") == "all" else "valid"
        try:
            if upload is None:
                raise InputError(_("Choose a file to import."), code="file_required")
            if kind is not None and kind not in kinds:
                raise InputError(_("This kind is not one of the kinds of what the file holds."), code="unknown_kind",
                                 where={"field": "kind"})
            upload.name = display_name(upload.name)
            suffix = Path(upload.name).suffix.lower()
            if suffix not in (".gpkg", ".geojson", ".json"):
                raise InputError(_("Zones and corridors are imported from a GeoPackage (.gpkg) or a GeoJSON file "
                                   "(.geojson)."), code="unsupported_format")
        except DimingError as exc:
            error = exc.message
        else:
            title = (_("Corridor import: %(file)s") if what == "corridors" else _("Zone import: %(file)s")) \
                % {"file": upload.name}
            job = jobs.submit(IMPORT.name, request.user, title=title, upload=upload, params={
                "what": what, "kind": kind, "commit": commit, "file_name": upload.name,
                "format": "gpkg" if suffix == ".gpkg" else "geojson"})
            return redirect("jobs:job", uuid=job.uuid)
    return render(request, "cemeteries/zone_import.html", {
        "title": _("Import zones and corridors"), "kinds": ZoneKind.choices, "corridor_kinds": CorridorKind.choices,
        "error": error, "zones": Zone.objects.order_by("kind", "name")[:200], "zone_count": Zone.objects.count(),
        "corridors": Corridor.objects.order_by("kind", "name")[:200], "corridor_count": Corridor.objects.count()},
        status=400 if error else 200)


@login_required
@require_GET
def grave_photo(request, uuid, photo_uuid):
    photo = api.photo_or_404(request, uuid, photo_uuid)
    return attachment(photo.image, f"{photo.role}-{str(photo.uuid)[:8]}{photo.image.name[-4:]}")


@login_required
@require_GET
def notice_pdf(request, uuid):
    """The notice to the owner (告知书), for the region's officers: the grave, the rule, the deadline."""
    from weasyprint import HTML

    grave = api._grave(request, uuid)
    services.require_officer(request.user, grave)
    if grave.state not in (GraveState.NOTIFIED, GraveState.IN_REMEDIATION):
        raise InputError(_("A notice is printed once the owner is notified."), code="not_notified")
    html = render_to_string("cemeteries/notice.html", {
        "grave": grave, "tags": [t for t in services.tags_of(grave) if t["inside"]],
        "printed": timezone.localdate(), "is_officer": has_role(request.user, Role.OFFICER)}, request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{grave.short_id}.pdf"'
    return response
