"""Install, remove or re-run the change feed's capture triggers (migrate installs them too)."""

from django.core.management.base import BaseCommand, CommandError

from exports import sql
from exports.sources import Source
from gis.errors import DimingError
from gis.layers import exportable_layers


class Command(BaseCommand):
    help = "Change capture for the feed: --install (default), --uninstall, --capture-all LAYER to seed versions."

    def add_arguments(self, parser):
        parser.add_argument("--uninstall", action="store_true")
        parser.add_argument("--capture-all", action="append", default=[], metavar="LAYER",
                            help="record the current state of every record of LAYER ('all' for every layer)")

    def handle(self, *args, **options):
        if options["uninstall"]:
            sql.uninstall_capture()
            self.stdout.write("change capture removed")
            return
        for table, layers in sorted(sql.install_capture().items()):
            self.stdout.write(f"{table}: {', '.join(layers)}")
        for name in sql.seed_missing():
            self.stdout.write(f"{name}: first capture, txid {sql.latest_txid()}")
        names = options["capture_all"]
        if "all" in names:
            names = [layer.name for layer in exportable_layers()]
        for name in names:
            try:
                sql.capture_all(Source.named(name))
            except DimingError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{name}: captured, txid {sql.latest_txid()}")
