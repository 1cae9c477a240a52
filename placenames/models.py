"""Standard place names (标准地名): places with a stable identity and their names over time.

A ``Place`` keeps its UUID for its whole life; renaming adds a ``PlaceName`` version and closes the previous one,
so "what was this road called on 2015-06-01" is one query (``PlaceName.objects.on(date)``). The current name is
copied onto the place for search, tiles, doorplates and exports.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from audit.privacy import declare_private
from boundaries.models import STORAGE_SRID, AdminArea
from core.models import InAreaQuerySet, state_change
from core.records import Timestamped, VersionedRecord
from gis.db.fields import stored_transform


class GeometryKind(models.TextChoices):
    LINE = "line", _("line")
    POLYGON = "polygon", _("polygon")
    POINT = "point", _("point")


class PlaceKind(models.Model):
    """A kind of place and the generic terms (通名) it may carry; the bureau edits this table."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    geometry_kinds = models.CharField(_("geometry kinds"), max_length=32, default="point",
                                      help_text=_("comma-separated: line, polygon, point"))
    generic_terms = models.TextField(_("allowed generic terms"), blank=True,
                                     help_text=_("one per line or separated by commas, e.g. Lu, Jie, Dadao"))
    # Street (街路巷) names and important residential-area and building names must be unique within the built-up
    # area (地名管理条例 art. 9); we use the county as that area.
    unique_in_county = models.BooleanField(_("unique within the county"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("place kind")
        verbose_name_plural = _("place kinds")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def allowed_generics(self) -> list[str]:
        raw = unicodedata.normalize("NFKC", self.generic_terms).replace("\n", ",")  # a full-width comma too
        return [g.strip() for g in raw.split(",") if g.strip()]


class PlaceStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")  # exists only inside an application
    IN_USE = "in_use", _("in use")
    RETIRED = "retired", _("retired")  # cancelled (销名)


class PlaceQuerySet(InAreaQuerySet):
    def in_use(self):
        return self.filter(status=PlaceStatus.IN_USE)

    def roads(self):
        return self.filter(kind__code__in=ROAD_KINDS)

    def named(self, name: str):
        return self.filter(name=name)

    def homophones_of(self, key: str, area: AdminArea):
        """Places in ``area`` whose toneless pinyin equals ``key`` (see placenames.pinyin.pinyin_key)."""
        return self.in_area(area).filter(pinyin_key=key)


ROAD_KINDS = ("road", "street", "lane", "avenue")


class Place(VersionedRecord):
    """A named place: road, street, lane, avenue, bridge, residential area, building, village, natural feature."""

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.ForeignKey(PlaceKind, on_delete=models.PROTECT, related_name="places", verbose_name=_("kind"))
    geom = models.GeometryField(_("geometry"), srid=STORAGE_SRID)
    geom_3857 = stored_transform(models.GeometryField, 3857)
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("admin area"),
                             help_text=_("the finest admin area containing the place, derived from the geometry"))
    status = models.CharField(_("status"), max_length=16, choices=PlaceStatus.choices, default=PlaceStatus.IN_USE)
    # The current name, copied from the open PlaceName version.
    name = models.CharField(_("standard name"), max_length=100, db_index=True)
    pinyin = models.CharField(_("romanization"), max_length=200, blank=True)
    pinyin_key = models.CharField(_("toneless pinyin"), max_length=200, blank=True, db_index=True)
    initials = models.CharField(_("pinyin initials"), max_length=50, blank=True, db_index=True)
    location_description = models.TextField(_("location description"), blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        indexes = [
            GistIndex(fields=["geom_3857"], name="place_geom_3857_gist"),
            GinIndex(fields=["name"], name="place_name_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["pinyin_key"], name="place_pinyin_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_road(self) -> bool:
        return self.kind.code in ROAD_KINDS

    def name_on(self, date: dt.date) -> PlaceName | None:
        return self.names.on(date).first()


class PlaceNameQuerySet(models.QuerySet):
    def on(self, date: dt.date):
        """The name versions valid on ``date``."""
        return self.filter(valid_from__lte=date).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=date))

    def current(self):
        return self.filter(valid_to__isnull=True)


class PlaceName(models.Model):
    """One name of a place for a period: 专名 + 通名, romanization, meaning and origin (含义/来历)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names", verbose_name=_("place"))
    specific = models.CharField(_("specific term"), max_length=80)
    generic = models.CharField(_("generic term"), max_length=20, blank=True)
    full_name = models.CharField(_("full name"), max_length=100)
    pinyin = models.CharField(_("romanization"), max_length=200, blank=True)
    pinyin_overridden = models.BooleanField(_("romanization set by an officer"), default=False)
    meaning = models.TextField(_("meaning"), blank=True)
    origin = models.TextField(_("origin"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    approval_reference = models.CharField(_("approval reference"), max_length=100, blank=True)

    objects = PlaceNameQuerySet.as_manager()

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        ordering = ["place", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["place"], condition=Q(valid_to__isnull=True), name="one_current_name"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                                   name="name_period_is_positive"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.valid_from} – {self.valid_to or ''})"


# --- naming rules ------------------------------------------------------------------------------------------


class WordCategory(models.TextChoices):
    FOREIGN = "foreign", _("foreign person or place name")  # 外国人名、外国地名
    ENTERPRISE = "enterprise", _("enterprise or trademark name")  # 企业名称、商标名称
    LEADER = "leader", _("leader's name")  # 领导人姓名
    GRANDIOSE = "grandiose", _("exaggerated or grandiose word")  # 大、洋、怪
    LOCAL_CHARACTER = "local_character", _("local character allowed in names")  # 垟, 岙: not rare here


class Severity(models.TextChoices):
    ERROR = "error", _("error")  # blocks the application
    WARNING = "warning", _("warning")  # needs a written justification


class NamingWordQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class NamingWord(models.Model):
    """A word the naming rules look for (a banned word by category, or a local character that is not rare)."""

    category = models.CharField(_("category"), max_length=20, choices=WordCategory.choices)
    word = models.CharField(_("word"), max_length=40)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.ERROR)
    note = models.CharField(_("note"), max_length=200, blank=True)
    active = models.BooleanField(pgettext_lazy("enabled", "active"), default=True)

    objects = NamingWordQuerySet.as_manager()

    class Meta:
        verbose_name = _("naming-rule word")
        verbose_name_plural = _("naming-rule words")
        ordering = ["category", "word"]
        constraints = [models.UniqueConstraint(fields=["category", "word"], name="unique_naming_word")]

    def __str__(self):
        return f"{self.get_category_display()}: {self.word}"


# --- applications ------------------------------------------------------------------------------------------


class ApplicationType(models.TextChoices):
    NAMING = "naming", _("naming")  # 命名
    RENAMING = "renaming", _("renaming")  # 更名
    CANCELLATION = "cancellation", _("cancellation")  # 销名


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted, rule check")
    CHECKED = "checked", _("rule check passed, expert review")
    REVIEWED = "reviewed", _("expert review recorded")
    CONSULTATION = "consultation", _("public consultation")
    CONSULTED = "consulted", _("consultation closed, awaiting decision")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    FILED = "filed", _("filed with the higher authority")
    ANNOUNCED = "announced", _("announced, in use")


OPEN_STATES = (ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.CHECKED,
               ApplicationState.REVIEWED, ApplicationState.CONSULTATION, ApplicationState.CONSULTED)


class ApplicationQuerySet(models.QuerySet):
    def in_state(self, *states):
        return self.filter(state__in=states)

    def open(self):
        return self.in_state(*OPEN_STATES)

    def in_county(self, code: str):
        return self.filter(area__code12__startswith=code[:6])

    def filing_overdue(self, today: dt.date):
        return self.filter(state=ApplicationState.APPROVED, filing_due_on__lt=today)

    def announcement_overdue(self, today: dt.date):
        return self.filter(state__in=(ApplicationState.APPROVED, ApplicationState.FILED),
                           announcement_due_on__lt=today)

    def overdue(self, today: dt.date):
        return self.filing_overdue(today) | self.announcement_overdue(today)

    def announceable(self):
        """Approved names that belong in an announcement (公告): approved, filed or already announced."""
        return self.in_state(ApplicationState.APPROVED, ApplicationState.FILED, ApplicationState.ANNOUNCED)

    def in_consultation(self):
        return self.filter(state=ApplicationState.CONSULTATION)


class Application(Timestamped):
    """A naming, renaming (更名) or cancellation (销名) application and where it stands (地名管理条例 art. 11-14)."""

    type = models.CharField(_("application type"), max_length=16, choices=ApplicationType.choices,
                            default=ApplicationType.NAMING)
    state = models.CharField(_("state"), max_length=16, choices=ApplicationState.choices,
                             default=ApplicationState.DRAFT, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic locking: the client sends it back
    public_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.ForeignKey(PlaceKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
                              verbose_name=_("place"),
                              help_text=_("the place renamed or cancelled; for a naming, the place it created"))
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("admin area"))
    geom = models.GeometryField(_("geometry"), srid=STORAGE_SRID)
    proposed_name = models.CharField(_("proposed name"), max_length=100, blank=True)
    specific = models.CharField(_("specific term"), max_length=80, blank=True)
    generic = models.CharField(_("generic term"), max_length=20, blank=True)
    pinyin = models.CharField(_("romanization"), max_length=200, blank=True)
    pinyin_overridden = models.BooleanField(_("romanization set by an officer"), default=False)
    meaning = models.TextField(_("meaning"), blank=True)
    origin = models.TextField(_("origin"), blank=True)
    location_description = models.TextField(_("location description"), blank=True)
    reason = models.TextField(_("reason for the application"), blank=True)
    applicant = models.CharField(_("applicant"), max_length=200, blank=True)
    expert_opinion = models.TextField(_("expert review opinion"), blank=True)
    consultation_starts_on = models.DateField(_("consultation starts"), null=True, blank=True)
    consultation_ends_on = models.DateField(_("consultation ends"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    approving_authority = models.CharField(_("approving authority"), max_length=100, blank=True)
    approval_reference = models.CharField(_("approval reference"), max_length=100, blank=True)
    approved_on = models.DateField(_("approval date"), null=True, blank=True)
    filing_due_on = models.DateField(_("filing due"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filed_with = models.CharField(_("filed with"), max_length=100, blank=True)
    filing_reference = models.CharField(_("filing reference"), max_length=100, blank=True)
    announcement_due_on = models.DateField(_("announcement due"), null=True, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    announcement_reference = models.CharField(_("announcement reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("naming application")
        verbose_name_plural = _("naming applications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "filing_due_on"]),
                   models.Index(fields=["state", "announcement_due_on"])]

    def __str__(self):
        return f"{self.reference} {self.display_name}"

    @property
    def reference(self) -> str:
        """申请编号: county code, year and serial, e.g. 330302-2026-00012."""
        year = (self.created_at or dt.datetime.now()).year
        return f"{self.area.code12[:6] if self.area_id else '000000'}-{year}-{self.pk or 0:05d}"

    @property
    def display_name(self) -> str:
        if self.type == ApplicationType.CANCELLATION and self.place_id:
            return self.place.name
        return self.proposed_name

    @property
    def county_code(self) -> str:
        return self.area.code12[:6]

    def consultation_is_over(self, today: dt.date) -> bool:
        return self.consultation_ends_on is not None and today > self.consultation_ends_on


class ApplicationEvent(state_change(ApplicationState)):
    """One transition of an application: who, when, from and to which state, why, with optional evidence."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("actor"))
    reason = models.TextField(pgettext_lazy("naming application", "reason"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="placenames/evidence/%Y/%m/", blank=True)
    version = models.PositiveIntegerField(_("version after"))

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.action}: {self.from_state} → {self.to_state}"


class RuleFinding(models.Model):
    """What the naming rules found in an application; a warning needs a justification to go on."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="findings")
    code = models.CharField(_("rule"), max_length=32)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    message = models.TextField(_("finding"))
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    justified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    justified_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule finding")
        verbose_name_plural = _("rule findings")
        ordering = ["-severity", "code", "id"]  # errors before warnings

    def __str__(self):
        return f"{self.code} ({self.severity})"

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    @property
    def needs_justification(self) -> bool:
        return self.severity == Severity.WARNING and not self.justification.strip()


class Objection(models.Model):
    """An objection from the public during consultation (公示异议). Name and contact are personal data."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField(_("objection"))
    name = models.CharField(_("name"), max_length=60, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["submitted_at", "id"]

    def __str__(self):
        return self.text[:40]

    @property
    def is_answered(self) -> bool:
        return bool(self.answer.strip())


# The objector's name and contact answer them; only the officers and reviewers of the application see them.
declare_private(Objection, ("name", "contact"), roles=(Role.OFFICER, Role.REVIEWER))


# The census register, checking queue, signs and campaigns live in a module of their own (same app).
from placenames.registry_models import (  # noqa: E402, F401
    Campaign,
    CampaignName,
    CensusRecord,
    CheckFlag,
    FlagState,
    PlaceCategory,
    PlaceImport,
    PlacePhoto,
    Platform,
    PlatformEvent,
    PlatformState,
    PlatformSubmission,
    Sign,
    SignEvent,
    SignPhoto,
    SignReport,
    SignState,
    SignType,
)
