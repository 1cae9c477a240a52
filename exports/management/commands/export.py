"""manage.py export --profile amap --layer doorplates [--area 330302] [--since TXID] --out PATH"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from exports.profiles import PROFILES
from exports.services import export_file
from exports.sources import Filters, prefix_of_code
from exports.writers import ENCODINGS
from gis.errors import DimingError


class Command(BaseCommand):
    help = "Export a layer for Amap, Baidu, the civil-affairs map list or open GIS formats (streaming)."
    requires_system_checks = []  # a data job: the URL and template checks would only add start-up time

    def add_arguments(self, parser):
        parser.add_argument("--profile", required=True, choices=sorted(PROFILES))
        parser.add_argument("--layer", required=True)
        parser.add_argument("--area", action="append", default=[], help="admin area code; repeat for several")
        parser.add_argument("--kind", action="append", default=[], help="kind code; repeat for several")
        parser.add_argument("--status", action="append", default=[], help="status; repeat for several")
        parser.add_argument("--since", type=int, help="only changes after this transaction number")
        parser.add_argument("--encoding", choices=sorted(ENCODINGS))
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            prefixes = tuple(prefix_of_code(code) for code in options["area"]) or None
            filters = Filters(prefixes=prefixes, kinds=tuple(options["kind"]), statuses=tuple(options["status"]))
            bar = tqdm(unit=" rows", disable=options["no_progress"] or None, file=self.stderr._out)
            result = export_file(profile=options["profile"], layer=options["layer"], out=options["out"],
                                 filters=filters, encoding=options["encoding"], since=options["since"],
                                 progress=bar)
            bar.close()
        except DimingError as exc:
            raise CommandError(str(exc)) from exc
        for path in result.files:
            self.stdout.write(f"{path}  ({path.stat().st_size:,} bytes)")
        self.stdout.write(f"{result.records} records in {time.perf_counter() - started:.3f} s, "
                          f"feed transaction {result.txid}")
        if result.warnings.count:
            self.stdout.write(self.style.WARNING(f"{result.warnings.count} warnings: {result.warnings_file}"))
            for item in result.warnings.items[:5]:
                self.stdout.write(f"  row {item['row']} {item['column']} {item['record']}: {item['message']}")
