"""Background jobs (后台任务): work too long for a web request (a 100,000-plate import, an offline package), queued
by a page, run by `manage.py run_jobs`, followed by its submitter on a progress page."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class Job(models.Model):
    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=64)  # a registered kind: jobs.registry
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input_file = models.FileField(_("input file"), upload_to="jobs/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("submitted by"))
    created = models.DateTimeField(_("submitted at"), auto_now_add=True)
    started = models.DateTimeField(_("started at"), null=True, blank=True)
    finished = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # Asked to stop: a queued job is cancelled at once, a running one at its next progress report (jobs.services).
    cancel_requested = models.DateTimeField(_("cancellation asked at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("cancelled by"))

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "created"], name="job_queue",
                                condition=models.Q(status="queued"))]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def cancelling(self) -> bool:
        return self.status == JobStatus.RUNNING and self.cancel_requested is not None

    @property
    def finished_ok(self) -> bool:
        return self.status == JobStatus.DONE

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return None
        return min(99, int(100 * self.done / self.total))


class ChoreRun(models.Model):
    """When a periodic chore (jobs.registry.every) was last started by any worker."""
    name = models.CharField(_("chore"), max_length=100, primary_key=True)
    started = models.DateTimeField(_("last started at"))

    class Meta:
        verbose_name = _("periodic chore")
        verbose_name_plural = _("periodic chores")

    def __str__(self):
        return self.name
