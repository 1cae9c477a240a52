import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cemeteries.viewshed import GDAL_CURVATURE, ViewshedError, viewshed


def _metres(value: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = ("Writes the viewshed of one observer over a DEM (GeoTIFF or HGT) as a GeoTIFF in EPSG:4549: 1 visible, "
            "0 hidden, 255 (nodata) beyond the radius; as gdal_viewshed computes it.")

    def add_arguments(self, parser):
        parser.add_argument("--dem", required=True, help="the DEM: a GeoTIFF or an SRTM .hgt file")
        parser.add_argument("--observer", required=True, help="the observer's WGS84 longitude,latitude")
        parser.add_argument("--observer-height", default="1.6", help="metres above the ground (1.6)")
        parser.add_argument("--target-height", default="0", help="metres above the ground of each cell (0)")
        parser.add_argument("--radius", required=True, help="metres")
        parser.add_argument("--curvature", default=str(GDAL_CURVATURE),
                            help="earth curvature less refraction, as gdal_viewshed -cc (0 for a flat earth)")
        parser.add_argument("--out", required=True, help="the GeoTIFF to write")

    def handle(self, *args, **options):
        dem = Path(options["dem"])
        if not dem.is_file():
            raise CommandError(_("The DEM file %(path)s does not exist.") % {"path": dem})
        try:
            lon, lat = (float(part) for part in options["observer"].split(","))
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValueError(options["observer"])
        except ValueError:
            raise CommandError(_("The observer must be a longitude and a latitude: LON,LAT (e.g. 119.8,27.6).")) from None
        numbers = {}
        for name in ("observer_height", "target_height", "radius", "curvature"):
            try:
                numbers[name] = _metres(options[name])
            except ValueError:
                raise CommandError(_("--%(option)s must be a number.") % {"option": name.replace("_", "-")}) from None
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(_("The folder of %(path)s does not exist.") % {"path": out})
        try:
            counts = viewshed(dem, lon, lat, numbers["observer_height"], numbers["target_height"], numbers["radius"],
                              out, curvature=numbers["curvature"])
        except ViewshedError as exc:
            raise CommandError(_(exc.message_id) % exc.params) from None
        self.stdout.write(_("%(visible)d cells visible, %(hidden)d hidden (cells of %(cell).1f m); written to %(path)s")
                          % {**counts, "path": out})
