"""A corridor saved (its line or band changed) queues its visibility counts again, once the save is committed."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from cemeteries.models import Corridor


@receiver(post_save, sender=Corridor, dispatch_uid="cemeteries.corridor_sight")
def recount_corridor(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from cemeteries.sights import schedule
    from cemeteries.terrain import current_dem

    pk = instance.pk

    def queue():
        corridor = Corridor.objects.filter(pk=pk).first()
        if corridor is not None and current_dem() is not None:
            schedule([corridor])

    transaction.on_commit(queue)
