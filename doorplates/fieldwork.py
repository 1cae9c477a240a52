"""What the field app may ask of the doorplate registry: the plates reported damaged in a region (a crew's tasks),
plates by UUID, the plate a scanned QR code names, and a crew's finding, written through services.set_status
(region and role checked, audited). Other apps import this module, never the registry's models."""

from __future__ import annotations

import re
from dataclasses import dataclass

from accounts.scoping import scope
from audit.privacy import hidden_from
from doorplates import services
from doorplates.models import Doorplate, PlateStatus

TOKEN_IN_URL = re.compile(r"/d/([-\w]{8,32})")
STATUSES = (PlateStatus.DAMAGED, PlateStatus.INSTALLED, PlateStatus.RETIRED)  # what a crew may find


@dataclass(frozen=True)
class PlateFacts:
    uuid: str
    address: str
    status: str
    lon: float
    lat: float
    area: object
    token: str | None
    updated_at: object


def _facts(plate: Doorplate, token_hidden: bool) -> PlateFacts:
    """What the field app is told of ``plate``; its QR token only for a user who may see it (officers and crews:
    doorplates.models.PRIVATE), as on the plate's own page."""
    return PlateFacts(str(plate.uuid), str(plate), plate.status, plate.geom.x, plate.geom.y, plate.area,
                      None if token_hidden else plate.token, plate.updated_at)


def _damaged(user, prefix: str | None):
    plates = scope(Doorplate.objects.filter(status=PlateStatus.DAMAGED), user)
    return plates.filter(area__code12__startswith=prefix) if prefix else plates


def damaged_count(user, prefix: str | None) -> int:
    """How many plates plates_for_field lists without ``only`` (a package listing's count: no plate read)."""
    return _damaged(user, prefix).count()


def plates_for_field(user, prefix: str | None, only: set[str] | None = None) -> list[PlateFacts]:
    """Plates reported damaged in the user's region (under the code12 ``prefix`` when given); with ``only``, those
    plates whatever their status (a task the office closed meanwhile is still answered)."""
    if only is None:
        plates = _damaged(user, prefix)
    else:
        plates = scope(Doorplate.objects.filter(uuid__in=list(only)), user)
        plates = plates.filter(area__code12__startswith=prefix) if prefix else plates
    # Thousands of plates in a county: the area's outlines and the Mercator copy stay in the database.
    plates = plates.select_related("area").defer("geom_3857", "area__geom", "area__geom_3857")
    token_hidden = "token" in hidden_from(user, Doorplate)
    return [_facts(p, token_hidden) for p in plates.order_by("road_name", "number", "sub_number")]


def plate_for_qr(text: str) -> str | None:
    """The UUID of the standing plate a scanned QR text (its /d/<token> URL or the bare token) names."""
    text = (text or "").strip()
    match = TOKEN_IN_URL.search(text)
    token = match[1] if match else text[:32]
    found = Doorplate.objects.resolving(token).values_list("uuid", flat=True).first()
    return str(found) if found else None


def record_finding(actor, uuid: str, status: str, *, reason: str = "") -> None:
    """A crew found the plate ``status`` (still damaged, repaired, gone): the registry's status follows."""
    plate = Doorplate.objects.get(uuid=uuid)
    if plate.status != status:
        services.set_status(actor, plate, status, reason=reason)
