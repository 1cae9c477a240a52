"""What other apps may ask of the gazetteer about the places a doorplate is numbered in when it has no road: villages
and natural villages (村, 自然村) and residential areas (小区). Like placenames.roads, other apps import this module,
never the gazetteer's models.

A plate's base is a road (placenames.roads), a village or a residential area; ``BaseKind`` names the three.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from placenames.models import ROAD_KINDS, Place

# A village or residential area is a Place of one of these kinds; this is the model to point a foreign key at.
Base = Place

# A natural village (自然村) is a village-kind place filed under the GB/T 18521 category 222 农村居民点 (the census register) or
# whose generic term is 自然村; a kind of its own, should the bureau add one, counts as a village too.
VILLAGE_KINDS = ("village", "natural_village")
NATURAL_VILLAGE_CATEGORY = "222"
RESIDENTIAL_KINDS = ("residential",)
NATURAL_VILLAGE_GENERIC = "自然村"
NATURAL_VILLAGE_KIND = "natural_village"


class BaseKind(models.TextChoices):
    ROAD = "road", _("road")
    VILLAGE = "village", _("village")  # 村 or 自然村
    RESIDENTIAL = "residential", _("residential area")  # 小区


KIND_CODES = {BaseKind.ROAD: ROAD_KINDS, BaseKind.VILLAGE: VILLAGE_KINDS, BaseKind.RESIDENTIAL: RESIDENTIAL_KINDS}


def kind_of(place: Place) -> str | None:
    """The base kind of a place (its kind loaded), or None when no plate can be numbered in it."""
    for kind, codes in KIND_CODES.items():
        if place.kind.code in codes:
            return kind
    return None


def every_base_in_use():
    """Roads, villages and residential areas in use, of any base kind (``kind_of`` tells which): a queryset."""
    return Place.objects.in_use().filter(kind__code__in=[code for codes in KIND_CODES.values() for code in codes])


def all_bases(kind: str):
    """Every place of this base kind, in use or retired: a queryset with the gazetteer's filters."""
    return Place.objects.filter(kind__code__in=KIND_CODES[kind])


def bases_in_use(kind: str):
    return all_bases(kind).in_use()


def base_by_uuid(pk, kind: str | None = None) -> Place | None:
    """The village, residential area or road with this UUID (its kind and area loaded), or None when there is none
    or the place is of another kind."""
    found = Place.objects.select_related("kind", "area").filter(pk=pk).first()
    if found is None:
        return None
    found_kind = kind_of(found)
    return found if found_kind is not None and (kind is None or found_kind == kind) else None


def names_in_use() -> list[tuple[str, str]]:
    """(name, base kind) of every village and residential area in use, for the address parser."""
    codes = {code: kind for kind in (BaseKind.VILLAGE, BaseKind.RESIDENTIAL) for code in KIND_CODES[kind]}
    rows = Place.objects.in_use().filter(kind__code__in=list(codes)).values_list("name", "kind__code").distinct()
    return [(name, codes[code]) for name, code in rows]


def is_natural_village(place: Place) -> bool:
    from placenames.registry_models import CensusRecord

    if place.kind.code == NATURAL_VILLAGE_KIND:
        return True
    if CensusRecord.objects.filter(place=place, category__code=NATURAL_VILLAGE_CATEGORY).exists():
        return True
    current = place.names.current().first()
    return current is not None and current.generic == NATURAL_VILLAGE_GENERIC


def pinyin_of(pks) -> dict:
    """The romanized name of each of these places, by UUID."""
    return dict(Place.objects.filter(pk__in=pks).values_list("uuid", "pinyin"))


def containing(fragment: str, limit: int) -> dict[str, list]:
    """UUIDs of the roads, villages and residential areas (any status) whose name, or toneless pinyin for an ASCII
    fragment, contains ``fragment``, by base kind; at most ``limit`` of each kind, the first in name order.

    One statement (UNION ALL of a query per kind): autocomplete asks this before each query with a number, and a
    round trip per kind cost it more than the lookups themselves on a busy server."""
    lookup = "pinyin_key__contains" if fragment.isascii() else "name__contains"
    parts = [all_bases(kind).filter(**{lookup: fragment}).order_by("name")
             .annotate(base_kind=models.Value(kind.value)).values_list("base_kind", "uuid")[:limit]
             for kind in KIND_CODES]
    found = {kind: [] for kind in KIND_CODES}
    for kind, pk in parts[0].union(*parts[1:], all=True):
        found[kind].append(pk)
    return found
