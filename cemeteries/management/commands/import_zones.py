from django.utils.translation import gettext_lazy

from cemeteries.management.layer_import import LayerImportCommand
from cemeteries.models import ZoneKind
from cemeteries.zones import import_zones


class Command(LayerImportCommand):
    help = ("Imports zones where graves may not be (farmland, forest, scenic, heritage, reservoir, water source) from "
            "a GeoPackage or GeoJSON file; the graves in them are tagged. Reports every row.")
    importer = staticmethod(import_zones)
    kinds = ZoneKind.values
    kind_help = "the kind of every zone (default: each feature's kind property)"
    saved_message = gettext_lazy("%(saved)d zones saved, %(rejected)d rows refused.")
