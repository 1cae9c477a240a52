"""The named interface for the field app's "rural name" kind (乡村地名采集): the 乡村著名 campaigns a crew may collect
names into, the checks a collected name meets when it arrives, the registered places it may duplicate, and what the
office's acceptance writes (the place with its name, pinyin, census record and checking flags, its campaign entry
with a state per platform, and the audit rows).

A campaign is under way in its year, for the counties it has a target for. A crew collects into the campaigns of
the counties its region overlaps, and only names that lie in its region; an officer accepts only names of their
region. Callers get plain dataclasses, never models.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import area_prefixes, can_act_in, has_role
from audit.models import Action, Change
from audit.services import record
from boundaries.models import AdminArea
from core.params import within
from gis.crs import METRIC_SRID, to_storage_xy
from gis.errors import Conflict, DimingError, InputError, NotFound, PermissionDenied
from placenames import campaigns, checking, place_photos
from placenames.bases import NATURAL_VILLAGE_CATEGORY
from placenames.models import (
    Campaign,
    CampaignName,
    CensusRecord,
    Place,
    PlaceCategory,
    PlaceName,
    PlaceStatus,
)
from placenames.pinyin import initials_key, pinyin_key, reading
from placenames.registry_models import RECODED_CATEGORY_CODES, CollectedBy

TASK_TYPE = "rural_name"
RURAL_KINDS = ("village", "natural", "bridge")  # villages, natural villages, mountains, waters, islands, bridges
COLLECT_ROLES = (Role.FIELD_CREW, Role.OFFICER)
NEAR_M = 1000  # a registered place of the same name closer than this is a probable duplicate
MAX_NAME = 100


@dataclass(frozen=True)
class CampaignCounty:
    """One campaign in one county: what a crew collects into."""

    record_id: str  # "<campaign id>-<county code>"
    campaign_id: int
    campaign: str
    year: int
    county: AdminArea
    target: int
    collected: int
    open: bool


@dataclass(frozen=True)
class Candidate:
    """A collected name, checked: where it lies and what it is."""

    name: str
    category: PlaceCategory
    point: Point  # storage coordinates (EPSG:4490)
    area: AdminArea


def categories() -> list[tuple[str, str]]:
    """(GB/T 18521 code, name) of the categories a rural name may have."""
    rows = PlaceCategory.objects.filter(kind__code__in=RURAL_KINDS).order_by("code")
    return [(c.code, str(c)) for c in rows]  # "222 农村居民点"


def category_aliases(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(old code, current code) of the rural categories (``categories()``) recoded by migration 0009: a name queued
    on a tablet before the upgrade still carries the old code, and is taken as the current one."""
    current = {code for code, _label in choices}
    return [(old, new) for old, new in RECODED_CATEGORY_CODES.items() if new in current]


def _overlaps(prefixes, code: str) -> bool:
    return prefixes is None or any(p.startswith(code) or code.startswith(p) for p in prefixes)


def campaign_counties(user, prefix: str | None = None, *, closed: bool = False) -> list[CampaignCounty]:
    """The campaigns under way this year in the counties of ``user``'s region (under ``prefix`` when given); with
    ``closed``, last year's too (no longer open)."""
    if not has_role(user, *COLLECT_ROLES):
        return []
    year = timezone.localdate().year
    years = (year - 1, year) if closed else (year,)
    prefixes = area_prefixes(user)
    rows = list(Campaign.objects.filter(year__in=years).order_by("-year", "name", "id"))
    codes = {code for c in rows for code in (c.county_targets or {})}
    counties = {a.code: a for a in AdminArea.objects.filter(level="county", code__in=codes).defer("geom")}
    counts = _collected([c.pk for c in rows])
    out = []
    for campaign in rows:
        for code, target in sorted((campaign.county_targets or {}).items()):
            county = counties.get(code)
            if county is None or not _overlaps(prefixes, code) or (prefix and not _overlaps((prefix,), code)):
                continue
            out.append(CampaignCounty(record_id=f"{campaign.pk}-{code}", campaign_id=campaign.pk,
                                      campaign=campaign.name, year=campaign.year, county=county, target=int(target),
                                      collected=counts.get((campaign.pk, code), 0), open=campaign.year == year))
    return out


def _collected(campaign_ids) -> dict[tuple[int, str], int]:
    rows = (CampaignName.objects.filter(campaign_id__in=campaign_ids)
            .annotate(county=Left("place__area__code12", 6)).values("campaign_id", "county")
            .annotate(n=Count("id")))
    return {(r["campaign_id"], r["county"]): r["n"] for r in rows}


def campaign_county(user, record_id: str) -> CampaignCounty:
    found = next((c for c in campaign_counties(user) if c.record_id == str(record_id)), None)
    if found is None:
        raise NotFound(_("No rural-names campaign is under way there, or it is outside your region."),
                       code="no_campaign", where={"record_id": str(record_id)[:64]})
    return found


def _clean_name(name) -> str:
    name = unicodedata.normalize("NFKC", str(name or "")).strip()
    if not name:
        raise InputError(_("The name is empty."), code="required", where={"field": "name"})
    if len(name) > MAX_NAME:
        raise InputError(_("The name is longer than %(n)s characters.") % {"n": MAX_NAME}, code="invalid_value",
                         where={"field": "name"})
    if any(unicodedata.category(c)[0] not in "LN" and c not in "·-()" for c in name):
        raise InputError(_("The name holds characters that are not letters or digits."), code="invalid_value",
                         where={"field": "name"})
    return name


def area_at(lon: float, lat: float) -> AdminArea | None:
    """The finest admin area holding a WGS84 position (what the field app sends)."""
    x, y = to_storage_xy(lon, lat, 4326)
    return AdminArea.objects.finest_containing(Point(float(x), float(y), srid=4490))


def check(user, target: CampaignCounty, *, name, category, lon, lat) -> Candidate:
    """A collected name as it arrives (WGS84 position): a name, a rural category, a position in the campaign's
    county and in ``user``'s region. Raises the first problem, in words for the crew."""
    name = _clean_name(name)
    rural = PlaceCategory.objects.filter(kind__code__in=RURAL_KINDS).select_related("kind")
    found = checking.category_for_code(str(category or ""), {c.code: c for c in rural})
    if found is None:
        raise InputError(_("Choose the category of the name."), code="invalid_choice", where={"field": "category"})
    if lon is None or lat is None:
        raise InputError(_("The position of the name is needed: take it, or tap it on the map."),
                         code="position_required", where={"field": "position"})
    x, y = to_storage_xy(lon, lat, 4326)
    point = Point(float(x), float(y), srid=4490)
    area = AdminArea.objects.finest_containing(point)
    if area is None or not area.code12.startswith(target.county.prefix):
        raise InputError(_("The position lies outside %(county)s: this campaign collects names there only.")
                         % {"county": target.county.name}, code="outside_county", where={"field": "position"})
    if not can_act_in(user, area):
        raise PermissionDenied(_("The position lies outside your region."), code="outside_region",
                               where={"field": "position"})
    return Candidate(name=name, category=found, point=point, area=area)


def probable_duplicates(name: str, lon: float, lat: float, *, within_m: float = NEAR_M) -> list[dict]:
    """Registered places (not retired) of the same name within ``within_m`` metres of a WGS84 position, nearest
    first: {"uuid", "name", "kind", "distance_m"}."""
    x, y = to_storage_xy(lon, lat, 4326)
    here = Point(float(x), float(y), srid=4490).transform(METRIC_SRID, clone=True)
    out = []
    for place in (Place.objects.filter(name=unicodedata.normalize("NFKC", name).strip())
                  .exclude(status=PlaceStatus.RETIRED).select_related("kind")):
        metres = place.geom.transform(METRIC_SRID, clone=True).distance(here)
        if metres <= within_m:
            out.append({"uuid": str(place.uuid), "name": place.name, "kind": place.kind.name,
                        "distance_m": round(metres)})
    return sorted(out, key=lambda d: d["distance_m"])


@dataclass(frozen=True)
class Accepted:
    place_uuid: str
    entry_id: int
    flags: tuple[str, ...]


@transaction.atomic
def accept(actor, target_id: str, *, name, category, lon, lat, meaning: str = "", origin: str = "",
           source: str = "", collector: str = "") -> Accepted:
    """The office accepts a name a crew collected: the place is registered (in use, its pinyin from the standard
    reading), the checking rules flag it like any new record, it joins the campaign as collected by a crew with a
    state to send per platform, and the audit log has each row made (who, when, after)."""
    if not has_role(actor, Role.OFFICER):
        raise PermissionDenied(_("Only the region's officers add names to the register."), code="role_required")
    target = campaign_county(actor, target_id)
    found = check(actor, target, name=name, category=category, lon=lon, lat=lat)
    try:
        read = reading(found.name, one_word=found.category.code == NATURAL_VILLAGE_CATEGORY)  # 1984 rules art. 3
        pinyin, specific, generic = read.romanization, read.specific, read.generic
        key, initials = pinyin_key(found.name), initials_key(found.name)
    except DimingError:
        pinyin, specific, generic, key, initials = "", found.name, "", "", ""
    place = Place.objects.create(
        kind=found.category.kind, geom=found.point, area=found.area, status=PlaceStatus.IN_USE, name=found.name,
        pinyin=pinyin, pinyin_key=key, initials=initials)
    PlaceName.objects.create(place=place, specific=specific, generic=generic, full_name=found.name, pinyin=pinyin,
                             meaning=within(meaning, 2000, _("The meaning"), "meaning"),
                             origin=within(origin, 2000, _("The origin"), "origin"),
                             valid_from=timezone.localdate())
    census = CensusRecord.objects.create(place=place, category=found.category, source=within(source, 300, _("The source"), "source"),
                                         registrar=within(collector, 60, _("The collector"), "collector"))
    reason = _("rural name collected in the field, campaign %(campaign)s") % {"campaign": target.campaign}
    record(place, Action.CREATE, actor=actor, reason=reason)
    record(census, Action.CREATE, actor=actor, reason=reason)
    flags = checking.flag_new_place(place, found.category)
    campaign = Campaign.objects.get(pk=target.campaign_id)
    if not campaigns.add_names(campaign, [place], CollectedBy.CREW):
        raise Conflict(_("This place is already in the campaign."), code="already_in_campaign")
    entry = CampaignName.objects.get(campaign=campaign, place=place)
    record(entry, Action.CREATE, actor=actor, reason=reason)
    return Accepted(place_uuid=str(place.uuid), entry_id=entry.pk, flags=tuple(sorted(f.code for f in flags)))


@transaction.atomic
def accept_registered(actor, target_id: str, place_uuid: str) -> Accepted:
    """The office says a collected name is a registered place (same name, near): that place joins the campaign as
    collected by a crew (once), with a state to send per platform, and the audit log has the entry."""
    if not has_role(actor, Role.OFFICER):
        raise PermissionDenied(_("Only the region's officers add names to the register."), code="role_required")
    target = campaign_county(actor, target_id)
    place = (Place.objects.filter(pk=place_uuid, area__code12__startswith=target.county.prefix)
             .exclude(status=PlaceStatus.RETIRED).select_related("area").first())
    if place is None or not can_act_in(actor, place.area):
        raise NotFound(_("No such place, or it is outside your region."), code="not_found", where={"field": "place"})
    campaign = Campaign.objects.get(pk=target.campaign_id)
    if not campaigns.add_names(campaign, [place], CollectedBy.CREW):
        raise Conflict(_("This place is already in the campaign."), code="already_in_campaign")
    entry = CampaignName.objects.get(campaign=campaign, place=place)
    record(entry, Action.CREATE, actor=actor, reason=_("rural name collected in the field, campaign %(campaign)s")
           % {"campaign": target.campaign})
    return Accepted(place_uuid=str(place.uuid), entry_id=entry.pk, flags=())


def attach_photos(actor, place_uuid: str, photos) -> int:
    """A crew's photos of the place it collected the name of, (stored file name, sha256) of each field upload, onto
    the place (placenames.place_photos), for its public gazetteer page; each once. How many were added."""
    place = Place.objects.select_related("area").get(pk=place_uuid)
    return len(place_photos.attach_field_photos(actor, place, photos))


def joined_place(client_ref: str) -> str | None:
    """The UUID of the registered place an acceptance put into the campaign under this idempotency key."""
    if not client_ref:
        return None
    entry = (Change.objects.filter(object_type=ContentType.objects.get_for_model(CampaignName),
                                   client_ref=client_ref, action=Action.CREATE)
             .values_list("object_id", flat=True).first())
    found = CampaignName.objects.filter(pk=entry).values_list("place_id", flat=True).first() if entry else None
    return str(found) if found else None


def accepted_place(client_ref: str) -> str | None:
    """The UUID of the place an acceptance made under this idempotency key (the audit row's client_ref)."""
    if not client_ref:
        return None
    return (Change.objects.filter(object_type=ContentType.objects.get_for_model(Place), client_ref=client_ref,
                                  action=Action.CREATE).values_list("object_id", flat=True).first())

