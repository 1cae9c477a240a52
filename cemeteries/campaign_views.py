"""Pages of the operations side: campaigns and their township dashboards (burn-down, overdue steps, grades), the
work order ranked by visibility, the weekly city report, the citizens' public report page and the officers' triage.
Thin: they check the role, read parameters through core.params and call cemeteries.campaigns/reports/weekly."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.scoping import has_role
from cemeteries import campaigns as service
from cemeteries import reports
from cemeteries.campaign_models import GraveReport, ReportKind, ReportSource, ReportStatus
from cemeteries.sights import work_order as ranked
from core import params as typed
from core import ratelimit
from core.clientip import client_address
from core.documents import PDF, XLSX, to_pdf, to_xlsx
from core.errors import with_headers
from core.uploads import attachment
from gis.errors import DimingError, InputError, NotFound, PermissionDenied

WORK_ORDER_SHOWN = 200
REPORTS_SHOWN = 300


def _require_campaign_role(user) -> None:
    if not has_role(user, *service.CAMPAIGN_ROLES):
        raise PermissionDenied(_("Your role does not allow this."), code="role_required")


def _one(rows, message: str, code: str):
    """The one row the user may see, else NotFound (another region's row looks like no row at all)."""
    found = rows.first()
    if found is None:
        raise NotFound(message, code=code)
    return found


def _campaign(user, pk):
    """A campaign in the user's regions, to a user who holds a campaign role."""
    _require_campaign_role(user)
    return _one(service.visible_campaigns(user).filter(pk=pk), _("No such campaign in your region."),
                "unknown_campaign")


@login_required
@require_GET
def campaign_list(request):
    from cemeteries.campaign_models import WeeklyReport

    _require_campaign_role(request.user)
    today = timezone.localdate()
    rows = [(c, service.progress(c, request.user, today)) for c in service.visible_campaigns(request.user)]
    archive = WeeklyReport.objects.all()[:12] if _city_wide(request.user) else []
    return render(request, "cemeteries/campaign_list.html", {"title": _("Remediation campaigns"), "rows": rows,
                                                              "today": today, "archive": archive})


def _city_wide(user) -> bool:
    """Whether the user acts for a whole city (or everywhere): the city's kept weekly reports are theirs."""
    from accounts.scoping import area_prefixes
    from boundaries.models import AdminArea

    prefixes = area_prefixes(user)
    if prefixes is None:
        return True
    return bool({a.prefix for a in AdminArea.objects.filter(level="city").only("code12", "level")} & set(prefixes))


@login_required
@require_GET
def weekly_kept(request, week_end, fmt):
    """A weekly report of the city as the worker made it (cemeteries.weekly.archive_last_week)."""
    import datetime as dt

    from cemeteries.campaign_models import WeeklyReport

    _require_campaign_role(request.user)
    if not _city_wide(request.user):
        raise PermissionDenied(_("The city's weekly reports are for the city's officers."), code="outside_region")
    try:
        day = dt.date.fromisoformat(week_end)
    except ValueError:
        raise NotFound(_("No weekly report for that week."), code="unknown_week") from None
    kept = WeeklyReport.objects.filter(week_end=day).first()
    if kept is None:
        raise NotFound(_("No weekly report for that week."), code="unknown_week")
    stored = kept.pdf if fmt == "pdf" else kept.xlsx
    with stored.open("rb") as handle:
        content = handle.read()
    return _download(content, PDF if fmt == "pdf" else XLSX, f"graves-weekly-{day:%Y%m%d}.{fmt}")


def _leading_areas(user):
    """The areas a user may lead a campaign for: their own (the city for a city-wide officer)."""
    from accounts.models import AreaAssignment
    from accounts.scoping import area_prefixes
    from boundaries.models import AdminArea

    if area_prefixes(user) is None:
        return list(AdminArea.objects.filter(level__in=("city", "county")).order_by("code12"))
    return list(AdminArea.objects.filter(pk__in=AreaAssignment.objects.filter(user=user).values("area_id"))
                .order_by("code12"))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    """An officer starts a campaign: a corridor, a band either side, a period and a target (default: every
    remediable grave in the band)."""
    from cemeteries.models import Corridor

    _require_campaign_role(request.user)
    areas, corridors = _leading_areas(request.user), list(Corridor.objects.order_by("kind", "name"))
    values, error = {k: request.POST.get(k, "")[:200] for k in
                     ("name", "corridor", "band_m", "area", "starts_on", "deadline", "target")}, None
    if request.method == "POST":
        try:
            corridor = next((c for c in corridors if str(c.pk) == values["corridor"]), None)
            area = next((a for a in areas if a.code == values["area"]), None)
            if corridor is None or area is None:
                raise InputError(_("Choose a corridor and the area that leads the campaign."), code="missing_choice")
            name = typed.text(request.POST, "name", max_length=120, label=_("The name")).strip()
            if not name:
                raise InputError(_("Give the campaign a name."), code="name_required", where={"field": "name"})
            deadline = typed.date(request.POST, "deadline", label=_("The deadline"))
            if deadline is None:
                raise InputError(_("Give the campaign a deadline."), code="deadline_required",
                                 where={"field": "deadline"})
            campaign = service.create_campaign(
                request.user, name=name, corridor=corridor, area=area,
                band_m=typed.integer(request.POST, "band_m", corridor.band_m, low=1, high=5000,
                                     label=_("The band")),
                starts_on=typed.date(request.POST, "starts_on", timezone.localdate(), label=_("The start")),
                deadline=deadline,
                target=typed.integer(request.POST, "target", None, low=0, high=1_000_000, label=_("The target")))
        except DimingError as exc:
            error = exc
        else:
            return redirect("cemeteries:campaign", pk=campaign.pk)
    return render(request, "cemeteries/campaign_form.html", {
        "title": _("New campaign"), "areas": areas, "corridors": corridors, "values": values, "error": error},
        status=error.http_status if error else 200)


def _township(request, campaign, counted=None) -> tuple[str | None, list]:
    choices = service.township_choices(campaign, request.user, counted)
    code = typed.choice(request.GET, "township", [c for c, _n in choices], None, label=_("township"))
    return code, choices


@login_required
@require_GET
def campaign_dashboard(request, pk):
    campaign = _campaign(request.user, pk)
    today = timezone.localdate()
    counted = service.tally(campaign, request.user, today)  # the graves counted once for the whole page
    township, choices = _township(request, campaign, counted)
    progress = service.progress(campaign, request.user, today, township, counted=counted)
    chart = service.burndown(campaign, request.user, today, township, counted=counted)
    chart["series"] = [str(_("Ideal remaining")), str(_("Graves still to remediate"))]
    return render(request, "cemeteries/campaign_dashboard.html", {
        "title": campaign.name, "campaign": campaign, "p": progress, "chart": chart, "township": township,
        "townships": choices, "today": today,
        "township_name": dict(choices).get(township, "") if township else ""})


@login_required
@require_GET
def campaign_burndown(request, pk):
    campaign = _campaign(request.user, pk)
    township, _choices = _township(request, campaign)
    return JsonResponse(service.burndown(campaign, request.user, timezone.localdate(), township))


@login_required
@require_GET
def campaign_work_order(request, pk):
    campaign = _campaign(request.user, pk)
    township, choices = _township(request, campaign)
    graves = ranked(campaign.corridor, service.campaign_graves(campaign, request.user, township))
    graves = graves.select_related("township")
    return render(request, "cemeteries/work_order.html", {
        "title": _("Work order: %(name)s") % {"name": campaign.name}, "campaign": campaign,
        "graves": graves[:WORK_ORDER_SHOWN], "count": graves.count(), "shown": WORK_ORDER_SHOWN,
        "township": township, "townships": choices})


def _weekly(request):
    from cemeteries.weekly import weekly_report

    _require_campaign_role(request.user)
    return weekly_report(request.user, typed.date(request.GET, "date", timezone.localdate()))


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def weekly_xlsx(request):
    doc = _weekly(request)
    return _download(to_xlsx(doc), XLSX, f"graves-weekly-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def weekly_pdf(request):
    doc = _weekly(request)
    return _download(to_pdf(doc), PDF, f"graves-weekly-{timezone.localdate():%Y%m%d}.pdf")


# --- citizens' reports (public, no login) -------------------------------------------------------------------------
def _report_form_context(values=None, error=None) -> dict:
    return {"title": _("Report a grave"), "values": values or {}, "error": error,
            "kinds": ReportKind.choices, "style_url": reverse("tiles:style"),
            "service_area": list(settings.DIMING_SERVICE_AREA)}


@require_http_methods(["GET", "POST"])
def public_report(request):
    if request.method == "GET":
        return render(request, "cemeteries/public_report.html", _report_form_context())
    values = {k: request.POST.get(k, "")[:2000] for k in ("kind", "lon", "lat", "description", "contact")}
    limit, window = settings.CEMETERIES_REPORT_RATE
    try:
        ratelimit.hit("grave-report", client_address(request), limit=limit, window_seconds=window)
        lon = typed.number(request.POST, "lon", low=-180, high=180, label=_("The longitude"))
        lat = typed.number(request.POST, "lat", low=-90, high=90, label=_("The latitude"))
        if lon is None or lat is None:
            raise InputError(_("Pick the place on the map."), code="place_required", where={"field": "lon"})
        reports.submit_report(source=ReportSource.CITIZEN, kind=values["kind"], lon=lon, lat=lat,
                              description=values["description"], contact=values["contact"],
                              photo=request.FILES.get("photo"))
    except DimingError as error:
        return with_headers(render(request, "cemeteries/public_report.html", _report_form_context(values, error),
                                   status=error.http_status), error)
    return redirect("cemeteries:public_report_thanks")


@require_GET
def public_report_thanks(request):
    return render(request, "cemeteries/public_report_thanks.html", {"title": _("Thank you")})


# --- triage ---------------------------------------------------------------------------------------------------------
def _report(user, uuid) -> GraveReport:
    return _one(reports.triage_queue(user).filter(uuid=uuid), _("No such report in your region."), "unknown_report")


@login_required
@require_GET
def report_queue(request):
    if not has_role(request.user, *reports.TRIAGE_ROLES):
        raise PermissionDenied(_("Your role does not allow this."), code="role_required")
    status = typed.choice(request.GET, "status", ReportStatus.values, ReportStatus.NEW)
    queue = reports.triage_queue(request.user).filter(status=status)
    shown = list(queue[:REPORTS_SHOWN])
    return render(request, "cemeteries/report_queue.html", {
        "title": _("Grave reports to triage"), "reports": shown, "count": queue.count(), "status": status,
        "statuses": ReportStatus.choices, "style_url": reverse("tiles:style"),
        "service_area": list(settings.DIMING_SERVICE_AREA), "points": _report_points(shown)})


def _report_points(shown) -> dict:
    """The listed reports as GeoJSON for the queue's map: where, what, when and a link; never the contact."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(r.geom.x, 7), round(r.geom.y, 7)]},
         "properties": {"url": reverse("cemeteries:report_detail", args=[r.uuid]), "kind": r.kind,
                        "label": str(r.get_kind_display()), "at": timezone.localtime(r.submitted_at)
                        .strftime("%Y-%m-%d %H:%M"), "area": r.area.name if r.area else ""}}
        for r in shown]}


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, uuid):
    report = _report(request.user, uuid)
    error = None
    if request.method == "POST":
        try:
            action = typed.choice(request.POST, "action", ["accept", "link", "dismiss"], label=_("handling"))
            note = typed.text(request.POST, "note", max_length=2000, label=_("The note"))
            if action == "accept":
                grade = typed.choice(request.POST, "grade", ["A", "B", "C"], "B", label=_("grade"))
                reports.accept_as_new(report, request.user, grade=grade, note=note)
            elif action == "link":
                reports.link_as_rebound(report, request.user, _grave_by_short_id(request), note=note)
            else:
                reports.dismiss(report, request.user, note=note)
        except DimingError as exc:
            error = exc
        else:
            return redirect("cemeteries:report_detail", uuid=report.uuid)
    nearby = reports.graves_near(report, request.user)
    return render(request, "cemeteries/report_detail.html", {
        "title": str(report), "report": report, "error": error, "nearby": nearby,
        "point": {"type": "Point", "coordinates": [report.geom.x, report.geom.y]}},
        status=error.http_status if error else 200)


def _grave_by_short_id(request):
    from cemeteries.services import visible_graves

    ref = typed.text(request.POST, "grave", max_length=40, label=_("The grave's id")).strip()
    grave = visible_graves(request.user).filter(uuid__startswith=ref.lower()).first() if len(ref) >= 6 else None
    if grave is None:
        raise InputError(_("No such grave in your region."), code="unknown_grave", where={"field": "grave"})
    return grave


@login_required
@require_GET
def report_photo(request, uuid):
    report = _report(request.user, uuid)
    return attachment(report.photo, f"report-{str(report.uuid)[:8]}{report.photo.name[-4:]}")


@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def crew_report_api(request):
    """A crew's report of a new grave or a rebound: multipart kind (new|rebound), lon, lat (EPSG:4490/WGS84),
    description, photo (JPEG/PNG/WebP). 201 with the report's id; errors as {"error": {code, message, where}}."""
    from accounts.roles import Role

    if not has_role(request.user, Role.FIELD_CREW, Role.OFFICER):
        raise PermissionDenied(_("Your role does not allow this."), code="role_required")
    lon = typed.number(request.data, "lon", low=-180, high=180)
    lat = typed.number(request.data, "lat", low=-90, high=90)
    if lon is None or lat is None:
        raise InputError(_("Pick the place on the map."), code="place_required", where={"field": "lon"})
    report = reports.submit_report(source=ReportSource.CREW, kind=typed.text(request.data, "kind", ReportKind.NEW),
                                   lon=lon, lat=lat, description=typed.text(request.data, "description",
                                                                            max_length=2000),
                                   photo=request.FILES.get("photo"), reporter=request.user)
    return Response({"id": str(report.uuid), "status": report.status,
                     "area": report.area.code if report.area else None}, status=201)
