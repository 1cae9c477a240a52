from cemeteries.management.layer_import import LayerImportCommand
from cemeteries.zones import CORRIDORS


class Command(LayerImportCommand):
    help = ("Imports corridors (expressways, national and provincial roads, railways, rivers: lines) from a "
            "GeoPackage or GeoJSON file; the graves in their bands are tagged. Reports every row.")
    layer = CORRIDORS
    kind_help = "the kind of every corridor (default: each feature's kind property)"
