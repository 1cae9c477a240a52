"""What other apps may ask of the gazetteer about roads (doorplates are numbered along them and named after them):
the road model for a foreign key or a signal, the roads, one road by its UUID, and their pinyin. Other apps import
this module, never the gazetteer's models."""

from __future__ import annotations

from placenames.models import Place

# A road is a Place of a road kind (ROAD_KINDS); this is the model to point a foreign key at or test a saved
# instance against.
Road = Place


def all_roads():
    """Every road, in use or retired: a queryset, with the gazetteer's filters (``in_use()``, ``named(name)``)."""
    return Place.objects.roads()


def roads_in_use():
    return Place.objects.roads().in_use()


def road_by_uuid(pk) -> Road | None:
    """The road with this UUID (its kind loaded), or None when there is none or the place is not a road."""
    found = Place.objects.select_related("kind").filter(pk=pk).first()
    return found if found is not None and found.is_road else None


def pinyin_of(pks) -> dict:
    """The romanized name of each of these places, by UUID."""
    return dict(Place.objects.filter(pk__in=pks).values_list("uuid", "pinyin"))
