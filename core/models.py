"""Abstract models for what several apps' records are alike in: one declaration of each shared concept.

Not an app: these declare no table, and the apps' own models inherit them (core.records holds the
created/updated/version bookkeeping of the registries).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InAreaQuerySet(models.QuerySet):
    """Records filed under an admin area (an ``area`` foreign key to boundaries.AdminArea)."""

    def in_area(self, area):
        """The records in ``area`` or any area below it: a prefix match on the indexed 12-digit code."""
        return self.filter(area__code12__startswith=area.prefix)


class ImportBatch(models.Model):
    """One bulk load of a file: which file, who loaded it and when, newest first. The app adds how it was committed
    and what came of it (rows created, rejected, flagged), and its records point back to the batch."""

    file_name = models.CharField(_("file"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("imported by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-at"]


class Uploaded(models.Model):
    """Who uploaded a file (a photo sent from the field or the office) and when; the account may go, the file stays."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True


def state_change(states: type[models.TextChoices], *, blank: bool = False) -> type[models.Model]:
    """An abstract event of a record's life over the vocabulary ``states``: from which state to which, and when. The
    app's model adds the record it belongs to, who made the change and why (``blank``: a step may leave the state)."""

    class StateChange(models.Model):
        from_state = models.CharField(_("from"), max_length=16, choices=states.choices, blank=blank)
        to_state = models.CharField(pgettext_lazy("state change", "to"), max_length=16, choices=states.choices,
                                    blank=blank)
        at = models.DateTimeField(_("at"), auto_now_add=True)

        class Meta:
            abstract = True

    return StateChange
