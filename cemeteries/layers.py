"""The cemeteries' map layers: graves (internal: crews and officers of the region; the owner never in it), the
corridors, their survey bands and the protected zones (working layers for the remediation campaigns, not exported).

Titles are looked up when the registry is first read, in the site's language (LANGUAGE_CODE).
"""

from django.utils.translation import gettext as _

from accounts.roles import Role
from gis.layers import Layer, register

WORKERS = (Role.OFFICER, Role.REVIEWER, Role.FIELD_CREW)

register(Layer(
    name="graves", title=_("Scattered graves (internal)"), model="cemeteries.Grave", geometry_type="Point",
    id_field="uuid", properties=("state", "grade", "form", "tomb_count", "protected", "rebounds"),
    # the owner (cemeteries.models.PRIVATE) is never a property of the layer, for anyone
    roles=WORKERS, internal=True, region_path="area",
    minzoom=10, maxzoom=22, label_field=None,
    description=_("Private graves under remediation (internal layer: never public, never exported)"),
))
register(Layer(
    name="grave_corridors", title=_("Grave survey corridors"), model="cemeteries.Corridor",
    geometry_type="MultiLineString", id_field="pk", properties=("name", "kind", "road_class", "buffer_m"),
    roles=WORKERS, internal=True, region_path=None, minzoom=6, maxzoom=22, label_field="name",
    description=_("Expressways, national and provincial roads, railways and rivers surveyed for graves"),
))
register(Layer(
    name="grave_bands", title=_("Grave survey bands"), model="cemeteries.CorridorBand",
    geometry_type="MultiPolygon", id_field="pk", properties=("width_m",),
    roles=WORKERS, internal=True, region_path=None, minzoom=8, maxzoom=22,
    description=_("The band either side of each corridor where graves are surveyed"),
))
register(Layer(
    name="grave_zones", title=_("Zones closed to graves"), model="cemeteries.Zone", geometry_type="MultiPolygon",
    id_field="pk", properties=("name", "kind", "source"), roles=WORKERS, internal=True, region_path=None,
    minzoom=8, maxzoom=22, label_field="name",
    description=_("Farmland, forest, scenic, heritage, reservoir and water-source zones where graves may not be"),
))
