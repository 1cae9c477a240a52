from pathlib import Path

from django.contrib.gis.geos import Polygon
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gis.errors import InputError


class Command(BaseCommand):
    help = ("Checks a DEM (a GeoTIFF or an SRTM .hgt tile) and registers it for visibility from the road; every "
            "corridor's counts are then recomputed by the worker (background jobs).")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the DEM file")
        parser.add_argument("--no-recount", action="store_true", help="register only; queue no visibility jobs")

    def handle(self, *args, path, no_recount, **options):
        from cemeteries.campaign_models import ElevationModel
        from cemeteries.sights import schedule_all
        from cemeteries.terrain import describe_dem

        file = Path(path)
        if not file.is_file():
            raise CommandError(_("The DEM file %(path)s does not exist.") % {"path": file})
        try:
            facts = describe_dem(file)
        except InputError as error:
            raise CommandError(str(error)) from None
        west, south, east, north = facts.bounds
        bounds = Polygon.from_bbox((west, south, east, north))
        bounds.srid = 4490  # CGCS2000 and WGS84 agree to a metre here
        ElevationModel.objects.create(path=facts.path, driver=facts.driver, crs=facts.crs, width=facts.width,
                                      height=facts.height, cell_m=facts.cell_m,
                                      bounds=bounds)
        self.stdout.write(_("Registered %(path)s: %(driver)s, %(width)d x %(height)d cells of about %(cell).1f m, "
                            "%(west).3f-%(east).3f E, %(south).3f-%(north).3f N.")
                          % {"path": facts.path, "driver": facts.driver, "width": facts.width,
                             "height": facts.height, "cell": facts.cell_m, "west": west, "east": east,
                             "south": south, "north": north})
        if not no_recount:
            jobs = schedule_all()
            self.stdout.write(_("%(count)d corridors queued for visibility counts.") % {"count": len(jobs)})
