"""Every SQL text of the tiles app: tile queries, the tile cache and its invalidation triggers.

A layer's rows come from ``Layer.queryset()`` itself: the queryset is compiled once by Django's query compiler and
its parameters are inlined as SQL literals by the database driver (``connection.ops.compose_sql``), so the layer's
own rules (published rows, annotations, joins) are the one source of truth and the tile query of a layer set is a
fixed text whose only parameters are z, x and y. Simple subqueries in FROM are flattened by PostgreSQL, so the
``&&`` filter on the stored EPSG:3857 column reaches the layer table's GiST index. Identifiers are quoted by
``ident`` (core.sql); nothing from a request is ever spliced into SQL.

Generalisation is read from ``layer.extra["tiles"]`` (every key optional):

- ``simplify_px`` (lines, polygons; default 1.0): Douglas-Peucker tolerance in tile pixels (1/4096 of the tile)
  below ``detail_zoom``;
- ``points`` (points; default "thin"): below ``detail_zoom`` keep one point per ``cell_px`` screen pixel cell
  ("thin") or draw one point per cell carrying ``point_count`` ("cluster"), or None for every point;
- ``detail_zoom`` (default 16): the zoom from which features are drawn as stored;
- ``cell_px`` (default 4): the thinning/clustering cell in 256-pixel tile pixels;
- ``max_features`` (default 10000): the per-tile feature cap of the layer;
- ``overview_properties`` (default None: every property at every zoom) and ``properties_from_zoom`` (default 14):
  below ``properties_from_zoom`` a feature carries only its overview properties (what the style labels and
  colours it by); a city-wide road tile is then half the bytes and half the time.

An area of a labelled layer (a polygon) also comes as one point where it is labelled, with its properties and
``label_point`` true: ``ST_PointOnSurface`` of the whole stored area, drawn in the one tile that holds it. A map that
labelled the area's own polygon labelled it once per tile it crosses (a village's name three times on a phone).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q

from boundaries.models import in_prefixes
from core.sql import ident, literal
from gis.layers import Layer

EXTENT = 4096
BUFFER = 64
MARGIN = BUFFER / EXTENT
WORLD_M = 40075016.68557849  # width of the EPSG:3857 world square
MAX_ZOOM = 22
INTEGER_FIELDS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                  "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
                  "PositiveSmallIntegerField"}

# Internal column names of the compiled layer rows; properties keep their own names.
ID, GEOM, IN_REGION = "tiles:id", "tiles:geom", "tiles:in_region"
# The property of an area's label point (true; absent on every other feature).
LABEL_POINT = "label_point"


@dataclass(frozen=True)
class Generalisation:
    simplify_px: float = 1.0
    points: str | None = "thin"
    detail_zoom: int = 16
    cell_px: float = 4.0
    max_features: int = 10_000
    overview_properties: tuple[str, ...] | None = None
    properties_from_zoom: int = 14

    @classmethod
    def of(cls, layer: Layer) -> Generalisation:
        settings = dict(layer.extra.get("tiles", {}))
        unknown = set(settings) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"layer {layer.name!r}: unknown tiles settings {sorted(unknown)}")
        made = cls(**settings)
        if made.points not in (None, "thin", "cluster"):
            raise ValueError(f"layer {layer.name!r}: tiles points must be None, 'thin' or 'cluster'")
        missing = set(made.overview_properties or ()) - set(layer.properties)
        if missing:
            raise ValueError(f"layer {layer.name!r}: overview properties {sorted(missing)} are not public properties")
        return made


def is_point_layer(layer: Layer) -> bool:
    return layer.geometry_type.lower() in {"point", "multipoint"}


def has_label_points(layer: Layer) -> bool:
    """Whether the layer's areas come with label points: a labelled layer of polygons, or of mixed geometries."""
    kind = layer.geometry_type.lower()
    return bool(layer.label_field) and ("polygon" in kind or kind == "geometry")


@dataclass(frozen=True)
class LayerView:
    """A layer as one viewer sees it: which properties, which rows."""

    layer: Layer = field(compare=False)
    personal: bool = False  # include the layer's private properties
    row_prefixes: tuple[str, ...] | None = None  # only rows in these code12 prefixes (None: every row)
    private_prefixes: tuple[str, ...] | None = None  # private properties only for rows in these prefixes

    @property
    def key(self) -> tuple:
        return (self.layer.name, id(self.layer), self.personal, self.row_prefixes, self.private_prefixes)

    @property
    def properties(self) -> tuple[str, ...]:
        return self.layer.properties_for(personal=self.personal)


def region_q(layer: Layer, prefixes: tuple[str, ...]) -> Q:
    """Rows in any of ``prefixes`` by any of the layer's region paths (a row of two areas is in both regions)."""
    return in_prefixes(prefixes, *([f"{path}__code12" for path in layer.region_paths] or ["code12"]))


def id_is_integer(layer: Layer) -> bool:
    model = layer.get_model()
    field_ = model._meta.pk if layer.id_field == "pk" else model._meta.get_field(layer.id_field)
    return field_.get_internal_type() in INTEGER_FIELDS


def layer_rows(view: LayerView) -> tuple[str, list[str]]:
    """The layer's published rows as one SQL text (no parameters) and the names of its columns."""
    layer = view.layer
    qs = layer.queryset().order_by()
    if view.row_prefixes is not None and layer.region_path is not None:
        qs = qs.filter(region_q(layer, view.row_prefixes))
    columns = [layer.id_field, layer.tile_geometry_field, *view.properties]
    names = [ID, GEOM, *view.properties]
    if view.personal and view.private_prefixes is not None and layer.region_path is not None:
        qs = qs.annotate(tiles_in_region=ExpressionWrapper(region_q(layer, view.private_prefixes),
                                                           output_field=BooleanField()))
        columns.append("tiles_in_region")
        names.append(IN_REGION)
    sql, params = qs.values_list(*columns).query.sql_with_params()
    text = connection.ops.compose_sql(sql, params) if params else sql
    return text.replace("%", "%%"), names


def _envelope(margin: bool = False) -> str:
    extra = f", margin => {MARGIN!r}" if margin else ""
    return f"ST_TileEnvelope(%(z)s::int, %(x)s::int, %(y)s::int{extra})"


def _property_columns(view: LayerView) -> list[tuple[str, str]]:
    """(SQL expression, output name) of each property drawn into the tile."""
    layer = view.layer
    gen = Generalisation.of(layer)
    overview = set(gen.overview_properties) if gen.overview_properties is not None else None
    out = []
    private = set(layer.private_properties) if view.personal else set()
    region_limited = view.personal and view.private_prefixes is not None and layer.region_path is not None
    for name in view.properties:
        if name in private and region_limited:
            expr = f"CASE WHEN f.{ident(IN_REGION)} THEN f.{ident(name)} END"
        else:
            expr = f"f.{ident(name)}"
        if overview is not None and name not in overview:
            expr = f"CASE WHEN %(z)s::int >= {int(gen.properties_from_zoom)} THEN {expr} END"  # NULL: left out
        out.append((expr, name))
    if not id_is_integer(layer) and "id" not in view.properties and layer.id_field not in view.properties:
        out.append((f"f.{ident(ID)}::text", "id"))  # a public id that is not an integer cannot be the MVT id
    return out


Z = "%(z)s::int"
G = f"f.{ident(GEOM)}"
PIXEL_M = f"({WORLD_M!r} / ({EXTENT}.0 * power(2, {Z})))"  # one tile unit at zoom z, in metres


def _mvt_geom(expr: str) -> str:
    return f"ST_AsMVTGeom({expr}, {_envelope()}, {EXTENT}, {BUFFER}, true)"


@dataclass(frozen=True)
class _Rows:
    """What every branch of a layer's SELECT shares: the layer's rows in the tile and what is drawn of them."""

    source: str
    fid: str
    properties: list[tuple[str, str]]
    points: bool
    label_points: bool

    def select(self, geom: str, *, where: str = "", distinct: str = "", tail: str = "",
               label_point: bool = False) -> str:
        columns = [f"{_mvt_geom(geom)} AS geom", f"{self.fid} AS fid",
                   *(f"{expr} AS {ident(name)}" for expr, name in self.properties)]
        if self.points:
            columns.append("NULL::int AS point_count")
        if self.label_points:  # NULL: left out of the tile
            columns.append(f"{'true' if label_point else 'NULL::boolean'} AS {ident(LABEL_POINT)}")
        return (f"SELECT {distinct}{', '.join(columns)} FROM {self.source} "
                f"WHERE {G} && {_envelope(margin=True)}{where}{tail}")

    def clusters(self, cells: str, where: str) -> str:
        columns = [f"{_mvt_geom(f'ST_Centroid(ST_Collect({G}))')} AS geom", "NULL::bigint AS fid",
                   *(f"NULL AS {ident(name)}" for _expr, name in self.properties), "count(*)::int AS point_count"]
        return (f"SELECT {', '.join(columns)} FROM {self.source} WHERE {G} && {_envelope(margin=True)}{where} "
                f"GROUP BY {cells}")


def _rows(view: LayerView) -> _Rows:
    rows, names = layer_rows(view)
    return _Rows(source=f"({rows}) AS f({', '.join(ident(n) for n in names)})",
                 fid=f"f.{ident(ID)}::bigint" if id_is_integer(view.layer) else "NULL::bigint",
                 properties=_property_columns(view), points=is_point_layer(view.layer),
                 label_points=has_label_points(view.layer))


def _lines_and_polygons(rows: _Rows, gen: Generalisation) -> str:
    shapes = rows.select(G) if not gen.simplify_px else rows.select(
        f"CASE WHEN {Z} < {gen.detail_zoom} THEN ST_Simplify({G}, {gen.simplify_px!r} * {PIXEL_M}, true) ELSE {G} END")
    if not rows.label_points:
        return shapes
    labels = rows.select(f"ST_PointOnSurface({G})", where=f" AND ST_Dimension({G}) = 2", label_point=True)
    return f"{shapes} UNION ALL {labels}"


def _points(rows: _Rows, gen: Generalisation) -> str:
    if gen.points is None:
        return rows.select(G)
    cell = f"({gen.cell_px!r} * {WORLD_M!r} / (256.0 * power(2, {Z})))"
    cells = f"floor(ST_XMin({G}) / {cell}), floor(ST_YMin({G}) / {cell})"
    detailed = rows.select(G, where=f" AND {Z} >= {gen.detail_zoom}")
    coarse = f" AND {Z} < {gen.detail_zoom}"
    if gen.points == "cluster":  # one point per cell, at the centroid of its points, carrying their number
        return f"{detailed} UNION ALL {rows.clusters(cells, coarse)}"
    thinned = rows.select(G, where=coarse, distinct=f"DISTINCT ON ({cells}) ", tail=f" ORDER BY {cells}")
    return f"{detailed} UNION ALL SELECT * FROM ({thinned}) thinned"  # one point per cell, with its properties


def layer_part(view: LayerView) -> str:
    """The SQL expression (bytea) of one layer of a tile: its MVT layer, or '' outside its zoom range."""
    layer = view.layer
    gen = Generalisation.of(layer)
    rows = _rows(view)
    select = _points(rows, gen) if rows.points else _lines_and_polygons(rows, gen)
    in_range = f"{Z} BETWEEN {int(layer.minzoom)} AND {int(layer.maxzoom)}"
    return (f"(SELECT coalesce(ST_AsMVT(q, {literal(layer.name)}, {EXTENT}, 'geom', 'fid'), ''::bytea) FROM "
            f"(SELECT * FROM ({select}) s WHERE {in_range} LIMIT {int(gen.max_features)}) q "
            f"WHERE q.geom IS NOT NULL)")


# key -> (SQL text, the layers it was built from). The keys hold id(layer); keeping the layers referenced here
# means no other Layer can be given the same id while its entry exists.
_TILE_SQL: dict[tuple, tuple[str, tuple[Layer, ...]]] = {}


def tile_sql(views: tuple[LayerView, ...]) -> str:
    """The fixed SQL text of a tile of ``views`` (parameters: z, x, y), built once per layer set and viewer kind."""
    keys = tuple(view.key for view in views)
    entry = _TILE_SQL.get(keys)
    if entry is None:
        parts = " || ".join(layer_part(view) for view in views)
        entry = _TILE_SQL[keys] = (f"SELECT {parts} AS tile, pg_current_snapshot()::text AS snapshot",
                                   tuple(view.layer for view in views))
    return entry[0]


_DIGESTS: dict[str, str] = {}


def definition_digest(views: tuple[LayerView, ...]) -> str:
    """A short digest of the tile SQL: part of the cache key, so a changed layer definition (properties, filter,
    generalisation, zooms) never serves tiles drawn under the old one."""
    text = tile_sql(views)
    digest = _DIGESTS.get(text)
    if digest is None:
        digest = _DIGESTS[text] = hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
    return digest


def sources_of(views) -> list[str]:
    return sorted({view.layer.get_model()._meta.db_table for view in views})


_COLUMN = re.compile(r'(?:"([^"]+)"|\b(T\d+))\."([^"]+)"')


def read_columns(layer: Layer) -> dict[str, set[str]]:
    """{table: the columns of it a layer's rows read}, its own table included: from the SQL Django compiles for the
    layer with every property, public and private, and a region filter, resolved through the query's aliases (a
    road's kind code, its area's code and code12, the join keys)."""
    qs = layer.queryset().order_by()
    if layer.region_path is not None:
        qs = qs.filter(region_q(layer, ("0",)))  # any prefix: only the columns a region filter reads matter
    qs = qs.values_list(layer.id_field, layer.tile_geometry_field, *layer.properties, *layer.private_properties)
    text, _params = qs.query.sql_with_params()
    tables = {alias: join.table_name for alias, join in qs.query.alias_map.items()}
    read: dict[str, set[str]] = {table: set() for table in tables.values()}
    for quoted, numbered, column in _COLUMN.findall(text):
        table = tables.get(quoted or numbered)
        if table is not None:
            read[table].add(column)
    return read


def joined_tables(layer: Layer) -> set[str]:
    """Every table a layer's rows read, its own included."""
    return set(read_columns(layer))


def lookups_of(views) -> list[str]:
    """The tables the tile's layers join but are not drawn from."""
    sources = set(sources_of(views))
    return sorted({table for view in views for table in joined_tables(view.layer)} - sources)


# --- the tile cache -----------------------------------------------------------------------------------------

# The tag of a kept tile, and whether the form the client takes is gzip (parameters: gz, layerset, variant, z, x, y).
# Only the tag: a client that holds the tile gets a 304, and a process that sent the tile lately has its bytes.
# Run by libpq itself (tiles.services._current_tag), hence the numbered parameters.
CACHE_TAG = b"""
SELECT etag, $1 AND data_gz IS NOT NULL
FROM tiles_tilecache
WHERE layerset = $2 AND variant = $3 AND z = $4 AND x = $5 AND y = $6
"""

# The bytes of that very tile (parameters: gzipped, layerset, variant, z, x, y, etag); no row when it was replaced or
# deleted since its tag was read.
CACHE_BODY = """
SELECT CASE WHEN %s THEN data_gz ELSE data END
FROM tiles_tilecache
WHERE layerset = %s AND variant = %s AND z = %s AND x = %s AND y = %s AND etag = %s
"""

# Stores a rendered tile unless the tables it was drawn from changed since its snapshot or are being changed now
# (tiles_may_cache); otherwise the tile is served but not kept, and the next request renders it again.
CACHE_PUT = f"""
INSERT INTO tiles_tilecache (layerset, variant, z, x, y, etag, data, data_gz, envelope, sources, lookups)
SELECT %(layerset)s, %(variant)s, %(z)s, %(x)s, %(y)s, %(etag)s, %(data)s, %(data_gz)s,
       {_envelope(margin=True)}, %(sources)s::varchar[], %(lookups)s::varchar[]
WHERE tiles_may_cache(%(sources)s::text[] || %(lookups)s::text[], %(snapshot)s::pg_snapshot)
ON CONFLICT (layerset, variant, z, x, y) DO UPDATE
  SET etag = EXCLUDED.etag, data = EXCLUDED.data, data_gz = EXCLUDED.data_gz, lookups = EXCLUDED.lookups,
      created = now()
"""

# The invalidation functions (tiles_may_cache, tiles_invalidate): static PL/pgSQL, applied by install_triggers.
FUNCTIONS = (Path(__file__).parent / "invalidation.sql").read_text(encoding="utf-8")

TRIGGER_PREFIX = "tiles_invalidate"


def trigger_base(column: str) -> str:
    """The name shared by a table's triggers: after its geometry column, or ``lookup`` on a joined-only table."""
    return f"{TRIGGER_PREFIX}_{column or 'lookup'}"


def trigger_sql(table: str, column: str, pk: str = "", watched: list[str] = ()) -> str:
    """(Re)creates the invalidation triggers of one table (statement-level, with transition tables); ``column`` is
    the stored EPSG:3857 column of a layer table, or '' for a table that layers only join; ``watched`` the columns
    that layers drawn from other tables read of it (``pk``: its primary key, to pair old and new rows)."""
    t = ident(table)
    c = f"{literal(column)}, {literal(pk)}, {literal(','.join(watched))}"
    name = trigger_base(column)
    return f"""
DROP TRIGGER IF EXISTS {ident(name + '_ins')} ON {t};
DROP TRIGGER IF EXISTS {ident(name + '_upd')} ON {t};
DROP TRIGGER IF EXISTS {ident(name + '_del')} ON {t};
DROP TRIGGER IF EXISTS {ident(name + '_trunc')} ON {t};
CREATE TRIGGER {ident(name + '_ins')} AFTER INSERT ON {t} REFERENCING NEW TABLE AS tiles_new
  FOR EACH STATEMENT EXECUTE FUNCTION tiles_invalidate({c});
CREATE TRIGGER {ident(name + '_upd')} AFTER UPDATE ON {t} REFERENCING OLD TABLE AS tiles_old NEW TABLE AS tiles_new
  FOR EACH STATEMENT EXECUTE FUNCTION tiles_invalidate({c});
CREATE TRIGGER {ident(name + '_del')} AFTER DELETE ON {t} REFERENCING OLD TABLE AS tiles_old
  FOR EACH STATEMENT EXECUTE FUNCTION tiles_invalidate({c});
CREATE TRIGGER {ident(name + '_trunc')} AFTER TRUNCATE ON {t}
  FOR EACH STATEMENT EXECUTE FUNCTION tiles_invalidate({c});
"""


INSTALLED_TRIGGERS = """
SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE NOT t.tgisinternal AND starts_with(t.tgname, %s)
"""

TABLE_EXISTS = "SELECT to_regclass(%s) IS NOT NULL"

PRIMARY_KEY = """
SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
WHERE i.indrelid = to_regclass(%s) AND i.indisprimary AND i.indnatts = 1
"""

CACHE_CLEAR = "DELETE FROM tiles_tilecache"

# The cache's tiles and bytes (both forms; octet_length reads a kept body's size without fetching it).
TILE_BYTES = "octet_length(data) + coalesce(octet_length(data_gz), 0)"
CACHE_SIZE = f"SELECT count(*), coalesce(sum({TILE_BYTES}), 0) FROM tiles_tilecache"

# Keeps the newest tiles up to %(keep)s bytes and drops the rest, and every tile kept before %(before)s (NULL: no
# age limit): the count and bytes of what went. A dropped tile is drawn again on its next request.
CACHE_PRUNE = f"""
WITH ranked AS (
  SELECT id, created, {TILE_BYTES} AS bytes,
         sum({TILE_BYTES}) OVER (ORDER BY created DESC, id DESC) AS running
  FROM tiles_tilecache
), gone AS (
  DELETE FROM tiles_tilecache AS t USING ranked AS r
  WHERE t.id = r.id AND (r.running > %(keep)s OR r.created < %(before)s)
  RETURNING r.bytes
)
SELECT count(*), coalesce(sum(bytes), 0) FROM gone
"""
