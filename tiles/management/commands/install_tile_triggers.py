from django.core.management.base import BaseCommand

from tiles.services import clear_cache, install_triggers


class Command(BaseCommand):
    help = "Installs or refreshes the tile-cache invalidation triggers on every layer table (also run by migrate)."

    def add_arguments(self, parser):
        parser.add_argument("--clear-cache", action="store_true", help="also empty the tile cache")
        parser.add_argument("--database", default="default")

    def handle(self, *args, clear_cache_=False, **options):
        done = install_triggers(using=options["database"], verbosity=options["verbosity"])
        for key in ("installed", "removed", "missing"):
            if done[key]:
                self.stdout.write(f"{key}: {', '.join(done[key])}")
        if options["clear_cache"]:
            self.stdout.write(f"cleared {clear_cache(using=options['database'])} cached tiles")
