"""What other apps may ask of the doorplate registry (a canteen's doorplate, later a grave's nearest address): a
plate by its UUID, whether it still stands, and the one plate an address text names near a point. Other apps import
this module, never the registry's models or search directly."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from doorplates.models import Doorplate, PlateStatus
from doorplates.search import geocode
from gis.crs import distance_m
from gis.errors import InputError, shown


def plates():
    """Every plate, for a foreign key's choices (an API field): a queryset, never evaluated whole."""
    return Doorplate.objects.all()


def plate(value, *, field: str = "doorplate") -> Doorplate | None:
    """A plate given as itself, its UUID or None; an unknown UUID is the caller's input error."""
    if value is None or value == "" or isinstance(value, Doorplate):
        return value or None
    try:
        return Doorplate.objects.get(uuid=value)
    except (Doorplate.DoesNotExist, ValueError, ValidationError):
        raise InputError(_("No plate has the ID %(value)s.") % {"value": shown(value)}, code="unknown_doorplate",
                         where={"field": field, "value": shown(value)}) from None


def is_retired(found: Doorplate) -> bool:
    return found.status == PlateStatus.RETIRED


def plate_named(address: str, point, user, *, within_m: float) -> Doorplate | None:
    """The one standing plate ``address`` names (forward geocoding, as ``user`` sees the registry) within
    ``within_m`` metres of ``point``; None when none or several do."""
    if not address.strip():
        return None
    found = [p for p in geocode(address, user).plates
             if not is_retired(p) and distance_m(p.geom, point) <= within_m]
    return found[0] if len(found) == 1 else None
