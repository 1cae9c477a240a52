"""The census side of the register: GB/T 18521 categories, what a bulk load brought (census fields), the checking
queue (校核), place-name signs (地名标志, GB 17733) and the 乡村著名 campaign's platform states.

Imported by placenames.models, so Django sees these models as the app's own.
"""

from __future__ import annotations

import importlib
import unicodedata
import uuid as uuidlib

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from boundaries.models import STORAGE_SRID, AdminArea, in_prefixes
from core.models import ImportBatch, state_change
from core.records import VersionedRecord

# Migration 0009 gave the seeded categories the GB/T 18521 / census codes. A record queued in a tablet's outbox, or a
# file made, before it still carries an old code: each old code stands for the code its category took there (its
# street, lane and avenue categories merged into 2351). The table is the migration's own, read here, so the aliases are
# exactly what it did; an applied migration never changes (should it ever be squashed away, move its table here).
_RECODING = importlib.import_module("placenames.migrations.0009_gbt18521_category_codes")
RECODED_CATEGORY_CODES = {old: new for old, new, _name, _generics in _RECODING.RECODE} | {
    old: "2351" for old in _RECODING.MERGED}
# A file made before it may name the category instead (the names migration 0008 seeded): each old name stands for the
# code its category took.
_SEEDED = importlib.import_module("placenames.migrations.0008_place_categories")
RECODED_CATEGORY_NAMES = {name: RECODED_CATEGORY_CODES[code] for code, name, *_rest in _SEEDED.CATEGORIES
                          if code in RECODED_CATEGORY_CODES}


class PlaceCategory(models.Model):
    """A place-name category with its GB/T 18521 code (大类 1 digit, 中类 2, 小类 4) and the generic terms that fit it.

    The bureau edits this table: the seeded sub-codes follow the census classification as far as we could check it.
    """

    code = models.CharField(_("category code"), max_length=8, unique=True)
    name = models.CharField(_("category name"), max_length=40)
    kind = models.ForeignKey("placenames.PlaceKind", on_delete=models.PROTECT, related_name="categories",
                             verbose_name=_("kind"))
    generic_terms = models.TextField(_("generic terms that fit"), blank=True,
                                     help_text=_("separated by commas; empty: any, or none"))
    no_generic_allowed = models.BooleanField(_("a name without a generic term fits"), default=False)

    class Meta:
        verbose_name = _("place-name category")
        verbose_name_plural = _("place-name categories")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def allowed_generics(self) -> list[str]:
        raw = unicodedata.normalize("NFKC", self.generic_terms).replace("\n", ",")  # full-width commas too
        return [g.strip() for g in raw.split(",") if g.strip()]


class CensusRecord(models.Model):
    """What a census or bulk load said about a place beyond its name (地名普查 fields)."""

    place = models.OneToOneField("placenames.Place", on_delete=models.CASCADE, primary_key=True,
                                 related_name="census", verbose_name=_("place"))
    category = models.ForeignKey(PlaceCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("category"))
    aliases = models.CharField(_("aliases and former names"), max_length=300, blank=True)  # 别名/曾用名
    history = models.TextField(_("history"), blank=True)  # 历史沿革
    description = models.TextField(_("description of the entity"), blank=True)  # 地理实体描述
    source = models.CharField(_("source of the data"), max_length=300, blank=True)  # 资料来源
    registrar = models.CharField(_("registered by"), max_length=60, blank=True)  # 登记人
    batch = models.ForeignKey("placenames.PlaceImport", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="records", verbose_name=_("import"))

    class Meta:
        verbose_name = _("census record")
        verbose_name_plural = _("census records")

    def __str__(self):
        return str(self.place_id)


class PlaceImport(ImportBatch):
    """One bulk load of place names: who, which file, what came of it."""

    mode = models.CharField(_("commit mode"), max_length=8)
    created = models.PositiveIntegerField(_("created"), default=0)
    flagged = models.PositiveIntegerField(_("flagged"), default=0)

    class Meta(ImportBatch.Meta):
        verbose_name = _("place-name import")
        verbose_name_plural = _("place-name imports")

    def __str__(self):
        return self.file_name


class FlagState(models.TextChoices):
    OPEN = "open", _("to check")
    CONFIRMED = "confirmed", _("confirmed as it is")
    CORRECTED = "corrected", _("corrected")


class CheckFlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=FlagState.OPEN)

    def checked(self):
        return self.exclude(state=FlagState.OPEN)

    def in_prefixes(self, prefixes):
        if prefixes is None:
            return self
        return self.filter(in_prefixes(prefixes, "place__area__code12"))


class CheckFlag(models.Model):
    """A record the checking rules flagged (校核): officers confirm it as it is or correct it."""

    place = models.ForeignKey("placenames.Place", on_delete=models.CASCADE, related_name="flags",
                              verbose_name=_("place"))
    code = models.CharField(_("rule"), max_length=32, db_index=True)
    message = models.TextField(_("finding"))
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=FlagState.choices, default=FlagState.OPEN,
                             db_index=True)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = CheckFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("checking flag")
        verbose_name_plural = _("checking flags")
        ordering = ["found_at", "id"]
        constraints = [models.UniqueConstraint(fields=["place", "code"], condition=Q(state="open"),
                                               name="one_open_flag_per_rule")]

    def __str__(self):
        return f"{self.code}: {self.place_id}"


# --- place-name signs (地名标志, GB 17733) -------------------------------------------------------------------


class SignType(models.TextChoices):
    ROAD = "road", _("road sign")  # 街路巷标志
    BUILDING = "building", _("building sign")  # 楼栋标志
    VILLAGE = "village", _("village sign")  # 村牌
    RESIDENTIAL = "residential", _("residential-area sign")  # 小区标志
    BRIDGE = "bridge", _("bridge sign")
    NATURAL = "natural", _("natural-feature sign")
    ADMIN = "admin", _("administrative-area sign")  # 行政区域界位标志


class SignMaterial(models.TextChoices):
    ALUMINIUM = "aluminium", _("aluminium")
    STEEL = "steel", _("stainless steel")
    ENAMEL = "enamel", _("enamel")
    STONE = "stone", _("stone")
    WOOD = "wood", _("wood")
    OTHER = "other", _("other")


class SignState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("sign state", "planned")
    INSTALLED = "installed", _("installed")
    DAMAGED = "damaged", _("damaged")
    UNDER_REPAIR = "under_repair", _("under repair")
    REMOVED = "removed", _("removed")


class SignQuerySet(models.QuerySet):
    def in_prefixes(self, prefixes):
        if prefixes is None:
            return self
        return self.filter(in_prefixes(prefixes, "area__code12"))


class Sign(VersionedRecord):
    """A place-name sign standing somewhere: the name it shows (Chinese above, pinyin below), its place and state."""

    uuid = models.UUIDField(primary_key=True, default=uuidlib.uuid4, editable=False)
    place = models.ForeignKey("placenames.Place", on_delete=models.PROTECT, related_name="signs",
                              verbose_name=_("place"))
    type = models.CharField(_("sign type"), max_length=16, choices=SignType.choices)
    shown_name = models.CharField(_("name shown"), max_length=100)
    shown_pinyin = models.CharField(_("pinyin shown"), max_length=200, blank=True)
    geom = models.PointField(_("position"), srid=STORAGE_SRID)
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("admin area"))
    material = models.CharField(_("material"), max_length=16, choices=SignMaterial.choices,
                                default=SignMaterial.ALUMINIUM)
    installed_on = models.DateField(_("installation date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=SignState.choices, default=SignState.PLANNED,
                             db_index=True)
    qr_token = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)

    objects = SignQuerySet.as_manager()

    class Meta:
        verbose_name = _("place-name sign")
        verbose_name_plural = _("place-name signs")
        ordering = ["shown_name", "created_at"]

    def __str__(self):
        return f"{self.shown_name} ({self.get_type_display()})"


class Photo(models.Model):
    """A photo of a sign or a place: its caption and when it was added, shown in that order."""

    caption = models.CharField(_("caption"), max_length=100, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class SignPhoto(Photo):
    sign = models.ForeignKey(Sign, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to="placenames/signs/%Y/%m/")


class PlacePhoto(Photo):
    """A photo of a place (地名照片), shown on its public gazetteer page: an officer's upload, or a photo of the place
    a crew took when it collected the name (the stored field upload itself, by its content's hash)."""

    place = models.ForeignKey("placenames.Place", on_delete=models.CASCADE, related_name="photos",
                              verbose_name=_("place"))
    file = models.FileField(_("photo"), upload_to="placenames/places/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    from_field = models.BooleanField(_("taken by a field crew"), default=False)

    class Meta(Photo.Meta):
        verbose_name = _("place photo")
        verbose_name_plural = _("place photos")
        constraints = [models.UniqueConstraint(fields=["place", "sha256"], condition=~Q(sha256=""),
                                               name="place_photo_once")]

    def __str__(self):
        return self.caption or self.file.name


class SignEvent(state_change(SignState)):
    """One step in a sign's life: installed, inspected, repaired, reported damaged, removed (维护记录)."""

    sign = models.ForeignKey(Sign, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=24)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))

    class Meta:
        ordering = ["at", "id"]


class ReportState(models.TextChoices):
    OPEN = "open", _("open task")
    ASSIGNED = "assigned", _("taken by a crew")
    DONE = "done", pgettext_lazy("sign report", "done")
    DISMISSED = "dismissed", _("dismissed")


class SignReport(models.Model):
    """A damaged sign reported by anyone (no login); it becomes a task until a crew repairs it or it is dismissed."""

    sign = models.ForeignKey(Sign, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("what is wrong"))
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ReportState.choices, default=ReportState.OPEN,
                             db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("assigned to"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("sign damage report")
        verbose_name_plural = _("sign damage reports")
        ordering = ["submitted_at", "id"]

    def __str__(self):
        return self.text[:40]

    @property
    def area(self):
        """The sign's admin area: the report's audit rows are filed under it (audit.services.record)."""
        return self.sign.area


# --- 乡村著名 campaign -----------------------------------------------------------------------------------------


class Platform(models.TextChoices):
    AMAP = "amap", _("Amap")
    BAIDU = "baidu", _("Baidu Maps")


class Campaign(models.Model):
    """A 乡村著名 campaign: rural names collected and put onto the map platforms, against a target."""

    name = models.CharField(_("campaign"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.PositiveIntegerField(_("target (names on the platforms)"))
    county_targets = models.JSONField(_("targets per county"), default=dict, blank=True)  # code6 -> number

    class Meta:
        verbose_name = _("rural-names campaign")
        verbose_name_plural = _("rural-names campaigns")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name


class CollectedBy(models.TextChoices):
    OFFICE = "office", _("office")
    CREW = "crew", _("field crew")
    IMPORT = "import", pgettext_lazy("record source", "import")


class CampaignName(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="names")
    place = models.ForeignKey("placenames.Place", on_delete=models.CASCADE, related_name="campaign_entries",
                              verbose_name=_("place"))
    collected_by = models.CharField(_("collected by"), max_length=8, choices=CollectedBy.choices)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "place"], name="one_entry_per_place")]


class PlatformState(models.TextChoices):
    TO_SEND = "to_send", _("to send")
    EXPORTED = "exported", _("exported")
    ACCEPTED = "accepted", _("accepted (on the map)")
    REFUSED = "refused", _("refused")
    RESENT = "resent", _("corrected and sent again")


class PlatformSubmission(models.Model):
    """Where one campaign name stands towards one platform."""

    entry = models.ForeignKey(CampaignName, on_delete=models.CASCADE, related_name="submissions")
    platform = models.CharField(_("platform"), max_length=8, choices=Platform.choices)
    state = models.CharField(_("state"), max_length=10, choices=PlatformState.choices,
                             default=PlatformState.TO_SEND, db_index=True)
    reason = models.TextField(_("platform's reason"), blank=True)
    platform_ref = models.CharField(_("platform's reference"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["entry", "platform"]
        constraints = [models.UniqueConstraint(fields=["entry", "platform"], name="one_state_per_platform")]


class PlatformEvent(models.Model):
    submission = models.ForeignKey(PlatformSubmission, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=10, choices=PlatformState.choices)
    to_state = models.CharField(max_length=10, choices=PlatformState.choices)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True)  # the feedback file, or "typed"
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
