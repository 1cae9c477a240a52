from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from boundaries import demo
from boundaries.models import AdminArea


class Command(BaseCommand):
    help = "Builds the synthetic demo Wenzhou (clearly labelled source='demo'): areas, roads and what apps add."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0,
                            help="grows villages, roads and doorplates; about 42 is a full Wenzhou (1.05 M plates)")
        parser.add_argument("--seed", type=int, default=330300)
        parser.add_argument("--if-empty", action="store_true", help="do nothing when demo data is already loaded")
        parser.add_argument("--only", nargs="*", help="run only these builders (names as listed by --list)")
        parser.add_argument("--list", action="store_true", help="list the registered builders and stop")

    def handle(self, *args, scale, seed, if_empty, only, list, **options):
        autodiscover_modules("demo")
        builders = demo.builders()
        if list:
            for b in builders:
                self.stdout.write(f"{b.order:3d} {b.name}")
            return
        loaded = AdminArea.objects.filter(source=demo.DEMO_SOURCE).exists()
        if loaded and if_empty:
            self.stdout.write(_("Demo data is loaded already; skipped."))
            return
        if loaded and not only:
            # A second full run would stop half-way (the boundary lines exist) after adding again what the earlier
            # builders made: nothing is run, and the message says what to do instead.
            self.stdout.write(self.style.WARNING(_(
                "The demo data is loaded already: nothing was changed. To build it again, empty the database first "
                "(make clean-db, then make db migrate) and run load_demo; to run some builders only, use --only NAME "
                "(names from --list).")))
            return
        ctx = demo.DemoContext(scale=scale, seed=seed, log=lambda m: self.stdout.write("  " + m))
        self.stdout.write(_("Building the demo data (synthetic, not real boundaries), scale %(scale)s:") % {"scale": scale})
        for builder in builders:
            if only and builder.name not in only:
                continue
            with transaction.atomic():
                builder.fn(ctx)
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
