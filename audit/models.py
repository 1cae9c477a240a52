"""The record of every change to a name, doorplate, boundary, marker, grave or canteen: who, when, before, after.

One table for all domains (like django.contrib.admin's LogEntry, but with full before/after state), so the
office, the field app and the exports read one history. Rows are only ever inserted.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    TRANSITION = "transition", _("state change")
    IMPORT = "import", _("imported")


class ChangeQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))

    def by(self, user):
        return self.filter(actor=user)


class Change(models.Model):
    object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("object type"))
    object_id = models.CharField(pgettext_lazy("audit record", "object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              verbose_name=_("actor"), related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The admin area code12 of the object, so a county sees its own history without joining every domain table.
    area_code12 = models.CharField(_("area code"), max_length=12, blank=True, db_index=True)
    # An idempotency key from the client (tablet submissions, imports), so a replay is recognised.
    client_ref = models.CharField(_("client reference"), max_length=100, blank=True)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self):
        # In local time, as the page's body shows it (the admin's title and body agree).
        return f"{self.get_action_display()} {self.object_repr} @ {localtime(self.at):%Y-%m-%d %H:%M}"

    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


class ReplayGuard(models.Model):
    """One write sent with an ``Idempotency-Key`` header (a tablet resending what it queued offline): the answer
    it got, so a resend gets the same answer instead of doing the work twice (audit.idempotency)."""

    caller = models.CharField(_("caller"), max_length=80)  # "user:12", or a digest of the Authorization header
    key = models.CharField(_("idempotency key"), max_length=100)
    fingerprint = models.CharField(_("request digest"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)  # None while the first is running
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(pgettext_lazy("stored response", "answer"), default=b"")
    location = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("replay guard")
        verbose_name_plural = _("replay guards")
        constraints = [models.UniqueConstraint(fields=["caller", "key"], name="replayguard_caller_key")]

    def __str__(self):
        return f"{self.key} ({self.status or 'running'})"
