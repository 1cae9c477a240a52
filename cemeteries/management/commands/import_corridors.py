from django.utils.translation import gettext_lazy

from cemeteries.management.layer_import import LayerImportCommand
from cemeteries.models import CorridorKind
from cemeteries.zones import import_corridors


class Command(LayerImportCommand):
    help = ("Imports corridors (expressways, national and provincial roads, railways, rivers: lines) from a "
            "GeoPackage or GeoJSON file; the graves in their bands are tagged. Reports every row.")
    importer = staticmethod(import_corridors)
    kinds = CorridorKind.values
    kind_help = "the kind of every corridor (default: each feature's kind property)"
    saved_message = gettext_lazy("%(saved)d corridors saved, %(rejected)d rows refused.")
