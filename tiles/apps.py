from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def install_tile_triggers(sender, using="default", verbosity=1, **kwargs):
    """After every migrate: the invalidation triggers follow the layer registry, so a new layer gets them."""
    from django.db import connections

    from tiles.services import install_triggers

    if "tiles_tilecache" not in connections[using].introspection.table_names():
        return
    done = install_triggers(using=using, verbosity=verbosity)
    if verbosity >= 2:
        print(f"  tile invalidation triggers on: {', '.join(done['installed']) or '-'}")


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = _("Map tiles and OGC API")

    def ready(self):
        post_migrate.connect(install_tile_triggers, sender=self, dispatch_uid="tiles.install_tile_triggers")
