from django.core.management.base import BaseCommand, CommandError

from boundaries.importing import print_report
from boundaries.services import import_divisions
from gis.errors import DimingError


class Command(BaseCommand):
    help = ("Imports an official division code list (CSV with columns code, name, level, parent_code; "
            "optional urban_rural_code). Reports every rejected row.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commit", choices=["all", "valid"], default="all",
                            help="all: import nothing if any row is rejected (default); valid: import the valid rest")
        parser.add_argument("--encoding", default="auto", help="auto (UTF-8, else GBK/GB18030), utf-8, gbk, gb18030")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")

    def handle(self, *args, file, commit, encoding, dry_run, **options):
        try:
            report = import_divisions(file, commit=commit, encoding=encoding, dry_run=dry_run)
        except (DimingError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        print_report(self, report, f"新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}。",
                     dry_run=dry_run)
