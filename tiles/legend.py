"""What the office map's popups say about a feature: each layer's title, its properties by their labels, coded
values by their labels (the model's choices), and the page of the record (the layer's ``extra["record_url"]``, a
URL name taking the feature's id). The page sends it once, so a popup never shows a column name or a code."""

from __future__ import annotations

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from gis.layers import Layer

PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
HIDDEN = {"id", "uuid", "pinyin_key"}
SMALL_CODE_LIST = 300  # ids and search keys: the link is the way to the record


def _field(layer: Layer, name: str):
    try:
        return layer.get_model()._meta.get_field(name)
    except Exception:  # noqa: BLE001 - an annotation, not a model field
        return None


def _coded_relation(layer: Layer, name: str):
    """The foreign key behind an annotation such as ``kind_code`` (``F("kind__code")``), if there is one."""
    if not name.endswith("_code"):
        return None
    field = _field(layer, name[: -len("_code")])
    return field if field is not None and field.is_relation and field.many_to_one else None


def _code_names(model) -> dict | None:
    """code -> name of a small code list (a place kind), for values that are codes; None for a long one."""
    names = {f.name for f in model._meta.get_fields()}
    if not {"code", "name"} <= names or model._default_manager.count() > SMALL_CODE_LIST:
        return None
    return {str(code): str(name) for code, name in model._default_manager.values_list("code", "name")}


def _record_url(layer: Layer) -> str | None:
    name = layer.extra.get("record_url")
    if not name:
        return None
    try:
        return reverse(name, args=[PLACEHOLDER]).replace(PLACEHOLDER, "{id}")
    except NoReverseMatch:
        try:
            return reverse(name, args=["0"]).replace("/0/", "/{id}/")
        except NoReverseMatch:
            return None


def field_label(layer: Layer, name: str) -> str:
    """A property's name for people: the layer's own label, the model field's, or the relation's behind a code."""
    field = _field(layer, name)
    relation = _coded_relation(layer, name) if field is None else None
    label = (layer.extra.get("labels", {}).get(name) or (field.verbose_name if field is not None else None)
             or (relation.verbose_name if relation is not None else None))
    if name in ("id", "uuid") and (label is None or str(label) == name):
        label = _("the record's permanent identifier")
    return str(label or name)


def layer_legend(layer: Layer) -> dict:
    fields, values = {}, {}
    for name in (*layer.properties, *layer.private_properties):
        if name in HIDDEN:
            continue
        field = _field(layer, name)
        relation = _coded_relation(layer, name) if field is None else None
        fields[name] = field_label(layer, name)
        if relation is not None and (names := _code_names(relation.related_model)):
            values[name] = names
        elif field is not None and field.choices:
            values[name] = {str(code): str(text) for code, text in field.flatchoices}
        elif isinstance(field, models.BooleanField):
            values[name] = {"true": _("yes"), "false": _("no")}
    return {"title": str(layer.title), "fields": fields, "values": values, "record": _record_url(layer),
            "label": layer.label_field}


def legend(layers: list[Layer]) -> dict:
    return {layer.name: layer_legend(layer) for layer in layers}
