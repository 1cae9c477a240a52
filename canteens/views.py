"""Pages: the coverage page (map, table, chart, siting), its downloads, the canteen list, a canteen's record, and
the officer's forms to register and edit a canteen and change its status (through canteens.services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.gis.db.models import Extent
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import AreaAssignment
from accounts.scoping import ALL, area_prefixes, can_act_in, has_role, scope
from audit.privacy import hidden_from, visible_history
from boundaries.models import AdminArea
from canteens import services
from canteens.coverage import compute_coverage
from canteens.forms import CanteenForm, StatusForm
from canteens.mapdata import canteen_features, uncovered_features
from canteens.models import Canteen, CanteenKind, CanteenStatus
from canteens.siting import suggest_sites
from canteens.tables import percent, plan_as_dict, table_csv, table_rows, table_xlsx
from core import params as typed
from gis.errors import DimingError, NotFound, PermissionDenied
from gis.maps import LOCAL_FONT_FAMILY

SUGGESTION_CHOICES = (1, 3, 5, 10, 20)
UNCOVERED_SHOWN = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _suggestion_count(request) -> int:
    return int(typed.choice(request.GET, "n", [str(n) for n in SUGGESTION_CHOICES], "5",
                            label=_("number of sites")))


def _region_label(user) -> str:
    prefixes = area_prefixes(user)
    if prefixes is ALL:
        city = AdminArea.objects.at_level("city").order_by("code12").first()
        return city.name if city else _("all regions")
    names = AdminArea.objects.filter(pk__in=AreaAssignment.objects.filter(user=user).values("area_id"))
    return _(", ").join(a.name for a in names) or _("no region")


def _chart(report) -> dict:
    """County bars for a multi-county scope; township bars when the user sees one county."""
    if len(report.counties) == 1:
        items = [(t.name, t.tally) for t in report.counties[0].townships]
    else:
        items = [(c.name, c.tally) for c in report.counties]
    return {"labels": [name for name, _t in items],
            "by_count": [round((t.rate_by_count or 0) * 100, 2) for _n, t in items],
            "by_population": [round((t.rate_by_population or 0) * 100, 2) for _n, t in items],
            "series": [str(_("Coverage by count")), str(_("Coverage by elderly population"))]}


@login_required
@require_GET
def coverage(request):
    prefixes = area_prefixes(request.user)
    report = compute_coverage(prefixes)
    n = _suggestion_count(request)
    plan = suggest_sites(n, prefixes, report=report)
    uncovered = sorted(report.uncovered, key=lambda v: (-v.elderly, v.code))
    canteens = scope(Canteen.objects.all(), request.user, "area")
    context = {
        "title": _("Meal-service coverage"),
        "region": _region_label(request.user),
        "report": report,
        "rows": table_rows(report),
        "total_by_count": percent(report.total.rate_by_count),
        "total_by_population": percent(report.total.rate_by_population),
        "open_canteens": canteens.filter(status=CanteenStatus.OPEN).count(),
        "all_canteens": canteens.count(),
        "uncovered": uncovered[:UNCOVERED_SHOWN],
        "uncovered_hidden": max(0, len(uncovered) - UNCOVERED_SHOWN),
        "plan": plan,
        "plan_data": plan_as_dict(plan),
        "n": n,
        "n_choices": SUGGESTION_CHOICES,
        "chart": _chart(report),
        "local_font_family": LOCAL_FONT_FAMILY,
    }
    return render(request, "canteens/coverage.html", context)


@login_required
@require_GET
def coverage_csv(request):
    response = HttpResponse(table_csv(compute_coverage(area_prefixes(request.user))),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="canteen-coverage.csv"'
    return response


@login_required
@require_GET
def coverage_xlsx(request):
    response = HttpResponse(table_xlsx(compute_coverage(area_prefixes(request.user))), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="canteen-coverage.xlsx"'
    return response


@login_required
@require_GET
def coverage_map(request):
    """The map's data: canteens with their radii and the uncovered villages, in the user's regions."""
    report = compute_coverage(area_prefixes(request.user))
    return JsonResponse({
        "canteens": {"type": "FeatureCollection", "features": canteen_features(request.user)},
        "uncovered": {"type": "FeatureCollection", "features": uncovered_features(report)},
    })


@login_required
@require_GET
def canteen_list(request):
    canteens = scope(Canteen.objects.select_related("area"), request.user, "area")
    status = typed.choice(request.GET, "status", CanteenStatus.values, "", label=_("status"))
    kind = typed.choice(request.GET, "kind", CanteenKind.values, "", label=_("kind"))
    if status:
        canteens = canteens.filter(status=status)
    if kind:
        canteens = canteens.filter(kind=kind)
    return render(request, "canteens/list.html", {
        "title": _("Elderly canteens"), "canteens": canteens[:1000], "count": canteens.count(),
        "may_register": _may_edit(request.user),
        "statuses": CanteenStatus.choices, "kinds": CanteenKind.choices, "status": status, "kind": kind,
    })


def _visible(request, uuid) -> Canteen:
    canteen = scope(Canteen.objects.select_related("area", "doorplate"), request.user, "area").filter(
        uuid=uuid).first()
    if canteen is None:
        raise NotFound(_("No such canteen, or it is outside your region."), where={"uuid": str(uuid)})
    return canteen


def _may_edit(user, canteen: Canteen | None = None) -> bool:
    return has_role(user, *services.WRITE_ROLES) and (canteen is None or can_act_in(user, canteen.area))


def _require_officer(user, canteen: Canteen | None = None) -> None:
    if not _may_edit(user, canteen):
        raise PermissionDenied(_("Only civil-affairs officers of the region register and edit canteens."), code="role_required")


@login_required
@require_GET
def canteen_detail(request, uuid):
    return _detail_page(request, _visible(request, uuid))


def _detail_page(request, canteen, refused_status=None):
    """The canteen's page; a refused status change comes back on it with what was chosen and typed (400)."""
    editable = _may_edit(request.user, canteen)
    return render(request, "canteens/detail.html", {
        "title": canteen.name, "canteen": canteen, "changes": visible_history(canteen, request.user, limit=100),
        "hidden": hidden_from(request.user, Canteen),
        "lonlat": (round(canteen.geom.x, 6), round(canteen.geom.y, 6)), "editable": editable,
        "status_form": refused_status or (StatusForm(canteen=canteen) if editable else None),
        "map_data": {"lon": round(canteen.geom.x, 7), "lat": round(canteen.geom.y, 7),
                     "radius_m": canteen.delivery_radius_m if canteen.delivers else None},
    }, status=400 if refused_status else 200)


def _region_bounds(user) -> list[float] | None:
    """[west, south, east, north] of the user's areas (the city for an administrator): where a new canteen's map
    opens."""
    if area_prefixes(user) is ALL:
        areas = AdminArea.objects.filter(level="city")
    else:
        areas = AdminArea.objects.filter(pk__in=user.area_assignments.values("area_id"))
    extent = areas.exclude(geom=None).aggregate(box=Extent("geom"))["box"]
    return [round(v, 5) for v in extent] if extent else None


def _form_page(request, form, canteen=None):
    return render(request, "canteens/form.html", {
        "title": _("Edit canteen") if canteen else _("Register a canteen"), "form": form, "canteen": canteen,
        "bounds": None if canteen else _region_bounds(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def canteen_new(request):
    _require_officer(request.user)
    form = CanteenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        doorplate = form.cleaned_data["doorplate"] or None
        if doorplate:
            values["doorplate"] = doorplate
        try:
            canteen = services.register_canteen(request.user, geom=form.geometry(), **values)
        except DimingError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Canteen registered."))
            return redirect("canteens:detail", uuid=canteen.uuid)
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def canteen_edit(request, uuid):
    canteen = _visible(request, uuid)
    _require_officer(request.user, canteen)
    form = CanteenForm(request.POST or None, initial=CanteenForm.initial_of(canteen))
    if request.method == "POST" and form.is_valid():
        changes = form.changes_to(canteen)
        try:
            version = typed.form_version(request.POST)
            if changes:
                services.update_canteen(canteen, request.user, changes, version=version)
        except DimingError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Canteen saved.") if changes else _("Nothing was changed."))
            return redirect("canteens:detail", uuid=canteen.uuid)
    return _form_page(request, form, canteen)


@login_required
@require_POST
def canteen_status(request, uuid):
    canteen = _visible(request, uuid)
    _require_officer(request.user, canteen)
    form = StatusForm(request.POST, canteen=canteen)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses offered."))
        return _detail_page(request, canteen, refused_status=form)
    try:
        services.change_status(canteen, request.user, form.cleaned_data["status"],
                               reason=form.cleaned_data["reason"], version=form.cleaned_data["version"])
    except DimingError as error:
        messages.error(request, str(error.message))
        return _detail_page(request, canteen, refused_status=form)  # the reason typed stays
    messages.success(request, _("Status changed."))
    return redirect("canteens:detail", uuid=canteen.uuid)
