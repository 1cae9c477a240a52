from django.utils.translation import gettext as _

from accounts.roles import Role
from gis.layers import Layer, register

register(Layer(
    name="counties", title=_("Counties"), model="boundaries.AdminArea", geometry_type="MultiPolygon",
    id_field="code", properties=("code", "name", "level"), region_path=None, minzoom=0, maxzoom=22,
    published=lambda qs: qs.filter(level="county").exclude(geom=None), label_field="name",
    description=_("County-level divisions (the demo's boundaries are synthetic)"),
))
register(Layer(
    name="townships", title=_("Townships and subdistricts"), model="boundaries.AdminArea", geometry_type="MultiPolygon",
    id_field="code", properties=("code", "name", "level"), region_path=None, minzoom=8, maxzoom=22,
    published=lambda qs: qs.filter(level="township").exclude(geom=None), label_field="name",
))
register(Layer(
    name="villages", title=_("Villages (communities)"), model="boundaries.AdminArea", geometry_type="MultiPolygon",
    id_field="code", properties=("code", "name", "level", "urban_rural_code", "elderly_population"),
    region_path=None, minzoom=11, maxzoom=22,
    published=lambda qs: qs.filter(level="village").exclude(geom=None), label_field="name",
))

# Boundary lines are public (the agreed line is published). Markers are internal: their precise CGCS2000 positions
# are for the two sides' officers and crews on the map and the OGC API, never public tiles, exports or the feed.
# A marker, a finding and a topology problem are seen by the officers and crews of either side of their line (or
# of either area of a gap or an overlap); the city's sees them all.
register(Layer(
    name="boundary_lines", title=_("Administrative boundary lines"), model="boundaries.BoundaryLine",
    geometry_type="MultiLineString", id_field="uuid", properties=("name", "level", "line_code"), region_path=None,
    minzoom=0, maxzoom=22, label_field="name", extra={"record_url": "borders:line"},
    description=_("Administrative boundary lines (the demo's lines are synthetic)"),
))
register(Layer(
    name="boundary_markers", title=_("Boundary markers (internal)"), model="boundaries.BoundaryMarker",
    geometry_type="Point", id_field="uuid", properties=("sequence", "type_code", "state", "maintained_by"),
    region_path=("line__side_a", "line__side_b"), roles=(Role.OFFICER, Role.REVIEWER, Role.FIELD_CREW),
    internal=True, minzoom=10, maxzoom=22, extra={"record_url": "borders:marker"},
    description=_("Registered marker positions (internal layer: never public, never exported)"),
))
# Internal too: a marker off its line is drawn at the marker's position.
register(Layer(
    name="topology_problems", title=_("Topology problems (internal)"), model="boundaries.TopologyProblem",
    geometry_type="Geometry", id_field="pk", properties=("kind", "measure"), roles=(Role.OFFICER, Role.REVIEWER),
    region_path=("parent", "area_a", "area_b", "line__side_a", "line__side_b", "marker__line__side_a",
                 "marker__line__side_b"),
    internal=True, minzoom=6, maxzoom=22,
    description=_("Gaps, overlaps, areas beyond their parent, lines and markers off their place (internal layer)"),
))
register(Layer(
    name="inspection_findings", title=_("Joint inspection findings (internal)"), model="boundaries.SegmentFinding",
    geometry_type="Geometry", id_field="pk", properties=("kind", "description"),
    region_path=("campaign__line__side_a", "campaign__line__side_b"),
    roles=(Role.OFFICER, Role.REVIEWER, Role.FIELD_CREW), internal=True, minzoom=8, maxzoom=22,
    published=lambda qs: qs.exclude(geom=None),
    description=_("What joint inspections recorded along the lines (internal layer)"),
))
