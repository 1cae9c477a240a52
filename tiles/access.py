"""Who sees what on the map: the layers of a request and, for each, which properties and rows.

Anonymous visitors and signed-in users without extra rights get the public variant: public layers with their
public properties, shared by everyone and cached once. A viewer whose roles open a restricted layer or a layer's
private properties gets a variant of their own, keyed by exactly what they may see, so a tile with personal data
is never stored under, or served from, the public key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import area_prefixes, has_role
from gis import layers as registry
from gis.errors import InputError, NotFound
from gis.layers import Layer
from tiles import services
from tiles.sql import LayerView

PUBLIC = "public"
MAX_LAYERS_PER_TILE = 16


def layer_named(name: str) -> Layer | None:
    return registry.get(name)


def all_layers() -> list[Layer]:
    return registry.all_layers()


@dataclass(frozen=True)
class Viewer:
    authenticated: bool = False
    admin: bool = False
    roles: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] | None = ()  # code12 prefixes of the viewer's regions; None: everywhere

    @classmethod
    def of(cls, user) -> Viewer:
        if not getattr(user, "is_authenticated", False):
            return cls()
        admin = has_role(user, Role.ADMIN)
        roles = frozenset(role for role in Role.values if has_role(user, role))
        return cls(authenticated=True, admin=admin, roles=roles, prefixes=area_prefixes(user))

    def holds(self, roles: tuple[str, ...]) -> bool:
        return self.admin or bool(self.roles & set(roles))

    def may_see(self, layer: Layer) -> bool:
        return not layer.roles or (self.authenticated and self.holds(layer.roles))

    def view_of(self, layer: Layer) -> LayerView:
        personal = bool(layer.private_properties) and self.authenticated and (
            self.admin or self.holds(layer.private_roles))
        restricted_rows = bool(layer.roles) and layer.region_path is not None and self.prefixes is not None
        return LayerView(
            layer=layer,
            personal=personal,
            row_prefixes=self.prefixes if restricted_rows else None,
            private_prefixes=self.prefixes if personal and self.prefixes is not None else None,
        )

    def visible_layers(self) -> list[Layer]:
        return [layer for layer in all_layers() if self.may_see(layer)]


def parse_layerset(names: str, viewer: Viewer) -> tuple[LayerView, ...]:
    """``"counties,roads"`` -> the views of those layers, by name whatever the order asked (one
    tile, one cache entry for the same layers); unknown or hidden layers are not found (404)."""
    parts = names.split(",")
    if len(parts) > MAX_LAYERS_PER_TILE:
        raise InputError(_("At most %(max)s layers are asked for at once.") % {"max": MAX_LAYERS_PER_TILE}, code="too_many_layers",
                         where={"layers": names[:200]})
    if len(set(parts)) != len(parts):
        raise InputError(_("The list of layers repeats a layer."), code="duplicate_layer", where={"layers": names[:200]})
    views = []
    for name in parts:
        layer = layer_named(name)
        if layer is None or not viewer.may_see(layer):
            raise NotFound(_("No layer is named %(name)s.") % {"name": name[:64]}, code="unknown_layer", where={"layer": name[:64]})
        views.append(viewer.view_of(layer))
    return tuple(sorted(views, key=lambda view: view.layer.name))


def variant_of(views: tuple[LayerView, ...]) -> str:
    """The cache key part that says who the tile was drawn for."""
    if all(not v.personal and v.row_prefixes is None for v in views):
        return PUBLIC
    signature = repr([(v.layer.name, v.personal, v.row_prefixes, v.private_prefixes) for v in views])
    return "v-" + hashlib.blake2b(signature.encode(), digest_size=12).hexdigest()


@dataclass(frozen=True)
class Layerset:
    """The layers of a tile request as one viewer sees them, and what their tiles are kept under."""

    views: tuple[LayerView, ...]
    variant: str  # variant_of(views)
    key: str  # services.cache_key(views)


_RESOLVED: dict[tuple[str, Viewer], Layerset] = {}
RESOLVED_MAX = 1024  # (layer list, viewer) pairs remembered; any more are resolved on every request


def resolve(names: str, viewer: Viewer) -> Layerset:
    """``names`` for ``viewer`` (parse_layerset), with the variant and the cache key of its tiles.

    A map asks for the same few layer lists thousands of times a minute, and working them out again (the registry,
    each layer's view, the digest of the tile SQL) is a good part of a cache hit's Python: the answer is remembered
    per (names, viewer), and holds while the registry still holds its very layers. Refusals (unknown, hidden or
    repeated layers) are not remembered: they are raised again each time.
    """
    found = _RESOLVED.get((names, viewer))
    if found is not None and all(layer_named(view.layer.name) is view.layer for view in found.views):
        return found
    views = parse_layerset(names, viewer)
    found = Layerset(views, variant_of(views), services.cache_key(views))
    if len(_RESOLVED) < RESOLVED_MAX:
        _RESOLVED[(names, viewer)] = found
    return found
