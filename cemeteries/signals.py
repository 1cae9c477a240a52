"""A corridor or zone saved anywhere (admin, import, a shell) re-tags the graves near it, in SQL."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from cemeteries import tagging
from cemeteries.models import Corridor, Zone


@receiver(post_save, sender=Corridor, dispatch_uid="cemeteries_corridor_retag")
def corridor_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        tagging.retag_corridor(instance.pk)


@receiver(post_save, sender=Zone, dispatch_uid="cemeteries_zone_retag")
def zone_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        tagging.retag_zone(instance.pk)
