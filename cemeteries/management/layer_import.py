"""What the import_zones and import_corridors commands share: the options and the report row by row."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cemeteries.zones import import_layer
from gis.errors import DimingError


class LayerImportCommand(BaseCommand):
    """Imports one layer from a file; a subclass names the layer (cemeteries.zones.ZONES or CORRIDORS: its kinds
    and its words) and the help of --kind."""

    layer = None
    kind_help = ""

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", choices=self.layer.kinds.values, help=self.kind_help)
        parser.add_argument("--crs", help="GeoJSON only: the coordinates' system when the file names none "
                                          "(default EPSG:4326)")
        parser.add_argument("--format", choices=["gpkg", "geojson"], help="default: from the file name")
        parser.add_argument("--commit", choices=["valid", "all"], default="valid",
                            help="valid: save the good rows (default); all: save nothing if a row is refused")

    def handle(self, *args, file, kind, crs, format, commit, **options):
        try:
            report = import_layer(self.layer, file, kind=kind, fmt=format, crs=crs, commit=commit)
        except (DimingError, OSError) as exc:
            raise CommandError(str(getattr(exc, "message", exc))) from exc
        for row in report.rows:
            if row.ok:
                notes = ("; ".join(row.notes)) if row.notes else ""
                self.stdout.write(_("row %(row)d: %(name)s saved %(notes)s") % {"row": row.row, "name": row.name,
                                                                              "notes": notes})
            else:
                self.stdout.write(_("row %(row)d: %(name)s refused: %(why)s") % {"row": row.row, "name": row.name,
                                                                               "why": row.message})
        self.stdout.write(str(self.layer.saved) % {"saved": report.saved, "rejected": report.rejected})
