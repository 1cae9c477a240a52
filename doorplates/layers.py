"""Installed doorplates as a public layer (tiles, OGC API, Amap and Baidu exports).

Plates of every base (road, village, residential area) are published alike: ``base_kind`` says which, ``road_name``
holds the base's name and ``number_label`` the number (or, in a residential area without one, 3幢2单元501室; in a
village numbered by villager group, the group and number, 3组12号, with the group also in ``villager_group``), so a
platform's name column reads 苍坡村12号, 苍坡村3组12号 or 翠微小区3幢2单元501室. Only installed plates are published; planned, damaged and retired ones are not. Nothing personal is held on a
plate, and the QR token is not a layer property (it would let anyone print a plate's code).
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from doorplates.models import PlateStatus
from gis.layers import Layer, register

register(Layer(
    name="doorplates", title=pgettext("layer", "Doorplates"), model="doorplates.Doorplate", geometry_type="Point",
    id_field="uuid",
    properties=("address", "base_kind", "road_name", "villager_group", "number_label", "building", "unit", "room", "plate_type",
                "status"),
    region_path="area", minzoom=15, maxzoom=22,
    published=lambda qs: qs.filter(status=PlateStatus.INSTALLED),
    label_field="number_label", extra={"record_url": "doorplates:plate"},
    description=_("Installed digital doorplates (standard address, road, village or residential area and its name, house number, plate type)"),
))
