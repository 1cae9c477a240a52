from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gis.errors import DimingError
from tiles.pmtiles_export import export_area, parse_zooms


class Command(BaseCommand):
    help = "Writes a PMTiles archive (offline package for tablets) of an admin area's public tiles."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="admin area code, e.g. 330302")
        parser.add_argument("--zooms", default="10-17", help="zoom range, e.g. 10-17")
        parser.add_argument("--layers", default=None, help="comma-separated layer names (default: every public layer)")
        parser.add_argument("--out", default=None, help="output file (default: MEDIA_ROOT/pmtiles/CODE.pmtiles)")

    def handle(self, *args, **options):
        try:
            zooms = parse_zooms(options["zooms"])
            result = export_area(options["area"], zooms, options["layers"],
                                 Path(options["out"]) if options["out"] else None,
                                 progress=lambda done, total: self.stdout.write(f"  {done}/{total}"))
        except DimingError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"{result.path}: {result.written} tiles with data of {result.tiles}, {result.size / 1024:.0f} KB"))
