"""The officer's canteen form (register and edit): plain fields whose values go through canteens.services, which
checks them, links the doorplate and records the change."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from canteens.models import MAX_COUNT, MAX_RADIUS_M, Canteen, CanteenKind
from gis.errors import DimingError

# The form's fields that are the model's own (same names as canteens.services.EDITABLE, less the doorplate).
PLAIN = ("name", "kind", "address", "operator", "operator_phone", "seats", "meals_per_sitting", "opening_hours",
         "delivers", "delivery_radius_m", "opened_on", "star_rating", "note")


class CanteenForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=CanteenKind.choices)
    geom = forms.CharField(label=_("location"), widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
                           help_text=_("Click the map, or enter “longitude, latitude” (CGCS2000) or GeoJSON."))
    address = forms.CharField(label=_("address"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}),
                              help_text=_("Type the standard address and pick the doorplate from the list."))
    doorplate = forms.CharField(required=False, widget=forms.HiddenInput)
    operator = forms.CharField(label=_("operator"), max_length=100, required=False)
    operator_phone = forms.CharField(label=_("operator contact phone"), max_length=32, required=False)
    seats = forms.IntegerField(label=_("seats"), min_value=0, max_value=MAX_COUNT, required=False)
    meals_per_sitting = forms.IntegerField(label=_("meals per sitting"), min_value=0, max_value=MAX_COUNT,
                                           required=False)
    opening_hours = forms.CharField(label=_("opening hours"), max_length=100, required=False)
    delivers = forms.BooleanField(label=_("delivers meals"), required=False)
    delivery_radius_m = forms.IntegerField(label=_("delivery radius (m)"), min_value=1, max_value=MAX_RADIUS_M,
                                           required=False)
    opened_on = forms.DateField(label=_("opening date"), required=False,
                                widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    star_rating = forms.IntegerField(label=_("star rating"), min_value=1, max_value=5, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def initial_of(cls, canteen: Canteen) -> dict[str, Any]:
        initial = {name: getattr(canteen, name) for name in PLAIN}
        initial["geom"] = json.dumps({"type": "Point", "coordinates": [round(canteen.geom.x, 7),
                                                                      round(canteen.geom.y, 7)]})
        initial["doorplate"] = str(canteen.doorplate_id or "")
        return initial

    def geometry(self):
        """The location as services take it: GeoJSON in lon/lat (typed "lon, lat" becomes a GeoJSON point: at map
        scale CGCS2000 and WGS84 coincide)."""
        text = self.cleaned_data["geom"].strip()
        if text.startswith("{"):
            try:
                return json.loads(text)
            except (ValueError, RecursionError):
                return text  # gis.intake says what is wrong with it
        parts = unicodedata.normalize("NFKC", text).replace(" ", ",").split(",")  # a full-width comma too
        numbers = [p for p in parts if p]
        if len(numbers) == 2:
            try:
                return {"type": "Point", "coordinates": [float(numbers[0]), float(numbers[1])]}
            except ValueError:
                pass
        return text

    def values(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in PLAIN}
        for name in ("address", "operator", "operator_phone", "opening_hours", "note"):
            # A browser sends a textarea's line breaks as CR LF: stored as LF, an unchanged note stays unchanged.
            data[name] = (data[name] or "").replace("\r\n", "\n")
        return data

    def changes_to(self, canteen: Canteen) -> dict[str, Any]:
        """What the officer changed: only those go to services.update_canteen (an untouched address is not
        matched again, an untouched location not checked again)."""
        changes = {name: value for name, value in self.values().items() if value != getattr(canteen, name)}
        doorplate = self.cleaned_data["doorplate"] or None
        if doorplate != (str(canteen.doorplate_id) if canteen.doorplate_id else None):
            changes["doorplate"] = doorplate
        geometry = self.geometry()
        if not (isinstance(geometry, dict) and geometry.get("type") == "Point"
                and _same_point(geometry.get("coordinates"), canteen.geom)):
            changes["geom"] = geometry
        return changes

    def add_service_error(self, error: DimingError) -> None:
        """The services' error on the field it names, or above the form."""
        field = (error.where or {}).get("field")
        self.add_error(field if field in self.fields and field != "doorplate" else
                       ("address" if field == "doorplate" else None), str(error.message))


def _same_point(coordinates, point) -> bool:
    try:
        lon, lat = float(coordinates[0]), float(coordinates[1])
    except (TypeError, ValueError, IndexError):
        return False
    return abs(lon - point.x) < 5e-8 and abs(lat - point.y) < 5e-8


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"))
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, canteen: Canteen, **kwargs):
        super().__init__(*args, **kwargs)
        from canteens.models import TRANSITIONS, CanteenStatus

        self.fields["status"].choices = [(s, CanteenStatus(s).label) for s in TRANSITIONS.get(canteen.status, ())]
        self.fields["version"].initial = canteen.version
