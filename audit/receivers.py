"""The audit log listening to apps below it, which record nothing themselves because they may not import audit."""

from django.dispatch import receiver

from audit.models import Action
from audit.services import record, snapshot
from boundaries.signals import area_imported


@receiver(area_imported, dispatch_uid="audit.area_imported")
def record_imported_area(sender, area, before, actor, reason, **kwargs):
    if before is None:
        record(area, Action.IMPORT, actor=actor, reason=reason)
    else:
        record(area, Action.UPDATE, actor=actor, before=snapshot(before), reason=reason)
