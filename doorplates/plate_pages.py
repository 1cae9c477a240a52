"""Adding and editing one plate from the pages (the API's rules through doorplates.services): the form is the
same for both; an edit sends the version it was opened on, so an edit made meanwhile is refused, not overwritten."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.scoping import has_role, home_extent, scope
from core import params as typed
from doorplates import services
from doorplates.models import Doorplate, PlateStatus, PlateType
from gis.errors import DimingError, InputError, PermissionDenied
from gis.intake import intake_geometry
from placenames.bases import BaseKind, bases_in_use
from placenames.roads import all_roads

ROAD_CHOICES_LIMIT = 3000
TEXT_FIELDS = ("number", "villager_group", "plate_type", "building", "unit", "room", "installed_on", "reason")


def _require_editor(user) -> None:
    if not has_role(user, *services.EDIT_ROLES):
        raise PermissionDenied(_("Adding and editing doorplates needs the officer or field-crew role."),
                               code="role_required")


def _roads(user):
    return scope(all_roads(), user, "area").order_by("name", "uuid").only("uuid", "name", "area")[
        :ROAD_CHOICES_LIMIT]


def _bases(user) -> list[tuple[str, list[tuple[str, str]]]]:
    """The villages and residential areas of the user's regions as (group label, [(value, name)]), the value being
    village:<uuid> or residential:<uuid>: the form's second way to give a base."""
    return [(label, [(f"{kind}:{uuid}", name) for uuid, name in
                     scope(bases_in_use(kind), user, "area").order_by("name", "uuid")
                     .values_list("uuid", "name")[:ROAD_CHOICES_LIMIT]])
            for kind, label in ((BaseKind.VILLAGE, _("Villages")), (BaseKind.RESIDENTIAL, _("Residential areas")))]


def _base_value(plate: Doorplate) -> str:
    """The base field's value of a plate without a road: village:<uuid> or residential:<uuid>."""
    return "" if plate.road_id else f"{plate.kind_of_base}:{plate.base_id}"


def _shown_position(plate: Doorplate) -> tuple[str, str]:
    """The entrance as the form shows it (seven decimals, about 1 cm)."""
    return f"{plate.geom.x:.7f}", f"{plate.geom.y:.7f}"


def _values(plate: Doorplate | None, road_uuid) -> dict:
    if plate is None:
        return {"road": str(road_uuid or ""), "plate_type": PlateType.DOOR, "status": PlateStatus.PLANNED}
    return {"road": str(plate.road_id or ""), "base": _base_value(plate),
            "number": plate.house_number.label if plate.number is not None else "",
            "villager_group": plate.villager_group or "", "plate_type": plate.plate_type,
            "building": plate.building, "unit": plate.unit, "room": plate.room,
            "installed_on": plate.installed_on.isoformat() if plate.installed_on else "",
            "lon": _shown_position(plate)[0], "lat": _shown_position(plate)[1], "version": plate.version}


def _chosen_road(user, value):
    """The road the form is opened on (?road=, or the one chosen before a refused save), for its map."""
    try:
        return scope(all_roads(), user, "area").filter(pk=value).first() if value else None
    except (ValueError, ValidationError):
        return None


def _chosen_place(user, value):
    """The village or residential area the form is opened on (base=village:<uuid>), for its map."""
    kind, _sep, uuid = (value or "").partition(":")
    if kind not in (BaseKind.VILLAGE, BaseKind.RESIDENTIAL):
        return None
    try:
        return scope(bases_in_use(kind), user, "area").filter(pk=uuid).first()
    except (ValueError, ValidationError):
        return None


def _text(data, name: str) -> str:
    return (data.get(name) or "").strip()


def _chosen_base(data, user) -> tuple[str, object]:
    """The road, or else the village or residential area (base=village:<uuid>) the form names."""
    if _text(data, "base") and not _text(data, "road"):
        kind, _sep, uuid = _text(data, "base").partition(":")
        if kind not in (BaseKind.VILLAGE, BaseKind.RESIDENTIAL):
            raise InputError(_("The %(label)s chosen is not one of the list.") % {"label": _("village or residential area")},
                             code="invalid_input", where={"field": "base"})
        return kind, services.base_of(kind, typed.uuid({"base": uuid}, "base", label=_("village or residential area")), user)
    if _text(data, "base"):
        raise InputError(_("Give exactly one base: a road, a village or a residential area."),
                         code="base_required", where={"field": "base"})
    if not _text(data, "road"):
        raise InputError(_("Choose the road the plate stands on, or its village or residential area."),
                         code="base_required", where={"field": "road"})
    return BaseKind.ROAD, services.road_of(typed.uuid(data, "road", label=_("road")), user)


def _page_point(data):
    """The plate's entrance from the form's longitude and latitude (CGCS2000), named as the form names them."""
    lon = typed.number(data, "lon", label=_("Longitude"))
    lat = typed.number(data, "lat", label=_("Latitude"))
    if lon is None or lat is None:
        raise InputError(_("Place the plate on the map, or give its longitude and latitude."), code="missing_value",
                         where={"field": "lon" if lon is None else "lat"})
    return intake_geometry((lon, lat), crs="EPSG:4490", expected="Point", field="lon").geometry


_BASE_FIELD = {BaseKind.ROAD: "road", BaseKind.VILLAGE: "village", BaseKind.RESIDENTIAL: "residential_area"}


def _save(request, plate: Doorplate | None) -> Doorplate:
    data = request.POST
    kind, base = _chosen_base(data, request.user)
    point = _page_point(data)
    parts = {name: _text(data, name) for name in ("building", "unit", "room")}
    if plate is None:
        status = typed.choice(data, "status", [PlateStatus.PLANNED, PlateStatus.INSTALLED], PlateStatus.PLANNED,
                              label=_("status"))
        return services.create_plate(request.user, base=base, number=_text(data, "number"), point=point,
                                     plate_type=_text(data, "plate_type") or PlateType.DOOR, status=status,
                                     villager_group=_text(data, "villager_group"), **parts)
    changes = {_BASE_FIELD[kind]: base, "number": _text(data, "number"),
               "villager_group": _text(data, "villager_group") if kind == BaseKind.VILLAGE else 0,
               "plate_type": _text(data, "plate_type") or plate.plate_type, **parts}
    if (_text(data, "lon"), _text(data, "lat")) != _shown_position(plate):
        changes["point"] = point  # else the stored entrance keeps its digits beyond the form's seven
    installed_on = typed.date(data, "installed_on", label=_("Installed on")) if _text(data, "installed_on") else None
    if installed_on != plate.installed_on:
        changes["installed_on"] = installed_on
    return services.update_plate(request.user, plate, version=typed.form_version(data),
                                 reason=_text(data, "reason"), **changes)


def _form(request, plate: Doorplate | None):
    _require_editor(request.user)
    error, status = None, 200
    if request.method == "POST":
        try:
            saved = _save(request, plate)
        except DimingError as exc:
            error, status = exc, exc.http_status
        else:
            messages.success(request, _("Doorplate %(address)s is saved.") % {"address": saved.address})
            return redirect("doorplates:plate", uuid=saved.pk)
    values = request.POST.dict() if request.method == "POST" else _values(plate, typed.uuid(request.GET, "road"))
    if plate is not None and request.method == "POST":
        values["version"] = plate.version  # the version the form was opened on stays the one it sends
    road = _chosen_road(request.user, values.get("road")) or _chosen_place(request.user, values.get("base"))
    return render(request, "doorplates/plate_form.html", {
        "plate": plate, "values": values, "error": error, "roads": _roads(request.user),
        "bases": _bases(request.user),
        "plate_types": PlateType.choices,
        "statuses": [(s, PlateStatus(s).label) for s in (PlateStatus.PLANNED, PlateStatus.INSTALLED)],
        "title": _("Edit doorplate") if plate else _("Add a doorplate"),
        "map_data": {"lon": values.get("lon") or None, "lat": values.get("lat") or None,
                     "roads_api": reverse("doorplates:index") + "api/roads/",
                     "extent": road.geom.extent if road is not None else home_extent(request.user),
                     "road": json.loads(road.geom.geojson) if road is not None else None},
    }, status=status)


@login_required
def plate_new(request):
    return _form(request, None)


@login_required
def plate_edit(request, uuid):
    return _form(request, services.visible_plate(request.user, uuid))
