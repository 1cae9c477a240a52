"""The layer interface: what an app publishes as a map layer, read alike by tiles, the OGC API and the exports.

Each app declares its layers in ``<app>/layers.py`` by calling ``register(Layer(...))``; ``discover()`` imports
those modules (like admin.autodiscover). A layer says which rows are public and which properties carry personal
data, so no consumer has to know an app's rules. This module imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Layer:
    name: str  # URL slug: /tiles/{name}/{z}/{x}/{y}.mvt, /ogc/collections/{name}
    title: str  # shown to people (Chinese)
    model: str  # "app_label.ModelName"
    geometry_type: str  # Point, LineString, MultiPolygon ... (of the stored column)
    geometry_field: str = "geom"  # EPSG:4490
    tile_geometry_field: str = "geom_3857"  # stored, indexed EPSG:3857 copy for tiles
    id_field: str = "pk"  # a stable public id (UUID where the model has one)
    properties: tuple[str, ...] = ()  # public attribute columns (field names or annotations from `annotate`)
    # Columns with personal data: only for the roles in `private_roles`, never in public tiles or exports.
    private_properties: tuple[str, ...] = ()
    private_roles: tuple[str, ...] = ()
    # Who may see the layer at all; empty means public.
    roles: tuple[str, ...] = ()
    # Internal: only for `roles` on the map and the OGC API, and never in exports or the change feed (the precise
    # positions of boundary markers).
    internal: bool = False
    # Lookup to the AdminArea FK, for region scoping; None when not scoped. Several lookups: a row is in a region
    # when any of them is (a boundary marker belongs to both sides of its line).
    region_path: str | tuple[str, ...] | None = "area"
    minzoom: int = 0
    maxzoom: int = 22
    # Queryset hook: given the model's default queryset, return the rows this layer publishes (approved, in use).
    published: Callable[[Any], Any] | None = None
    # Extra annotations for properties that are not plain columns: {"name": Expression}.
    annotate: Callable[[], dict[str, Any]] | None = None
    label_field: str | None = None
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # consumer-specific settings (tiles: generalisation...)

    @property
    def region_paths(self) -> tuple[str, ...]:
        if self.region_path is None:
            return ()
        return (self.region_path,) if isinstance(self.region_path, str) else tuple(self.region_path)

    def get_model(self):
        from django.apps import apps

        return apps.get_model(self.model)

    def queryset(self):
        qs = self.get_model()._default_manager.all()
        if self.published is not None:
            qs = self.published(qs)
        if self.annotate is not None:
            qs = qs.annotate(**self.annotate())
        return qs

    def properties_for(self, *, personal: bool) -> tuple[str, ...]:
        return self.properties + (self.private_properties if personal else ())


_LAYERS: dict[str, Layer] = {}
_discovered = False


def register(layer: Layer) -> Layer:
    if layer.name in _LAYERS and _LAYERS[layer.name] != layer:
        raise ValueError(f"layer {layer.name!r} is registered twice")
    _LAYERS[layer.name] = layer
    return layer


def discover() -> None:
    """Imports every app's layers module, once per process (the registry is read on every tile request)."""
    global _discovered
    if _discovered:
        return
    from django.conf import settings
    from django.utils import translation
    from django.utils.module_loading import autodiscover_modules

    # A layer module's titles are read once, whoever asks first (an API client in English, a test with no language):
    # in the product's language, not in that first request's.
    with translation.override(settings.LANGUAGE_CODE):
        autodiscover_modules("layers")
    _discovered = True


def get(name: str) -> Layer | None:
    discover()
    return _LAYERS.get(name)


def all_layers() -> list[Layer]:
    discover()
    return sorted(_LAYERS.values(), key=lambda layer: layer.name)


def exportable_layers() -> list[Layer]:
    """The layers exports and the change feed may carry: every layer but the internal ones."""
    return [layer for layer in all_layers() if not layer.internal]
