"""The documents of boundary management: the marker register (界桩登记表), the marker coordinate table (界桩成果表),
a campaign's inspection record sheet (联检记录表) and its joint report (联检报告), each with a map of the line drawn as
SVG.

Each document is built here once as a ``core.documents.Document`` (title, facts, tables); core.documents' two
writers lay it out as XLSX and PDF.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from boundaries.inspection_models import FoundState, InspectionCampaign, JointReport, MarkerRecord
from boundaries.line_models import BoundaryLine, Side
from core.documents import Document, Table
from gis.crs import METRIC_SRID, transform_xy


def _side_name(line: BoundaryLine, side: str) -> str:
    return line.side_area(side).name


def _signature_cells(obj, line) -> list[tuple[str, str, str]]:
    out = []
    for side in Side.values:
        by, at = obj.signed_by(side), obj.signed_at(side)
        out.append((_side_name(line, side), by.get_full_name() or by.username if by else "",
                    timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""))
    return out


def _num(value, digits: int = 3) -> str:
    return "" if value is None else f"{float(value):.{digits}f}"


def line_facts(line: BoundaryLine) -> list[tuple[str, str]]:
    facts = []
    for label, area, department in ((_("Side A"), line.side_a, line.department_a),
                                    (_("Side B"), line.side_b, line.department_b)):
        facts.append((label, _("%(area)s (%(department)s)") % {"area": area.full_name(), "department": department}
                      if department else area.full_name()))
    facts += [(_("Line code"), line.line_code),
              (_("Agreement"), " ".join(filter(None, [line.agreement_number, str(line.agreement_date or "")])))]
    if line.source == "demo":
        facts.append((_("Synthetic data"), _("demo data, not a legal boundary")))
    return facts


def marker_register(line: BoundaryLine) -> Document:
    """界桩登记表: each marker's number, type, class, material and form, the side maintaining it, its state and
    reference features."""
    rows = []
    for m in line.markers.select_related("line", "marker_class").prefetch_related("references"):
        refs = _("; ").join(f"{r.name} {float(r.bearing_deg):.1f}° {float(r.distance_m):.1f} m" for r in m.references.all())
        rows.append([m.number, m.get_type_code_display(), m.marker_class.name, m.material, m.form,
                     _side_name(line, m.maintained_by), str(m.set_on or ""), m.get_state_display(), refs])
    headers = [_("Marker number"), _("Type"), _("Class"), _("Material"), _("Form"), _("Maintained by"), _("Set on"),
               _("State"), _("Reference features (bearing, distance)")]
    return Document(_("Marker register"), line.name, line_facts(line),
                    [Table(_("Markers"), headers, rows)], map_svg=line_map_svg(line))


def plane_xy(lon: float, lat: float) -> tuple[float, float]:
    """CGCS2000 Gauss-Krüger 3° zone (CM 120°E, EPSG:4549) as survey tables write it: X north, Y east (m)."""
    east, north = transform_xy(lon, lat, 4490, METRIC_SRID)
    return north, east


def coordinate_table(line: BoundaryLine) -> Document:
    """界桩成果表: the registered CGCS2000 position of each marker, geographic and plane, with its elevation."""
    rows = []
    for m in line.markers.select_related("line"):
        x, y = plane_xy(m.geom.x, m.geom.y)
        rows.append([m.number, f"{m.geom.y:.8f}", f"{m.geom.x:.8f}", f"{x:.3f}", f"{y:.3f}", _num(m.elevation_m, 2),
                     m.get_state_display()])
    headers = [_("Marker number"), _("Latitude B (°)"), _("Longitude L (°)"), _("X (m)"), _("Y (m)"), _("Elevation H (m)"),
               _("State")]
    facts = line_facts(line) + [(_("Coordinate system"),
                                                      _("CGCS2000; plane: Gauss-Krüger 3° zone, CM 120°E (EPSG:4549)"))]
    return Document(_("Marker coordinate table"), line.name, facts, [Table(_("Markers"), headers, rows)],
                    map_svg=line_map_svg(line))


def _records(campaign: InspectionCampaign):
    return (MarkerRecord.objects.current().filter(campaign=campaign)
            .select_related("marker__line", "campaign__line", "signed_a_by", "signed_b_by"))


def record_sheet(campaign: InspectionCampaign) -> Document:
    """联检记录表: per marker what was found, measured and done, and both sides' signatures."""
    line = campaign.line
    rows = []
    for r in _records(campaign):
        signatures = _signature_cells(r, line)
        rows.append([r.number, r.version, r.get_state_display(),
                     f"{r.measured.x:.8f}, {r.measured.y:.8f}" if r.measured else "", r.get_method_display(),
                     _num(r.accuracy_m), _num(r.displacement_m), _num(r.tolerance_m, 2),
                     _("beyond") if r.beyond_tolerance else "", r.reference_changes, r.get_action_display(),
                     " ".join(signatures[0][1:]).strip(), " ".join(signatures[1][1:]).strip()])
    headers = [_("Marker number"), _("Version"), _("State found"), _("Re-measured position"), _("Method"), _("Accuracy (m)"),
               _("Displacement (m)"), _("Tolerance (m)"), _("Flag"), _("Reference feature changes"), pgettext("inspection action", "Action"),
               _side_name(line, Side.A), _side_name(line, Side.B)]
    findings = [[f.get_kind_display(), f.from_marker.number if f.from_marker_id else "",
                 f.to_marker.number if f.to_marker_id else "", f.description, f.action]
                for f in campaign.findings.select_related("from_marker__line", "to_marker__line")]
    return Document(_("Joint inspection record sheet"), f"{line.name} {campaign.year}", _campaign_facts(campaign),
                    [Table(_("Marker records"), headers, rows),
                     Table(_("Findings along the line"), [_("Kind"), _("From marker"), _("To marker"),
                                                          _("Description"), pgettext("inspection action", "Action")], findings)],
                    map_svg=line_map_svg(line, campaign))


def _campaign_facts(campaign: InspectionCampaign) -> list[tuple[str, str]]:
    line = campaign.line
    members = {side: _(", ").join(_("%(name)s (%(role)s)") % {"name": m.name, "role": m.role} if m.role else m.name
                                  for m in campaign.members.filter(side=side)) for side in Side.values}
    facts = line_facts(line)
    facts += [(_("Inspection"), f"{campaign.year} {campaign.get_kind_display()}"),
              (_("State"), campaign.get_state_display()),
              (_("Members of %(side)s") % {"side": line.side_a.name}, members[Side.A]),
              (_("Members of %(side)s") % {"side": line.side_b.name}, members[Side.B])]
    if campaign.filing_reference:
        facts.append((_("Filed"), f"{campaign.filed_on} {campaign.filing_authority} {campaign.filing_reference}"))
    return facts


def joint_report(campaign: InspectionCampaign) -> Document:
    """联检报告: the campaign, the count of markers by state, the findings, the text and both signatures."""
    line = campaign.line
    report = JointReport.objects.current().filter(campaign=campaign).select_related("signed_a_by",
                                                                                    "signed_b_by").first()
    records = list(_records(campaign))
    counts = [[label, sum(1 for r in records if r.state == value)] for value, label in FoundState.choices]
    counts.append([_("beyond tolerance"), sum(1 for r in records if r.beyond_tolerance)])
    flagged = [[r.number, r.get_state_display(), _num(r.displacement_m), r.get_action_display()]
               for r in records if r.state != FoundState.INTACT or r.beyond_tolerance]
    doc = Document(_("Joint inspection report"), f"{line.name} {campaign.year}", _campaign_facts(campaign),
                   [Table(_("Markers by state"), [_("State"), _("Markers")], counts),
                    Table(_("Markers needing attention"), [_("Marker number"), _("State found"), _("Displacement (m)"),
                                                           pgettext("inspection action", "Action")], flagged)],
                   map_svg=line_map_svg(line, campaign), landscape=False)
    if campaign.plan:
        doc.text.append((_("Plan"), campaign.plan))
    if report is not None:
        doc.text += [(pgettext("inspection report", "Summary"), report.summary), (_("Conclusions"), report.conclusions)]
        doc.signatures = _signature_cells(report, line)
    return doc


# -- the map ------------------------------------------------------------------------------------------------------
def line_map_svg(line: BoundaryLine, campaign: InspectionCampaign | None = None, width: int = 640,
                 height: int = 300) -> str:
    """The line and its markers as an SVG drawn in the Gauss-Krüger plane (true shape), with a scale bar; markers
    found damaged, lost or displaced in ``campaign`` in red."""
    parts = [[plane_xy(x, y)[::-1] for x, y in part.coords] for part in line.geom]  # (east, north)
    markers = [(m.number, *plane_xy(m.geom.x, m.geom.y)[::-1]) for m in line.markers.select_related("line")]
    flagged = set()
    if campaign is not None:
        flagged = {r.marker_id for r in _records(campaign) if r.state != FoundState.INTACT or r.beyond_tolerance}
        flagged = {m.number for m in line.markers.filter(pk__in=flagged).select_related("line")}
    xs = [p[0] for part in parts for p in part] + [m[1] for m in markers]
    ys = [p[1] for part in parts for p in part] + [m[2] for m in markers]
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    pad = 24
    scale = min((width - 2 * pad) / max(maxx - minx, 1), (height - 2 * pad) / max(maxy - miny, 1))

    def sx(x):
        return pad + (x - minx) * scale

    def sy(y):
        return height - pad - (y - miny) * scale

    paths = "".join(f'<polyline points="{" ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in part)}" '
                    f'fill="none" stroke="#b5179e" stroke-width="2" stroke-dasharray="6 3"/>' for part in parts)
    dots = "".join(
        f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3.5" fill="{"#c62828" if n in flagged else "#1a4f9c"}"/>'
        f'<text x="{sx(x) + 4:.1f}" y="{sy(y) - 4:.1f}" font-size="8">{n[-4:]}</text>' for n, x, y in markers)
    bar_m = _round_length((maxx - minx) / 4 or 100)
    bar = (f'<line x1="{pad}" y1="{height - 8}" x2="{pad + bar_m * scale:.1f}" y2="{height - 8}" stroke="#222" '
           f'stroke-width="2"/><text x="{pad}" y="{height - 11}" font-size="8">{_format_length(bar_m)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="Noto Sans CJK SC"><rect width="100%" height="100%" fill="#f7f5ef"/>{paths}{dots}{bar}'
            f'<text x="{width - 20}" y="20" font-size="12">N↑</text></svg>')


def _round_length(metres: float) -> float:
    for step in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        if step >= metres:
            return step
    return 100000


def _format_length(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
