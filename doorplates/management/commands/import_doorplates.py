import resource

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from tqdm import tqdm

from boundaries.importing import add_file_arguments, command_user, print_report
from doorplates.importing import import_doorplates
from gis.errors import DimingError


class Command(BaseCommand):
    help = ("Imports doorplates from CSV (UTF-8 or GBK), XLSX or GeoPackage: columns road (or road_uuid, or "
            "address), number, lon, lat; optional county, building, unit, room, plate_type, status, installed_on. "
            "Reports every rejected row.")

    def add_arguments(self, parser):
        add_file_arguments(parser, crs="EPSG:4326")
        parser.add_argument("--max-distance", type=float, default=200.0,
                            help="reject plates further than this many metres from their road")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, commit, encoding, crs, format, user, max_distance, dry_run, no_progress, **options):
        actor = command_user(user)
        bars: dict[str, tqdm] = {}

        def progress(stage, advanced, total):
            if no_progress:
                return
            if stage not in bars:
                label = {"rows": _("checking"), "insert": _("writing")}.get(stage, stage)
                bars[stage] = tqdm(total=total, desc=label, unit=pgettext("progress unit", "rows"), file=self.stderr._out, leave=False)
            bars[stage].update(advanced)

        try:
            report = import_doorplates(file, fmt=format, commit=commit, encoding=encoding, crs=crs, actor=actor,
                                       dry_run=dry_run, max_distance_m=max_distance, progress=progress)
        except (DimingError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for bar in bars.values():
                bar.close()
        self._print(report, dry_run)

    def _print(self, report, dry_run):
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print_report(self, report, _("%(count)s plates added. Peak memory %(mb).0f MB.")
                     % {"count": report.created, "mb": peak_mb}, dry_run=dry_run)
