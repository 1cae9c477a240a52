import resource

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from boundaries.importing import print_report
from doorplates.importing import import_doorplates
from gis.errors import DimingError


class Command(BaseCommand):
    help = ("Imports doorplates from CSV (UTF-8 or GBK), XLSX or GeoPackage: columns road (or road_uuid, or "
            "address), number, lon, lat; optional county, building, unit, room, plate_type, status, installed_on. "
            "Reports every rejected row.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commit", choices=["all", "valid"], default="all",
                            help="all: import nothing if any row is rejected (default); valid: import the valid rest")
        parser.add_argument("--encoding", default="auto", help="CSV only: auto (UTF-8, else GBK/GB18030), utf-8, gbk")
        parser.add_argument("--crs", default="EPSG:4326",
                            help="coordinates' system: EPSG:4326, EPSG:4490, EPSG:4549, gcj02, bd09 (a GeoPackage's own wins)")
        parser.add_argument("--format", choices=["csv", "xlsx", "gpkg"], help="default: from the file name")
        parser.add_argument("--user", help="import as this user (region and role are checked)")
        parser.add_argument("--max-distance", type=float, default=200.0,
                            help="reject plates further than this many metres from their road")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, commit, encoding, crs, format, user, max_distance, dry_run, no_progress, **options):
        actor = self._actor(user)
        bars: dict[str, tqdm] = {}

        def progress(stage, advanced, total):
            if no_progress:
                return
            if stage not in bars:
                label = {"rows": "检查", "insert": "写入"}.get(stage, stage)
                bars[stage] = tqdm(total=total, desc=label, unit="行", file=self.stderr._out, leave=False)
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

    def _actor(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"没有用户 {username}") from exc

    def _print(self, report, dry_run):
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print_report(self, report, f"新增门牌 {report.created} 块。内存峰值 {peak_mb:.0f} MB。", dry_run=dry_run)
