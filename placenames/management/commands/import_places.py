from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from boundaries.importing import add_file_arguments, command_user, print_report
from gis.errors import DimingError
from placenames.bulk import import_places


class Command(BaseCommand):
    help = ("Loads place names in bulk from CSV (UTF-8 or GBK), XLSX or GeoPackage: columns name, GB/T 18521 category "
            "(code or name), longitude + latitude or a WKT column (a GeoPackage's geometry), with the census's Chinese "
            "headers understood; optional county, township, pinyin, meaning, origin, aliases, history, description, "
            "source, registrar, location. Flagged records wait in the checking queue; every rejected row is reported.")

    def add_arguments(self, parser):
        add_file_arguments(parser, crs="EPSG:4490")

    def handle(self, *args, file, commit, encoding, crs, format, user, dry_run, **options):
        actor = command_user(user)
        try:
            report = import_places(file, fmt=format, commit=commit, encoding=encoding, crs=crs, actor=actor,
                                   dry_run=dry_run)
        except (DimingError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        print_report(self, report, _("%(n)s place names added") % {"n": report.created}, dry_run=dry_run)
