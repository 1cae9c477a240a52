"""The main navigation: each entry appears only when its URL exists, so a module shows up once it is built."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

ENTRIES = [
    ("placenames:queue", _("Place names"), _("Naming applications, approval, announcements")),
    ("doorplates:index", _("Doorplates"), _("Digital doorplates, numbering along roads, QR plates")),
    ("boundaries:lines", _("Boundaries"), _("Boundary lines, markers and joint inspections")),
    ("canteens:coverage", _("Elderly meals"), _("Canteens, meal-service coverage and siting")),
    ("tiles:map", _("Map"), _("Every layer on one map")),
    ("exports:index", _("Exports"), _("Amap, Baidu and open formats; the change feed")),
    ("jobs:list", _("Background jobs"), _("Imports and other long work, with their progress and results")),
    ("admin:index", _("Data administration"), _("Areas, users, roles and raw records")),
]


def navigation(request):
    items = []
    for name, label, description in ENTRIES:
        try:
            items.append({"url": reverse(name), "label": label, "description": description})
        except NoReverseMatch:
            continue
    return {"diming_nav": items}
