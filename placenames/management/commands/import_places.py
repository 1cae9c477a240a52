from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from boundaries.importing import print_report
from gis.errors import DimingError
from placenames.bulk import import_places


class Command(BaseCommand):
    help = ("Loads place names in bulk from CSV (UTF-8 or GBK), XLSX or GeoPackage: columns name, GB/T 18521 category "
            "(code or name), longitude + latitude or a WKT column (a GeoPackage's geometry), with the census's Chinese "
            "headers understood; optional county, township, pinyin, meaning, origin, aliases, history, description, "
            "source, registrar, location. Flagged records wait in the checking queue; every rejected row is reported.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commit", choices=["all", "valid"], default="all",
                            help="all: load nothing if any row is rejected (default); valid: load the valid rest")
        parser.add_argument("--encoding", default="auto", help="CSV only: auto (UTF-8, else GBK/GB18030), utf-8, gbk")
        parser.add_argument("--crs", default="EPSG:4490",
                            help="coordinates' system: EPSG:4490, EPSG:4326, EPSG:4549, gcj02, bd09 (a GeoPackage's wins)")
        parser.add_argument("--format", choices=["csv", "xlsx", "gpkg"], help="default: from the file name")
        parser.add_argument("--user", help="load as this user (region and role are checked)")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")

    def handle(self, *args, file, commit, encoding, crs, format, user, dry_run, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("No user %(name)s") % {"name": user})
        try:
            report = import_places(file, fmt=format, commit=commit, encoding=encoding, crs=crs, actor=actor,
                                   dry_run=dry_run)
        except (DimingError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        print_report(self, report, _("%(n)s place names added") % {"n": report.created}, dry_run=dry_run)
