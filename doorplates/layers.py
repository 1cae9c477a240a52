"""Installed doorplates as a public layer (tiles, OGC API, Amap and Baidu exports).

Plates of every base (road, village, residential area) are published alike: ``base_kind`` says which, ``road_name``
holds the base's name and ``number_label`` the number (or, in a residential area without one, 3幢2单元501室; in a
village numbered by villager group, the group and number, 3组12号, with the group also in ``villager_group``), so a
platform's name column reads 苍坡村12号, 苍坡村3组12号, 杨府山西街103号3幢 (a building's plate on a road: the
building follows the number there) or 翠微小区3幢2单元501室. Only installed plates are published; planned, damaged and retired ones are not. Nothing personal is held on a
plate, and the QR token is not a layer property (it would let anyone print a plate's code).
"""

from django.db.models import CharField, F, Q, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Concat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from doorplates.addresses import PART_SUFFIXES
from doorplates.models import PlateStatus
from gis.layers import Layer, register


def _parts_after_number():
    """The building, unit and room after a house number (the 3幢 of 杨府山西街103号3幢), in SQL: a platform's name is
    the plate as written on its wall. A plate without a number already shows them as its number (3幢2单元501室)."""
    parts = [Case(When(~Q(**{field: ""}), then=Concat(F(field), Value(suffix))), default=Value(""))
             for field, suffix in PART_SUFFIXES]
    return Case(When(number__isnull=True, then=Value("")), default=Concat(*parts), output_field=CharField())


register(Layer(
    name="doorplates", title=pgettext("layer", "Doorplates"), model="doorplates.Doorplate", geometry_type="Point",
    id_field="uuid",
    properties=("address", "base_kind", "road_name", "villager_group", "number_label", "building", "unit", "room", "plate_type",
                "status"),
    region_path="area", minzoom=15, maxzoom=22,
    published=lambda qs: qs.filter(status=PlateStatus.INSTALLED),
    label_field="number_label",
    extra={"record_url": "doorplates:plate",
           "exports": {"address_field": "address", "kind_lookup": "plate_type",
                       "columns": {"ex_parts": _parts_after_number()},
                       "name_fields": ("road_name", "number_label", "ex_parts")}},
    description=_("Installed digital doorplates (standard address, road, village or residential area and its name, house number, plate type)"),
))
