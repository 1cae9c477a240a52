from cemeteries.management.layer_import import LayerImportCommand
from cemeteries.zones import ZONES


class Command(LayerImportCommand):
    help = ("Imports zones where graves may not be (farmland, forest, scenic, heritage, reservoir, water source) from "
            "a GeoPackage or GeoJSON file; the graves in them are tagged. Reports every row.")
    layer = ZONES
    kind_help = "the kind of every zone (default: each feature's kind property)"
