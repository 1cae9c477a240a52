"""Canteens as a public layer (tiles, OGC API, Amap and Baidu exports): where elderly people find a meal.

Only open and suspended canteens are published (a suspended one is still where people look, with its status);
planned and closed ones are not. The operator and its contact phone are private.
"""

from django.utils.translation import gettext as _

from canteens.models import PRIVATE, PUBLISHED_STATUSES
from gis.layers import Layer, register

register(Layer(
    name="canteens", title=_("Canteens for the elderly"), model="canteens.Canteen", geometry_type="Point",
    id_field="uuid",
    properties=("name", "kind", "address", "status", "seats", "opening_hours", "delivers", "delivery_radius_m"),
    private_properties=PRIVATE.fields,
    private_roles=PRIVATE.roles,
    region_path="area", minzoom=9, maxzoom=22,
    published=lambda qs: qs.filter(status__in=PUBLISHED_STATUSES),
    label_field="name", extra={"record_url": "canteens:detail"},
    description=_("Canteens for the elderly, meal points and central kitchens (open and suspended ones only)"),
))
