import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


def install_change_capture(sender, using="default", **kwargs):
    """After every migrate (and test-database flush): (re)install the feed's triggers for the current layers.

    A layer whose capture cannot be installed fails the migrate (exports.sql.CaptureFailed): a feed that misses a
    layer's changes silently is worse than a deployment that stops and says which layer."""
    from django.db import connections

    from exports import sql
    from exports.sources import Source

    connection = connections[using]
    if using != "default" or "exports_featureversion" not in connection.introspection.table_names():
        return
    installed = sql.install_capture()
    watched = {name for layers in installed.values() for name in layers}
    seeded = sql.seed_missing([Source.named(name) for name in sorted(watched)])
    if seeded:
        log.info("exports: first capture of layers %s", ", ".join(seeded))


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Data exports")

    def ready(self):
        from exports import checks  # noqa: F401 - registers the system checks

        post_migrate.connect(install_change_capture, sender=self, dispatch_uid="exports.install_change_capture")
        from accounts.drf import register_platform_grant
        from exports.services import platform_grant

        register_platform_grant(platform_grant)
