from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender, using="default", verbosity=1, **kwargs):
    """After every migrate: the database cache's table (the worker's heartbeat, per-address limits), so that
    `manage.py migrate` alone readies a database, as it does the rest of the schema (kept apart from migrations
    by Django's design; `createcachetable` does nothing when the table is there)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")  # each app's jobs.py registers its kinds (doorplates.jobs ...)
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="jobs.create_cache_table")
