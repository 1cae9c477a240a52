"""Keeping the plates' copies in step when a road or an admin area is renamed.

A plate carries its road's name, its standard address and its search text (doorplates.models). When a renaming is
approved (placenames.services) or an area's name is corrected, every plate of that road or area gets the new texts
in the same transaction, so the QR page, autocomplete, the tiles and the exports never show the old name; a linked
canteen's address follows through its own trigger. The plates' texts are derived: the audit log records the road's
or the area's change, not one entry per plate.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from boundaries.models import AdminArea
from doorplates.addresses import address_prefix, forget_base_names, forget_gazetteer
from doorplates.models import Doorplate
from placenames.roads import Road

TEXT_FIELDS = ("road_name", "number_label", "address", "search_text")

_NEW_PREFIXES = """
UPDATE doorplates_doorplate d
SET address = v.new || substr(d.address, char_length(v.old) + 1), updated_at = now()
FROM (SELECT unnest(%(areas)s::bigint[]) AS area_id, unnest(%(old)s::text[]) AS old,
             unnest(%(new)s::text[]) AS new) v
WHERE d.area_id = v.area_id AND v.old <> v.new AND starts_with(d.address, v.old)
"""


def refresh_road_texts(road: Road) -> int:
    """Re-copies a road's (or a village's or residential area's) name and keys onto its plates; returns how many
    changed."""
    changed = []
    now = timezone.now()
    plates = Doorplate.objects.filter(Q(road=road) | Q(village=road) | Q(residential_area=road))
    for plate in plates.select_related("area").iterator(chunk_size=2000):
        before = tuple(getattr(plate, name) for name in TEXT_FIELDS)
        plate.refresh_text(road, plate.area)
        if tuple(getattr(plate, name) for name in TEXT_FIELDS) != before:
            plate.updated_at = now
            changed.append(plate)
    Doorplate.objects.bulk_update(changed, [*TEXT_FIELDS, "updated_at"], batch_size=2000)
    return len(changed)


def _plate_areas_under(area: AdminArea) -> list[AdminArea]:
    ids = (Doorplate.objects.filter(area__code12__startswith=area.prefix).order_by()
           .values_list("area_id", flat=True).distinct())
    return list(AdminArea.objects.filter(pk__in=ids))


def remember_names(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of Place and AdminArea: what the row was called before, when that may change the plates."""
    if raw or instance.pk is None:
        return
    old = type(instance)._default_manager.filter(pk=instance.pk).first()
    if old is None:
        return
    if isinstance(instance, Road):
        keys = ("name", "pinyin_key", "initials")
        if any(getattr(old, k) != getattr(instance, k) for k in keys):
            instance._doorplates_renamed = True
            forget_base_names()
    elif old.name != instance.name:
        # The prefixes as they read now, for every area holding plates under the renamed one.
        forget_gazetteer()  # this process may hold names a minute old
        instance._doorplates_prefixes = {a.pk: address_prefix(a) for a in _plate_areas_under(old)}


def follow_road(sender, instance, raw=False, **kwargs) -> None:
    if not raw and getattr(instance, "_doorplates_renamed", False):
        instance._doorplates_renamed = False
        refresh_road_texts(instance)


def follow_area(sender, instance, raw=False, **kwargs) -> None:
    old = getattr(instance, "_doorplates_prefixes", None)
    if raw or not old:
        return
    instance._doorplates_prefixes = None
    forget_gazetteer()
    areas = {a.pk: a for a in AdminArea.objects.filter(pk__in=list(old))}
    ids = sorted(areas)
    with connection.cursor() as cursor:
        cursor.execute(_NEW_PREFIXES, {"areas": ids, "old": [old[i] for i in ids],
                                       "new": [address_prefix(areas[i]) for i in ids]})
