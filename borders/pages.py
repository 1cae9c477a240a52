"""Office pages of boundary management: the lines a user is a side of (with the due list), a line with its map and
marker register, a marker's record (what its QR code opens), and a joint inspection campaign with its plan,
records, signatures of both sides and report. Every write goes through borders.inspections (audited)."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from audit.privacy import visible_history
from audit.services import history
from borders import inspections, lines
from borders.access import may_edit, may_see, require_reader, sides_of, visible_lines
from borders.queries import villages_along
from boundaries.inspection_models import (
    CampaignKind,
    CampaignState,
    FindingKind,
    FoundState,
    InspectionCampaign,
    JointReport,
    MarkerAction,
    MarkerRecord,
    SurveyMethod,
)
from boundaries.line_models import BoundaryLine, BoundaryMarker, DisputeState, MarkerPhoto, Side
from core import params as typed
from core import uploads
from gis.errors import DimingError, InputError
from gis.intake import intake_point


def _visible_line(user, uuid) -> BoundaryLine:
    line = get_object_or_404(BoundaryLine.objects.select_related("side_a", "side_b"), uuid=uuid)
    if not may_see(user, line):
        raise Http404
    return line


def _visible_campaign(user, uuid) -> InspectionCampaign:
    campaign = get_object_or_404(InspectionCampaign.objects.select_related("line__side_a", "line__side_b"),
                                 uuid=uuid)
    if not may_see(user, campaign.line):
        raise Http404
    return campaign


def _map_data(line: BoundaryLine, markers) -> dict:
    import json

    return {"line": json.loads(line.geom.geojson),
            "markers": [{"number": m.number, "state": m.state, "lon": m.geom.x, "lat": m.geom.y,
                         "url": reverse("borders:marker", args=[m.uuid])} for m in markers]}


@login_required
@require_GET
def line_list(request):
    require_reader(request.user)
    lines = visible_lines(request.user).select_related("side_a", "side_b")
    year = dt.date.today().year
    return render(request, "borders/line_list.html", {
        "title": _("Boundary lines"), "lines": lines, "due": inspections.due_list(request.user, year), "year": year})


@login_required
@require_GET
def line_agreement_map(request, uuid):
    """The agreement's map (协议书附图), for a reader of the line, as a download (core.uploads)."""
    line = _visible_line(request.user, uuid)
    return uploads.attachment(line.agreement_map, f"{line.line_code}-agreement-map{Path(line.agreement_map.name).suffix}")


@login_required
@require_GET
def line_detail(request, uuid):
    return _line_page(request, _visible_line(request.user, uuid))


def _line_page(request, line: BoundaryLine, *, refused: str = ""):
    """The line's page; ``refused`` names the form it comes back with, keeping what was typed in it (status 400)."""
    markers = list(line.markers.select_related("line", "marker_class").prefetch_related("references"))
    return render(request, "borders/line_detail.html", {
        "title": line.name, "line": line, "markers": markers, "map_data": _map_data(line, markers),
        "campaigns": line.campaigns.all(), "versions": line.versions.all(), "disputes": line.disputes.all(),
        "villages": villages_along(line), "editable": may_edit(request.user, line),
        "my_sides": sides_of(request.user, line), "kinds": CampaignKind.choices,
        "new_campaign": typed.form_values(request, refused == "campaign", year=str(timezone.localdate().year),
                                          kind=CampaignKind.REGULAR, plan="", members="", starts_on="", ends_on=""),
        "dispute": typed.form_values(request, refused == "dispute", title="", reported_on="", what="", mediation=""),
        "changes": visible_history(line, request.user, limit=20)}, status=400 if refused else 200)


@login_required
@require_GET
def marker_detail(request, uuid):
    marker = get_object_or_404(BoundaryMarker.objects.select_related("line__side_a", "line__side_b",
                                                                     "marker_class"), uuid=uuid)
    if not may_see(request.user, marker.line):
        raise Http404
    return _marker_page(request, marker)


def _marker_page(request, marker: BoundaryMarker, *, refused: bool = False):
    """The marker's page; a refused photo comes back on it with its caption (status 400)."""
    return render(request, "borders/marker_detail.html", {
        "marker": marker, "line": marker.line, "records": marker.records.select_related("campaign"),
        "photos": marker.photos.order_by("pk"), "editable": may_edit(request.user, marker.line),
        "photo_form": typed.form_values(request, refused, caption=""),
        "changes": visible_history(marker, request.user, limit=20), "qr_svg": _qr_svg(request.build_absolute_uri(
            reverse("borders:marker", args=[marker.uuid])))}, status=400 if refused else 200)


@login_required
@require_POST
def marker_photo_add(request, uuid):
    """A photo for the marker's register entry (borders.lines.add_marker_photo: checked by its content)."""
    marker = get_object_or_404(BoundaryMarker.objects.select_related("line__side_a", "line__side_b"), uuid=uuid)
    if not may_see(request.user, marker.line):
        raise Http404
    try:
        lines.add_marker_photo(request.user, marker, request.FILES.get("photo"),
                               caption=request.POST.get("caption", ""))
    except DimingError as error:
        messages.error(request, str(getattr(error, "message", error)))
        return _marker_page(request, marker, refused=True)
    messages.success(request, _("The photo was added."))
    return redirect("borders:marker", uuid=marker.uuid)


@login_required
@require_GET
def marker_photo(request, pk):
    """A marker's photo, for a reader of its line (else 404), as a download (core.uploads)."""
    photo = get_object_or_404(MarkerPhoto.objects.select_related("marker__line__side_a", "marker__line__side_b"),
                              pk=pk)
    if not may_see(request.user, photo.marker.line):
        raise Http404
    return uploads.attachment(photo.image)


SHEET_LIMIT = 2000  # markers on one printed sheet (a long provincial line holds a few hundred)


@login_required
@require_GET
def marker_sheet(request):
    """Printable QR tags (A4, 3 x 7) of the markers of the lines the user is a side of (or oversees); ?line=<uuid>
    for one line. A tag is fixed to the marker in the field, where anyone reads it: it shows the marker's number
    and line, never its position, and its code holds only the address of the marker's record, which opens for a
    signed-in reader of the line alone (the record page's own code)."""
    require_reader(request.user)
    lines = visible_lines(request.user)
    title = _("All my lines")
    if request.GET.get("line"):
        try:
            line = _visible_line(request.user, request.GET["line"])
        except ValidationError:
            raise Http404 from None
        lines, title = lines.filter(pk=line.pk), line.name
    markers = list(BoundaryMarker.objects.filter(line__in=lines).select_related("line__side_a", "line__side_b")
                   .order_by("line__level", "line__name", "sequence", "type_code")[:SHEET_LIMIT])
    for marker in markers:
        marker.qr = _qr_tag(request.build_absolute_uri(reverse("borders:marker", args=[marker.uuid])))
    return render(request, "borders/marker_sheet.html", {"markers": markers, "title": title})


def _qr_tag(url: str) -> str:
    import segno

    return segno.make(url, error="m", boost_error=False).svg_inline(scale=3, border=2)


def _qr_svg(url: str) -> str:
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True)
    return out.getvalue().decode()


@login_required
@require_POST
def campaign_new(request, uuid):
    line = _visible_line(request.user, uuid)
    try:
        members = _members(request.POST.get("members", ""))
        year = typed.integer(request.POST, "year", low=inspections.YEARS[0], high=inspections.YEARS[1],
                             label=_("The year"))
        if year is None:
            raise InputError(_("Give the inspection's year."), code="missing_year", where={"field": "year"})
        campaign = inspections.open_campaign(request.user, line, year=year,
                                             kind=request.POST.get("kind", CampaignKind.REGULAR),
                                             plan=request.POST.get("plan", ""), members=members,
                                             **_period(request.POST))
    except DimingError as error:
        messages.error(request, error.message)
        return _line_page(request, line, refused="campaign")
    messages.success(request, _("The inspection was planned."))
    return redirect("borders:campaign", uuid=campaign.uuid)


def _period(post) -> dict[str, dt.date | None]:
    """The inspection's fieldwork dates as its forms send them (either may be left empty)."""
    return {"starts_on": typed.date(post, "starts_on", label=_("The start date")),
            "ends_on": typed.date(post, "ends_on", label=_("The end date"))}


def _members(text: str) -> list[dict]:
    """One member a line: "A 张三 组长" or "B 李四" (side, name, role)."""
    members = []
    for raw in text.splitlines():
        parts = raw.split()
        if not parts:
            continue
        if parts[0].lower() not in Side.values or len(parts) < 2:
            raise InputError(_("Write each member as: side (A or B), name, role."), code="bad_member",
                             where={"field": "members"})
        members.append({"side": parts[0].lower(), "name": parts[1], "role": " ".join(parts[2:])})
    return members


@login_required
@require_GET
def campaign_detail(request, uuid):
    return _campaign_page(request, _visible_campaign(request.user, uuid))


def _campaign_page(request, campaign: InspectionCampaign, *, refused: str = ""):
    """The inspection's page; ``refused`` names the form it comes back with, keeping what was typed (status 400)."""
    records = (MarkerRecord.objects.current().filter(campaign=campaign)
               .select_related("marker__line", "campaign__line", "signed_a_by", "signed_b_by"))
    report = JointReport.objects.current().filter(campaign=campaign).first()
    line = campaign.line
    today = timezone.localdate()
    running = campaign.state in (CampaignState.PLANNED, CampaignState.IN_PROGRESS)
    return render(request, "borders/campaign_detail.html", {
        "campaign": campaign, "line": line, "records": records, "report": report,
        "members": campaign.members.all(), "findings": campaign.findings.select_related("from_marker", "to_marker"),
        "markers": line.markers.select_related("line"), "editable": may_edit(request.user, line),
        "my_sides": sides_of(request.user, line), "states": FoundState.choices, "methods": SurveyMethod.choices,
        "actions": MarkerAction.choices, "finding_kinds": FindingKind.choices,
        "days_late": (today - campaign.ends_on).days if running and campaign.ends_on and campaign.ends_on < today
        else 0,
        "plan": typed.form_values(request, refused == "campaign_plan", plan=campaign.plan, members="\n".join(
            f"{m.side.upper()} {m.name} {m.role}".strip() for m in campaign.members.all()),
            starts_on=_iso(campaign.starts_on), ends_on=_iso(campaign.ends_on)),
        "record": typed.form_values(request, refused == "record_save", marker="", state=FoundState.INTACT, lon="", lat="",
                        method=SurveyMethod.NONE, accuracy_m="", action=MarkerAction.NONE, new_sequence="",
                        reference_changes="", note=""),
        "finding": typed.form_values(request, refused == "finding_add", kind="", description="", action=""),
        "report_form": typed.form_values(request, refused == "report_save", summary=report.summary if report else "",
                             conclusions=report.conclusions if report else ""),
        "filing": typed.form_values(request, refused == "campaign_file", filed_on="", reference="", authority=""),
        "unsigned": inspections.unsigned_records(campaign).count(), "changes": history(campaign)[:20]},
        status=400 if refused else 200)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def campaign_action(done):
    """A POST on an inspection the user may see: the decorated function writes through borders.inspections; its
    refusal is shown as the message, else ``done``; either way back to the inspection's page."""
    def wrap(write):
        @login_required
        @require_POST
        @functools.wraps(write)
        def view(request, uuid, **context):
            campaign = _visible_campaign(request.user, uuid)
            try:
                write(request, campaign, **context)
            except DimingError as error:
                messages.error(request, error.message)
                return _campaign_page(request, campaign, refused=write.__name__)  # what was typed stays
            messages.success(request, done)
            return redirect("borders:campaign", uuid=campaign.uuid)

        return view

    return wrap


@campaign_action(gettext_lazy("The plan was saved."))
def campaign_plan(request, campaign):
    inspections.update_campaign(request.user, campaign, {"plan": request.POST.get("plan", ""), **_period(request.POST)},
                                members=_members(request.POST.get("members", "")),
                                version=typed.form_version(request.POST))


@campaign_action(gettext_lazy("The record was saved."))
def record_save(request, campaign):
    post = request.POST
    marker = None
    marker_uuid = typed.uuid(post, "marker", label=_("marker"))
    if marker_uuid is not None:
        marker = get_object_or_404(BoundaryMarker, uuid=marker_uuid, line=campaign.line)
    data = {"state": post.get("state", ""), "method": post.get("method") or SurveyMethod.NONE,
            "action": post.get("action") or MarkerAction.NONE, "note": post.get("note", ""),
            "reference_changes": post.get("reference_changes", ""),
            "accuracy_m": inspections.measure(post, "accuracy_m", label=_("The accuracy"))}
    lon, lat = typed.number(post, "lon", label=_("The longitude")), typed.number(post, "lat", label=_("The latitude"))
    if (lon is None) != (lat is None):
        raise InputError(_("Give both the longitude and the latitude of the measured position."),
                         code="half_a_position", where={"field": "lon" if lon is None else "lat"})
    data["measured"] = None if lon is None else intake_point(lon, lat, crs=4490, field="lon").geometry
    if data["state"] == FoundState.NEW:
        data["new_sequence"] = typed.integer(post, "new_sequence", low=1, high=9999, label=_("The proposed number"))
        data["new_type_code"] = post.get("new_type_code") or "Q"
    inspections.save_record(request.user, campaign, data, marker=marker)


@login_required
@require_POST
def record_sign(request, uuid):
    """Signs a record: addressed by the record, then done as an action on its inspection."""
    rec = get_object_or_404(MarkerRecord.objects.select_related("campaign"), uuid=uuid, is_current=True)
    return _record_sign(request, rec.campaign.uuid, rec=rec)


@campaign_action(gettext_lazy("Signed."))
def _record_sign(request, campaign, *, rec):
    inspections.sign_record(request.user, rec, request.POST.get("side", ""))


@campaign_action(gettext_lazy("The finding was recorded."))
def finding_add(request, campaign):
    inspections.add_finding(request.user, campaign, kind=request.POST.get("kind", ""),
                            description=request.POST.get("description", ""), action=request.POST.get("action", ""))


@campaign_action(gettext_lazy("The report was saved."))
def report_save(request, campaign):
    inspections.save_report(request.user, campaign, summary=request.POST.get("summary", ""),
                            conclusions=request.POST.get("conclusions", ""))


@campaign_action(gettext_lazy("Signed."))
def report_sign(request, campaign):
    report = JointReport.objects.current().filter(campaign=campaign).first()
    if report is None:
        raise InputError(_("The inspection has no report yet."), code="no_report")
    inspections.sign_report(request.user, report, request.POST.get("side", ""))


@campaign_action(gettext_lazy("The filing was recorded."))
def campaign_file(request, campaign):
    filed_on = typed.date(request.POST, "filed_on", timezone.localdate(), label=_("The filing date"))
    inspections.file_campaign(request.user, campaign, filed_on=filed_on, reference=request.POST.get("reference", ""),
                              authority=request.POST.get("authority", ""))


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


LINE_OUTPUTS = {"register": "marker_register", "coordinates": "coordinate_table"}
CAMPAIGN_OUTPUTS = {"records": "record_sheet", "report": "joint_report"}


def _output(builders: dict[str, str], kind: str, fmt: str, subject, *named) -> HttpResponse:
    """The document ``kind`` of a line or an inspection as XLSX or PDF, in a file named by its title and ``named``."""
    from boundaries import outputs
    from core import documents

    if kind not in builders or fmt not in ("xlsx", "pdf"):
        raise Http404
    doc = getattr(outputs, builders[kind])(subject)
    name = "-".join(str(part) for part in (doc.title, *named))
    if fmt == "xlsx":
        return attachment(documents.to_xlsx(doc), documents.XLSX, f"{name}.xlsx")
    return attachment(documents.to_pdf(doc), documents.PDF, f"{name}.pdf")


@login_required
@require_GET
def line_output(request, uuid, kind, fmt):
    line = _visible_line(request.user, uuid)
    return _output(LINE_OUTPUTS, kind, fmt, line, line.name)


@login_required
@require_GET
def campaign_output(request, uuid, kind, fmt):
    campaign = _visible_campaign(request.user, uuid)
    return _output(CAMPAIGN_OUTPUTS, kind, fmt, campaign, campaign.line.name, campaign.year)


@login_required
def topology_report(request):
    """The kept topology problems in the user's regions; POST runs the checks over the whole city now."""
    from accounts.roles import Role
    from accounts.scoping import has_role, scope
    from boundaries import topology
    from boundaries.topology_models import TopologyProblem

    require_reader(request.user)
    if request.method == "POST":
        if not has_role(request.user, Role.OFFICER, Role.REVIEWER):
            raise Http404
        report = topology.run_checks()
        messages.success(request, _("The checks found %(n)s problems.") % {"n": report.total})
        return redirect("borders:topology")
    problems = scope(TopologyProblem.objects.select_related("area_a", "area_b", "line", "marker__line"),
                     request.user, "area_a")
    return render(request, "borders/topology.html", {
        "title": _("Topology checks"), "problems": problems[:500], "count": problems.count()})


@login_required
@require_POST
def dispute_add(request, uuid):
    from borders import lines

    line = _visible_line(request.user, uuid)
    try:
        reported = typed.date(request.POST, "reported_on", timezone.localdate(), label=_("The date reported"))
        lines.record_dispute(
            request.user, line, reported_on=reported,
            title=typed.text(request.POST, "title", max_length=200, label=_("The dispute's title")),
            what=typed.text(request.POST, "what", max_length=10_000, label=_("What happened")),
            mediation=typed.text(request.POST, "mediation", max_length=10_000, label=_("The mediation steps")),
            state=typed.choice(request.POST, "state", DisputeState.values, "open", label=_("dispute state")))
    except DimingError as error:
        messages.error(request, error.message)
        return _line_page(request, line, refused="dispute")
    messages.success(request, _("The dispute was recorded."))
    return redirect("borders:line", uuid=line.uuid)
