"""Officer pages of the census register: bulk load, the checking queue (校核), signs (地名标志) and the 乡村著名
campaigns. Thin: each validates, calls a service (placenames.bulk/checking/signs/campaigns) and renders."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from accounts.scoping import has_role, scope
from boundaries.models import AdminArea
from core import params as typed
from core import uploads
from gis.errors import Conflict, InputError, PermissionDenied
from jobs import imports
from placenames import campaigns, checking, place_photos, services, signs
from placenames.jobs import IMPORT
from placenames.models import Campaign, PlaceCategory, Platform, PlatformState, SignState, SignType
from placenames.registry_models import SignMaterial
from placenames.search import search_places
from placenames.signs import TRANSITIONS


def _date(value, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(_("Dates are written YYYY-MM-DD."), where={"field": field}) from None


def _public_url(sign) -> str:
    return settings.PUBLIC_BASE_URL + reverse("placenames:sign_landing", kwargs={"token": sign.qr_token})


# --- bulk load ---------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def import_file(request):
    """Upload a CSV (UTF-8 or GBK), XLSX or GeoPackage of place names: a background job loads it (placenames.jobs)."""
    if not has_role(request.user, Role.OFFICER):
        raise PermissionDenied(_("Importing place names needs the officer role."), code="role_required")
    values = imports.form_values(request, "EPSG:4490")
    if request.method == "POST":
        job = imports.submit_upload(request, IMPORT.name, crs="EPSG:4490", title=_("Place-name load: %(file)s"))
        return redirect("jobs:job", uuid=job.uuid)
    return render(request, "placenames/registry/import.html", {
        "title": _("Load place names"), "values": values, "categories": PlaceCategory.objects.all()})


# --- checking (校核) ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def checking_queue(request):
    code = request.GET.get("code", "")
    code = code if code in checking.RULES else ""
    county = (typed.area_code(request.GET, "county", label=_("County")) or "")[:6]
    rows = checking.queue(request.user, code=code, county=county)
    page = Paginator(rows.order_by("place__area__code12", "place__name", "id"), 50).get_page(request.GET.get("page"))
    categories = list(PlaceCategory.objects.all())
    by_code = {c.code: c for c in categories}
    for flag in page:
        flag.explanation = checking.explain(flag, by_code)
    counties = scope(AdminArea.objects.filter(level="county").order_by("code12"), request.user, "")
    return render(request, "placenames/registry/checking.html", {
        "title": _("Checking"), "page": page, "rules": checking.RULES.items(), "code": code, "county": county,
        "counties": [(c.code[:6], c.name) for c in counties], "query": typed.query(code=code, county=county),
        "checked": checking.checked_count(request.user, county), "open": checking.open_count(request.user, county),
        "categories": categories})


@login_required
@require_POST
def checking_decide(request, flag_id: int):
    note = request.POST.get("note", "")
    if request.POST.get("decision") == "correct":
        checking.correct(request.user, flag_id, name=request.POST.get("name", ""),
                         pinyin=request.POST.get("pinyin", ""), category=request.POST.get("category", ""),
                         note=note, version=typed.form_version(request.POST))
        messages.success(request, _("Record corrected."))
    elif request.POST.get("decision") == "confirm":
        checking.confirm(request.user, flag_id, note)
        messages.success(request, _("Record confirmed as it is."))
    else:
        raise InputError(_("Unknown action."), where={"field": "decision"})
    return redirect(request.POST.get("next") if str(request.POST.get("next", "")).startswith("/placenames/")
                    and "//" not in request.POST.get("next", "") else "placenames:checking")


# --- signs ---------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def sign_list(request):
    rows = signs.visible_signs(request.user)
    state = request.GET.get("state", "")
    if state in SignState.values:
        rows = rows.filter(state=state)
    page = Paginator(rows.order_by("area__code12", "shown_name"), 50).get_page(request.GET.get("page"))
    return render(request, "placenames/registry/signs.html", {
        "title": _("Place-name signs"), "page": page, "states": SignState.choices, "state": state,
        "query": typed.query(state=state),
        "open_reports": signs.SignReport.objects.filter(sign__in=signs.visible_signs(request.user),
                                                        state__in=("open", "assigned")).count()})


@login_required
@require_http_methods(["GET", "POST"])
def sign_new(request):
    signs.require_editor(request.user)
    place = None
    if request.GET.get("place") or request.POST.get("place"):
        place = services.get_place(request.user, request.GET.get("place") or request.POST.get("place"))
    if request.method == "POST":
        if place is None:
            raise InputError(_("Choose the place the sign names."), where={"field": "place"})
        typed = {key: request.POST.get(key, "") for key in SIGN_FIELDS}
        try:
            sign = signs.register(request.user, place=place, lon=typed["lon"], lat=typed["lat"], type=typed["type"],
                                  material=typed["material"] or "aluminium",
                                  installed_on=_date(typed["installed_on"], "installed_on"),
                                  shown_name=typed["shown_name"])
        except InputError as error:  # said above the form, with everything typed kept
            return _sign_form(request, place, typed, error=error, status=400)
        messages.success(request, _("Sign registered."))
        return redirect("placenames:sign", pk=sign.pk)
    point = place.geom.point_on_surface if place else None
    return _sign_form(request, place, {"shown_name": place.name if place else "", "type": "", "material": "",
                                       "lon": f"{point.x:.6f}" if point else "",
                                       "lat": f"{point.y:.6f}" if point else "", "installed_on": ""})


SIGN_FIELDS = ("shown_name", "type", "material", "lon", "lat", "installed_on")


def _sign_form(request, place, typed: dict, *, error=None, status: int = 200):
    query = request.GET.get("q", "").strip()[:50]
    found = search_places(query, queryset=services.visible_places(request.user), limit=20) if query else []
    return render(request, "placenames/registry/sign_form.html", {
        "q": query, "found": found, "error": error, "typed": typed,
        "title": _("Register a sign"), "place": place, "types": SignType.choices, "materials": SignMaterial.choices,
    }, status=status)


@login_required
@require_GET
def sign_detail(request, pk):
    sign = signs.sign_for(request.user, pk)
    actions = [(name, label) for name, (sources, _target, label) in TRANSITIONS.items() if sign.state in sources]
    events = list(sign.events.select_related("actor"))
    for event in events:
        event.action_label = signs.ACTION_LABELS.get(event.action, event.action)
    return render(request, "placenames/registry/sign.html", {
        "title": sign.shown_name, "sign": sign, "actions": actions, "events": events,
        "reports": sign.reports.all(), "photos": sign.photos.all(),
        "public_url": _public_url(sign)})


@login_required
@require_POST
def sign_act(request, pk):
    signs.act(request.user, pk, request.POST.get("action", ""), note=request.POST.get("note", ""),
              version=typed.form_version(request.POST), on=_date(request.POST.get("on"), "on"))
    messages.success(request, _("Maintenance recorded."))
    return redirect("placenames:sign", pk=pk)


def _posted_photo(request):
    """The form's photo and its caption."""
    upload = request.FILES.get("photo")
    if upload is None:
        raise InputError(_("Choose a photo."), code="missing_value", where={"field": "photo"})
    return upload, request.POST.get("caption", "")


@login_required
@require_POST
def sign_photo_add(request, pk):
    signs.add_photo(request.user, pk, *_posted_photo(request))
    messages.success(request, _("Photo added."))
    return redirect("placenames:sign", pk=pk)


@login_required
@require_POST
def place_photo_add(request, uuid):
    place_photos.add_photo(request.user, uuid, *_posted_photo(request))
    messages.success(request, _("Photo added."))
    return redirect("placenames:place", uuid=uuid)


@login_required
@require_POST
def place_photo_remove(request, photo_id):
    place = place_photos.remove_photo(request.user, photo_id)
    messages.success(request, _("Photo removed."))
    return redirect("placenames:place", uuid=place.uuid)


@login_required
@require_GET
def sign_qr(request, pk):
    import segno

    sign = signs.sign_for(request.user, pk)
    qr = segno.make(_public_url(sign), error="m")
    response = HttpResponse(qr.svg_inline(scale=6), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="sign-{sign.pk}.svg"'
    return response


# --- 乡村著名 campaigns ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request):
    if not has_role(request.user, Role.OFFICER):
        raise PermissionDenied(_("Campaigns are run by officers."), code="role_required")
    rows = [(c, campaigns.summary(request.user, c)) for c in Campaign.objects.all()]
    return render(request, "placenames/registry/campaigns.html", {"title": _("Rural names campaigns"), "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    """A new 乡村著名 campaign (officers): its name, year, target and a target per county of the officer's regions."""
    if not has_role(request.user, Role.OFFICER):
        raise PermissionDenied(_("Campaigns are run by officers."), code="role_required")
    counties = campaigns.counties_for(request.user)
    values, error = {"year": str(dt.date.today().year)}, None
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in ("name", "year", "target")}
        targets = {c.code: request.POST.get(f"county_{c.code}", "").strip() for c in counties}
        targets.update({k[len("county_"):]: v for k, v in request.POST.items()
                        if k.startswith("county_") and k[len("county_"):] not in targets})
        try:
            campaign = campaigns.create(request.user, name=values["name"], year=values["year"],
                                        target=values["target"], county_targets=targets)
        except (InputError, Conflict) as exc:
            error = exc.message
            for county in counties:
                county.entered = targets.get(county.code, "")
        else:
            messages.success(request, _("Campaign created."))
            return redirect("placenames:campaign", pk=campaign.pk)
    return render(request, "placenames/registry/campaign_form.html", {
        "title": _("New rural names campaign"), "counties": counties, "values": values, "error": error})


@login_required
@require_GET
def campaign_detail(request, pk):
    campaign = campaigns.campaign_for(pk)
    subs = campaigns.submissions(request.user, campaign)
    state, platform = request.GET.get("state", ""), request.GET.get("platform", "")
    if state in PlatformState.values:
        subs = subs.filter(state=state)
    if platform in Platform.values:
        subs = subs.filter(platform=platform)
    rows = campaigns.dashboard(request.user, campaign)
    page = Paginator(subs.order_by("entry__place__area__code12", "entry_id", "platform"), 50).get_page(
        request.GET.get("page"))
    return render(request, "placenames/registry/campaign.html", {
        "title": campaign.name, "campaign": campaign, "rows": rows, "page": page, "states": PlatformState.choices,
        "platforms": Platform.choices, "state": state, "platform": platform,
        "query": typed.query(state=state, platform=platform),
        "total": {"target": campaign.target, "both": sum(r.accepted_both for r in rows),
                  "collected": sum(r.collected for r in rows)}})


@login_required
@require_POST
def campaign_export(request, pk):
    campaign = campaigns.campaign_for(pk)
    platform = request.POST.get("platform", "")
    text = campaigns.export(request.user, campaign, platform)
    response = HttpResponse(("\ufeff" + text).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-{platform}.csv"'
    return response


@login_required
@require_POST
def campaign_feedback(request, pk):
    campaign = campaigns.campaign_for(pk)
    upload = request.FILES.get("file")
    if upload is None:
        raise InputError(_("Choose a file."), code="missing_value", where={"field": "file"})
    if upload.size > campaigns.MAX_FEEDBACK_BYTES:
        raise InputError(_("The file is too large."), code="too_large", where={"field": "file"})
    result = campaigns.apply_feedback(request.user, campaign, request.POST.get("platform", ""), upload.read(),
                                      file_name=uploads.display_name(upload.name))
    messages.success(request, _("Feedback applied: %(changed)s changed, %(unchanged)s already so, %(unknown)s rows "
                                "not understood.") % {"changed": result.changed, "unchanged": result.unchanged,
                                                      "unknown": len(result.unknown)})
    if result.pending:
        messages.info(request, _("%(pending)s names are still under review on the platform: they were left as they "
                                 "are.") % {"pending": result.pending})
    return redirect("placenames:campaign", pk=pk)


@login_required
@require_POST
def campaign_submission(request, pk, sub_pk):
    campaigns.campaign_for(pk)
    action = request.POST.get("action")
    if action == "refuse":
        campaigns.refuse(request.user, sub_pk, request.POST.get("reason", ""))
    elif action == "resend":
        campaigns.resend(request.user, sub_pk, name=request.POST.get("name", ""), note=request.POST.get("note", ""))
    else:
        raise InputError(_("Unknown action."), where={"field": "action"})
    messages.success(request, _("Saved."))
    return redirect("placenames:campaign", pk=pk)
