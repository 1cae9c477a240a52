from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from boundaries.importing import add_file_arguments, print_report
from boundaries.services import import_divisions
from gis.errors import DimingError


class Command(BaseCommand):
    help = ("Imports an official division code list (CSV with columns code, name, level, parent_code; "
            "optional urban_rural_code). Reports every rejected row.")

    def add_arguments(self, parser):
        add_file_arguments(parser)

    def handle(self, *args, file, commit, encoding, dry_run, **options):
        try:
            report = import_divisions(file, commit=commit, encoding=encoding, dry_run=dry_run)
        except (DimingError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        print_report(self, report, _("%(created)s added, %(updated)s updated, %(unchanged)s unchanged.")
                     % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
                     dry_run=dry_run)
