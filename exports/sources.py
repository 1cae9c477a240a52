"""What a registry layer looks like to the exports: its rows as chunks of columns plus numpy coordinates.

A ``Source`` wraps a ``gis.layers.Layer`` and reads only what the layer publishes (``Layer.queryset()``: approved,
in use) and only its public ``properties``: ``private_properties`` are never selected. Rows stream from a
server-side cursor in chunks, so memory stays flat whatever the layer's size; each chunk carries its label points
as two float64 arrays for the vectorised transforms of gis.coords.

Per-layer details the registry does not describe (where the address comes from, which field is the kind) come from
``Layer.extra["exports"]`` when the owning app sets it, else from ``LAYER_DEFAULTS`` here, else from the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from django.contrib.gis.db.models.functions import AsGeoJSON, AsWKT
from django.db import connection, models, transaction
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from boundaries.models import AdminArea
from gis.db.functions import LabelPoint, PointX, PointY
from gis.errors import InputError, NotFound
from gis.layers import Layer, exportable_layers, get

CHUNK_ROWS = 10_000

# Exports-side defaults for the domain layers, each used where the owning app's Layer.extra["exports"] does not
# give it.
LAYER_DEFAULTS: dict[str, dict[str, Any]] = {
    "roads": {"address_fields": ("location_description",), "place_names": True},
    "places": {"address_fields": ("location_description",), "place_names": True},
    "canteens": {"address_field": "address"},
}


@dataclass(frozen=True)
class Filters:
    """What a consumer or an officer asked for: admin areas (code12 prefixes), kinds and statuses."""

    prefixes: tuple[str, ...] | None = None  # None: everywhere; () matches nothing
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def narrowed_to(self, prefixes: tuple[str, ...] | None) -> Filters:
        """Also limited to ``prefixes`` (a user's or consumer's regions); None leaves it as it is."""
        if prefixes is None:
            return self
        if self.prefixes is None:
            return Filters(tuple(prefixes), self.kinds, self.statuses)
        kept = tuple(p for p in self.prefixes if any(p.startswith(q) for q in prefixes))
        kept += tuple(q for q in prefixes if any(q.startswith(p) for p in self.prefixes) and q not in kept)
        return Filters(kept, self.kinds, self.statuses)

    def matches(self, area_code12: str | None, kind: str | None) -> bool:
        if self.prefixes is not None and not any((area_code12 or "").startswith(p) for p in self.prefixes):
            return False
        return not self.kinds or kind in self.kinds


def prefix_of_code(code: str) -> str:
    """The code12 prefix of an admin area code: 330302 -> '330302', 330302006 -> '330302006'."""
    area = AdminArea.objects.filter(code=code).only("code12", "level").first()
    if area is None:
        raise NotFound(_("There is no administrative area %(code)s.") % {"code": code}, code="unknown_area", where={"area": code})
    return area.prefix


@dataclass
class Chunk:
    """Up to CHUNK_ROWS records: ``rows`` are tuples in ``Source.columns`` order; lon/lat their label points."""

    rows: list[tuple]
    lon: np.ndarray
    lat: np.ndarray
    ops: list[str] | None = None  # insert/update/delete per row, for incremental exports

    def __len__(self):
        return len(self.rows)


@dataclass(frozen=True)
class Source:
    layer: Layer
    extra_columns: dict[str, Any] = field(default_factory=dict)  # name -> expression, added by a profile

    @classmethod
    def named(cls, name: str, **kwargs) -> Source:
        layer = get(name)
        if layer is None or layer.internal:
            names = ", ".join(layer.name for layer in exportable_layers())
            raise NotFound(_("There is no layer %(name)s (there are: %(names)s).") % {"name": name, "names": names}, code="unknown_layer", where={"layer": name})
        return cls(layer, **kwargs)

    # -- what the layer says, with the exports-side defaults ---------------------------------------------------
    @cached_property
    def options(self) -> dict[str, Any]:
        return {**LAYER_DEFAULTS.get(self.layer.name, {}), **self.layer.extra.get("exports", {})}

    @cached_property
    def model(self):
        return self.layer.get_model()

    def _has_field(self, name: str) -> bool:
        try:
            self.model._meta.get_field(name)
        except Exception:
            return False
        return True

    @cached_property
    def properties(self) -> tuple[str, ...]:
        """The public properties; a name also listed as private is dropped, whatever the layer says."""
        private = set(self.layer.private_properties)
        return tuple(p for p in self.layer.properties if p not in private)

    @cached_property
    def area_lookup(self) -> str | None:
        if len(self.layer.region_paths) == 1:
            return f"{self.layer.region_paths[0]}__code12"
        if self._has_field("code12"):
            return "code12"
        # A layer public on the map (no region scoping) is still cut by area for exports and feeds.
        area = self.model._meta.get_field("area") if self._has_field("area") else None
        if area is not None and area.is_relation and area.related_model is AdminArea:
            return "area__code12"
        return None

    @cached_property
    def kind_lookup(self) -> str | None:
        if "kind_lookup" in self.options:
            return self.options["kind_lookup"]
        if not self._has_field("kind"):
            return None
        kind = self.model._meta.get_field("kind")
        if kind.is_relation:
            return "kind__code" if any(f.name == "code" for f in kind.related_model._meta.fields) else "kind_id"
        return "kind"

    @cached_property
    def status_lookup(self) -> str | None:
        return self.options.get("status_lookup", "status" if self._has_field("status") else None)

    @property
    def name_column(self) -> str | None:
        return self.options.get("name_field", self.layer.label_field)

    @cached_property
    def name_columns(self) -> tuple[str, ...]:
        """The columns whose texts make a record's display name (a doorplate: road name, number, building...)."""
        names = self.options.get("name_fields") or ((self.name_column,) if self.name_column else ())
        return tuple(n for n in names if n in self.columns)

    @cached_property
    def added_columns(self) -> dict[str, Any]:
        """Columns beyond the public properties: the layer's own for exports ("columns", such as a doorplate's
        building after its number), then a profile's."""
        return {**self.options.get("columns", {}), **self.extra_columns}

    @cached_property
    def name_indexes(self) -> tuple[int, ...]:
        return tuple(self.index_of(n) for n in self.name_columns)

    def name_of(self, row: tuple) -> str:
        return "".join(str(row[i] or "") for i in self.name_indexes)

    @cached_property
    def address_index(self) -> int | None:
        name = self.options.get("address_field")
        return self.index_of(name) if name in self.columns else None

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """Every chunk row: public id, area code12, kind, the public properties, the extra columns, the row's key."""
        return ("ex_fid", "ex_area", "ex_kind", *self.properties, *self.added_columns, "ex_pk")

    def index_of(self, column: str) -> int:
        return self._positions[column]

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.columns)}

    # -- querysets ---------------------------------------------------------------------------------------------
    def published(self):
        """The layer's published rows; only a plain column may carry a property (no personal data by join)."""
        return self.layer.queryset()

    def annotated(self, qs=None):
        qs = self.published() if qs is None else qs
        geom = self.layer.geometry_field
        label = F(geom) if self.layer.geometry_type == "Point" else LabelPoint(geom)
        annotations = {
            "ex_fid": Cast(self.layer.id_field, TextField()),
            "ex_pk": Cast("pk", TextField()),
            "ex_area": F(self.area_lookup) if self.area_lookup else Value(None, TextField()),
            "ex_kind": Cast(self.kind_lookup, TextField()) if self.kind_lookup else Value(None, TextField()),
            "ex_lon": PointX(label),
            "ex_lat": PointY(label),
            **self.added_columns,
        }
        return qs.annotate(**annotations)

    def filtered(self, filters: Filters, qs=None):
        qs = self.published() if qs is None else qs
        if filters.prefixes is not None:
            if self.area_lookup is None:
                if filters.prefixes:
                    return qs  # a layer without admin areas (the boundaries themselves) is not cut by region
                return qs.none()
            query = Q()
            for prefix in filters.prefixes:
                query |= Q(**{f"{self.area_lookup}__startswith": prefix})
            qs = qs.filter(query) if filters.prefixes else qs.none()
        if filters.kinds:
            if self.kind_lookup is None:
                raise InputError(_("The layer %(layer)s has no kinds to filter by.") % {"layer": self.layer.name}, code="no_kind")
            qs = qs.filter(**{f"{self.kind_lookup}__in": filters.kinds})
        if filters.statuses:
            if self.status_lookup is None:
                raise InputError(_("The layer %(layer)s has no statuses to filter by.") % {"layer": self.layer.name}, code="no_status")
            qs = qs.filter(**{f"{self.status_lookup}__in": filters.statuses})
        return qs

    def count(self, filters: Filters) -> int:
        return self.filtered(filters).count()

    def chunks(self, filters: Filters, *, geometry: str | None = None, pks: Iterable | None = None,
               chunk_rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
        """Stream the filtered rows; ``geometry`` "geojson" or "wkt" adds the full geometry as the last column."""
        qs = self.annotated(self.filtered(filters))
        if pks is not None:
            qs = qs.filter(pk__in=list(pks))
        names = [*self.columns, "ex_lon", "ex_lat"]
        if geometry == "geojson":
            # ST_AsGeoJSON(geom, 9, 0): RFC 7946 coordinates to 1e-9 degrees, no "crs" member
            qs = qs.annotate(ex_geometry=AsGeoJSON(self.layer.geometry_field, precision=9))
            names.append("ex_geometry")
        elif geometry == "wkt":
            qs = qs.annotate(ex_geometry=AsWKT(self.layer.geometry_field))
            names.append("ex_geometry")
        # The compiled SQL on a server-side cursor: every selected column is text, a number or NULL, so Django's
        # per-row converters would only cost time.
        sql, params = qs.order_by("pk").values_list(*names).query.sql_with_params()
        width = len(self.columns)
        with transaction.atomic(), connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(chunk_rows):
                coords = np.array([(r[width], r[width + 1]) for r in batch], dtype=np.float64).reshape(-1, 2)
                if geometry:
                    out = [(*r[:width], r[width + 2]) for r in batch]
                else:
                    out = [r[:width] for r in batch]
                del batch
                yield Chunk(out, coords[:, 0].copy(), coords[:, 1].copy())


class AreaNames:
    """code12 -> (code, name, full name) of every admin area, read once per export for addresses."""

    def __init__(self):
        rows = AdminArea.objects.values_list("id", "code", "code12", "name", "parent_id")
        by_id = {r[0]: r for r in rows}
        self._by_code12: dict[str, tuple[str, str, str]] = {}
        self._chain: dict[str, tuple[str, ...]] = {}
        for row in by_id.values():
            names, parent = [row[3]], row[4]
            while parent is not None and parent in by_id:
                names.append(by_id[parent][3])
                parent = by_id[parent][4]
            names.reverse()
            self._by_code12[row[2]] = (row[1], row[3], "".join(names))
            self._chain[row[2]] = tuple(names)

    def get(self, code12: str | None) -> tuple[str, str, str]:
        return self._by_code12.get(code12 or "", ("", "", ""))

    def full_name(self, code12: str | None) -> str:
        return self.get(code12)[2]

    def names_of(self, code12: str | None) -> tuple[str, ...]:
        """The names from the province down to the area itself."""
        return self._chain.get(code12 or "", ())

    def address(self, code12: str | None, text: str) -> str:
        """``text`` led by the area's names from the province down, unless it starts with one of them already."""
        if text and text.startswith(self._chain.get(code12 or "", ()) or ("\0",)):
            return text
        return self.full_name(code12) + text


SIMPLE_TYPES = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """A value as it goes into a file cell: text for what CSV and JSON cannot hold as they are."""
    if type(value) in SIMPLE_TYPES or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)

