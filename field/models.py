"""What crews send from the field: submissions (one per change made on a device, idempotent by its client id), the
photos and signatures they upload in resumable chunks (stored once per content), and the office's review.

A submission is kept whatever became of it, with the first answer the server gave, so a device that resends it
(it never heard the answer) gets that answer again instead of a second change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from boundaries.models import AdminArea
from core.records import Timestamped


class SyncState(models.TextChoices):
    # With a context: other catalogues give "accepted" and "rejected" other words (批准), which would win.
    ACCEPTED = "accepted", pgettext_lazy("field sync", "accepted")
    PARTIAL = "partial", pgettext_lazy("field sync", "photos pending")
    CONFLICT = "conflict", pgettext_lazy("field sync", "conflict")
    REJECTED = "rejected", pgettext_lazy("field sync", "rejected")


class ReviewState(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("field review", "received")
    HAS_ISSUES = "has_issues", pgettext_lazy("field review", "has issues")
    APPROVED = "approved", pgettext_lazy("field review", "approved")
    REJECTED = "rejected", pgettext_lazy("field review", "rejected")


class Upload(Timestamped):
    """A photo or signature by its content (sha256): received in chunks, complete once its bytes hash right.
    One row and one file per content, whoever sent it and however often."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    length = models.BigIntegerField(_("length"))
    offset = models.BigIntegerField(_("bytes received"), default=0)
    complete = models.BooleanField(_("complete"), default=False)
    file = models.FileField(_("file"), upload_to="field/uploads/", blank=True)
    content_type = models.CharField(_("content type"), max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("field upload")
        verbose_name_plural = _("field uploads")

    def __str__(self):
        return self.sha256[:12]


class SubmissionQuerySet(models.QuerySet):
    def in_prefixes(self, prefixes):
        """Submissions about records in these regions (code12 prefixes; None: everywhere)."""
        if prefixes is None:
            return self
        if not prefixes:
            return self.none()
        query = models.Q()
        for prefix in prefixes:
            query |= models.Q(area_code12__startswith=prefix)
        return self.filter(query)

    def waiting_for(self, sha256: str):
        return self.filter(state=SyncState.PARTIAL, attachments__sha256=sha256)


class Submission(models.Model):
    """One change made on a device (外业提交): its body as sent, its content hash, what became of it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("crew member"))
    client_id = models.UUIDField(_("client id"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    task_type = models.CharField(_("task type"), max_length=40)
    record_id = models.CharField(_("record"), max_length=64)
    title = models.CharField(_("record"), max_length=200, blank=True)
    area = models.ForeignKey(AdminArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("admin area"))
    area_code12 = models.CharField(max_length=12, blank=True, db_index=True)
    body = models.JSONField(_("as sent"))
    state = models.CharField(_("sync state"), max_length=10, choices=SyncState.choices)
    detail = models.TextField(_("detail"), blank=True)
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True)
    applied = models.JSONField(_("fields written"), default=list, blank=True)
    first_status = models.PositiveSmallIntegerField(default=201)
    first_answer = models.JSONField(null=True, blank=True)
    review_state = models.CharField(_("review"), max_length=12, choices=ReviewState.choices,
                                    default=ReviewState.RECEIVED)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("reviewed by"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("field submission")
        verbose_name_plural = _("field submissions")
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "client_id"], name="submission_client_id_per_user")]
        indexes = [models.Index(fields=["task_type", "record_id"], name="submission_record")]

    def __str__(self):
        return f"{self.task_type} {self.title or self.record_id}"


class Attachment(models.Model):
    """A photo or signature of a submission, by content."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        SIGNATURE = "signature", _("signature")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)  # its Upload may not exist yet
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=20, blank=True)
    signer = models.CharField(_("signer"), max_length=64, blank=True)
    taken_at = models.CharField(_("taken at"), max_length=40, blank=True)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    heading = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["submission", "id"]

    def __str__(self):
        return f"{self.kind} {self.sha256[:12]}"


class ReviewComment(models.Model):
    """The office's word on a submission; the crew reads it at its next sync."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"))
    review_state = models.CharField(_("review"), max_length=12, choices=ReviewState.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["submission", "at", "id"]

    def __str__(self):
        return self.text[:40]
