"""Platform consumers, the export log and the change feed's version table.

Every change to an exported record becomes a ``FeatureVersion`` written by PostgreSQL triggers in the same
transaction (exports.sql); the transaction's number ``txid`` is drawn at commit from one global sequence
(``FeedTransaction``), so txids grow in commit order, as in Denmark's address register (DAR) feed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from boundaries.models import STORAGE_SRID, AdminArea


class Consumer(models.Model):
    """A map platform's account (Amap, Baidu ...): which layers and regions its API tokens may read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_consumers",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    profile = models.CharField(_("default profile"), max_length=32, blank=True,
                               help_text=_("amap, baidu, geojson ... (see exports.profiles)"))
    layers = models.JSONField(_("allowed layers"), default=list, blank=True,
                              help_text=_("layer names, e.g. [\"roads\", \"doorplates\"]"))
    areas = models.ManyToManyField(AdminArea, blank=True, related_name="+", verbose_name=_("allowed areas"),
                                   help_text=_("empty: the areas assigned to the user"))
    requests_per_minute = models.PositiveIntegerField(_("requests per minute"), default=60)
    active = models.BooleanField(pgettext_lazy("enabled", "active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("platform consumer")
        verbose_name_plural = _("platform consumers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A set of layer names, kept in one order: a form saved unchanged stores what was there.
        self.layers = sorted(dict.fromkeys(self.layers or ()))
        super().save(*args, **kwargs)


class ExportLogQuerySet(models.QuerySet):
    def since(self, moment: dt.datetime):
        return self.filter(at__gte=moment)

    def reads_by(self, consumer: Consumer, seconds: int = 60):
        return self.filter(consumer=consumer, at__gte=timezone.now() - dt.timedelta(seconds=seconds))

    def reads_of_user(self, user, seconds: int = 60):
        """The feed reads of a signed-in reader without a consumer in the last ``seconds``."""
        return self.filter(user=user, consumer=None, at__gte=timezone.now() - dt.timedelta(seconds=seconds)).exclude(
            kind=ExportLog.Kind.FILE)


class ExportLog(models.Model):
    """Who exported or read what, and how much (每次导出和订阅读取都留痕)."""

    class Kind(models.TextChoices):
        FILE = "file", _("file export")
        SNAPSHOT = "snapshot", _("feed snapshot")
        EVENTS = "events", _("feed events")
        LATEST = "latest", _("feed latest")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("user"))
    consumer = models.ForeignKey(Consumer, on_delete=models.SET_NULL, null=True, blank=True, related_name="logs",
                                 verbose_name=_("consumer"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    profile = models.CharField(_("profile"), max_length=32, blank=True)
    layer = models.CharField(_("layer"), max_length=64, blank=True)
    area_code = models.CharField(_("area"), max_length=12, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    records = models.PositiveIntegerField(_("records"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    files = models.JSONField(_("files"), default=list, blank=True)
    finished = models.BooleanField(_("finished"), default=False)
    seconds = models.FloatField(_("seconds"), default=0.0)

    objects = ExportLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.layer} ({self.records})"


class FeatureVersion(models.Model):
    """The exported state of one record after one transaction; op D when it left the export (deleted, retired,
    no longer approved). Written only by the triggers of exports.sql, under the ``batch`` of its transaction."""

    class Op(models.TextChoices):
        INSERT = "I", _("insert")
        UPDATE = "U", _("update")
        DELETE = "D", _("delete")

    batch = models.BigIntegerField(_("batch"), help_text=_("the writing transaction; see FeedTransaction"))
    layer = models.CharField(_("layer"), max_length=64)
    record_pk = models.CharField(_("record key"), max_length=64)
    fid = models.CharField(_("public id"), max_length=64)
    op = models.CharField(_("operation"), max_length=1, choices=Op.choices)
    area_code12 = models.CharField(_("12-digit area code"), max_length=12, blank=True, null=True)
    kind = models.CharField(_("kind"), max_length=64, blank=True, null=True)
    properties = models.JSONField(_("properties"), null=True, blank=True)
    geom = models.GeometryField(_("geometry"), srid=STORAGE_SRID, null=True, blank=True)
    label = models.PointField(_("label point"), srid=STORAGE_SRID, null=True, blank=True)

    class Meta:
        verbose_name = _("feature version")
        verbose_name_plural = _("feature versions")
        indexes = [
            models.Index(fields=["layer", "record_pk"], name="featureversion_record"),
            # A transaction's versions of a layer in key order: events are read transaction by transaction.
            models.Index(fields=["batch", "layer", "record_pk"], name="featureversion_batch_key"),
        ]

    def __str__(self):
        return f"{self.layer}/{self.fid} {self.op} (batch {self.batch})"


class FeedTransaction(models.Model):
    """A committed transaction's number (txid), drawn at commit so that txids grow in commit order."""

    batch = models.BigIntegerField(primary_key=True)
    txid = models.BigIntegerField(_("transaction number"), unique=True)
    committed_at = models.DateTimeField(_("committed at"))

    class Meta:
        verbose_name = _("feed transaction")
        verbose_name_plural = _("feed transactions")
        ordering = ["txid"]

    def __str__(self):
        return str(self.txid)


class OpenTransaction(models.Model):
    """One row per transaction that wrote versions; its deferred trigger stamps the batch at commit."""

    batch = models.BigIntegerField()

    class Meta:
        verbose_name = _("open feed transaction")


class FeedHorizon(models.Model):
    """How far back the feed reaches (one row): versions up to ``txid`` were compacted to each record's state at
    ``txid``, so snapshots and events from ``txid`` on are exact and earlier ones are refused (410)."""

    txid = models.BigIntegerField(_("horizon transaction"))
    pruned_at = models.DateTimeField(_("pruned at"))

    class Meta:
        verbose_name = _("feed horizon")
        verbose_name_plural = _("feed horizons")

    def __str__(self):
        return f"txid {self.txid} ({self.pruned_at:%Y-%m-%d})"
