"""The bookkeeping a registry record carries: when it was created and last changed, and its version for
optimistic locking (an editor sends back the version it read; a stale one is refused, not silently overwritten)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gis.errors import Conflict


class Timestamped(models.Model):
    """When a record was created and when it last changed."""

    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedRecord(Timestamped):
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking

    class Meta:
        abstract = True

    def check_version(self, seen: int | None) -> None:
        """Refuses an edit made on another version than this one (``seen`` None: the caller does not lock)."""
        if seen is not None and seen != self.version:
            raise Conflict(_("Someone else changed this record meanwhile: reload it and try again."),
                           code="stale_version", where={"version": seen, "current": self.version})
