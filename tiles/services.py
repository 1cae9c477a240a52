"""Rendering, caching and invalidating tiles; installing the invalidation triggers from the layer registry."""

from __future__ import annotations

import gzip
import hashlib
import logging
import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.utils.translation import gettext as _

from core.errors import disk_full
from core.sql import ident
from gis import layers as registry
from gis.errors import InputError
from tiles import sql
from tiles.sql import LayerView

if TYPE_CHECKING:
    from tiles.access import Layerset

log = logging.getLogger(__name__)


class Tile(NamedTuple):
    """A tile as it is sent: ``body`` is gzip when ``gzipped``; ``etag`` names the tile itself (either form).

    A named tuple, as ``Tag``: made on every cache hit, where a frozen dataclass's ``__init__`` costs more."""

    body: bytes
    gzipped: bool
    etag: str
    cached: bool  # served from the cache

    @property
    def empty(self) -> bool:
        return not self.body


def check_tile_address(z: int, x: int, y: int) -> None:
    if not 0 <= z <= sql.MAX_ZOOM:
        raise InputError(_("The zoom level z=%(z)s is outside 0–%(max)s.") % {"z": z, "max": sql.MAX_ZOOM}, code="invalid_tile", where={"z": z})
    size = 1 << z
    if not (0 <= x < size and 0 <= y < size):
        raise InputError(_("There is no tile %(z)s/%(x)s/%(y)s: at level %(z)s x and y run from 0 to %(max)s.")
                         % {"z": z, "x": x, "y": y, "max": size - 1}, code="invalid_tile",
                         where={"z": z, "x": x, "y": y})


def etag_of(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


_GENERIC_PLANS: weakref.WeakSet = weakref.WeakSet()  # connections already set to plan tile queries once


def _cursor(using: str = DEFAULT_DB_ALIAS) -> psycopg.Cursor:
    """A server-side-binding cursor on Django's own connection, so tile queries run as prepared statements.

    The session plans prepared statements once (``force_generic_plan``): a tile query's plan does not depend on
    z/x/y, and re-planning it for every tile (PostgreSQL's default when a custom plan looks cheaper) costs more
    than drawing most tiles. Django's own queries bind on the client and are never prepared, so the setting
    touches only ours.
    """
    connection = connections[using]
    connection.ensure_connection()
    raw = connection.connection
    if raw not in _GENERIC_PLANS and raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
        raw.execute("SET plan_cache_mode = force_generic_plan")
        _GENERIC_PLANS.add(raw)
    return psycopg.Cursor(raw)


def render(views: tuple[LayerView, ...], z: int, x: int, y: int, *, using: str = DEFAULT_DB_ALIAS) -> tuple[bytes, str]:
    """The tile's bytes and the snapshot it was drawn from."""
    connection = connections[using]
    with connection.wrap_database_errors, _cursor(using) as cursor:
        cursor.execute(sql.tile_sql(views), {"z": z, "x": x, "y": y}, prepare=True, binary=True)
        data, snapshot = cursor.fetchone()
    return bytes(data), snapshot


_CURSORS = threading.local()  # per thread and database: a cursor kept for reading kept tiles' bytes


def _lookup_cursor(connection) -> psycopg.Cursor:
    """A server-binding cursor on Django's own connection, kept between requests (Django binds on the client)."""
    raw = connection.connection
    cursor = getattr(_CURSORS, connection.alias, None)
    if cursor is None or cursor.connection is not raw or cursor.closed:
        cursor = psycopg.Cursor(raw)
        setattr(_CURSORS, connection.alias, cursor)
    return cursor


class _Bodies:
    """The bytes of tiles served lately, by (tag, gzip), kept in this process up to ``limit`` bytes (oldest out).

    The tag is a digest of the tile's content, so bytes found under a tag are that tile's bytes whatever happened
    since: which tag is current is decided apart (``cached``: an edit deletes the row, and the next lookup misses),
    and these bytes only spare fetching them again. That is most of a hit's cost for a large tile.
    """

    def __init__(self, limit: int | None = None):
        self._limit = limit  # None: TILES_MEMORY_BYTES, read when needed
        self.items: dict[tuple[str, bool], bytes] = {}
        self.size = 0
        self.lock = threading.Lock()

    @property
    def limit(self) -> int:
        return settings.TILES_MEMORY_BYTES if self._limit is None else self._limit

    def get(self, key: tuple[str, bool]) -> bytes | None:
        return self.items.get(key)

    def put(self, key: tuple[str, bool], body: bytes) -> None:
        limit = self.limit
        if len(body) > limit // 16:
            return  # a rare huge tile would push out dozens of common ones
        with self.lock:
            if key in self.items:
                return
            self.items[key] = body
            self.size += len(body)
            while self.size > limit:
                oldest = next(iter(self.items))
                self.size -= len(self.items.pop(oldest))

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


BODIES = _Bodies()


class Tag(NamedTuple):
    """The current tag of a kept tile, and whether the form the client takes is gzip."""

    etag: str
    gzipped: bool


_TAG_STATEMENT = b"diming_tile_tag"  # sql.CACHE_TAG's name as a prepared statement on each connection
_TAG_PREPARED: weakref.WeakSet = weakref.WeakSet()  # the raw connections that have prepared it
_NO_SUCH_STATEMENT = b"26000"  # invalid_sql_statement_name: deallocated since
# libpq's values, read once (an enum member costs an attribute lookup through its class on every hit)
_IDLE = int(psycopg.pq.TransactionStatus.IDLE)
_SQLSTATE = int(psycopg.pq.DiagnosticField.SQLSTATE)
_RESULT_OK = frozenset({int(psycopg.pq.ExecStatus.COMMAND_OK), int(psycopg.pq.ExecStatus.TUPLES_OK)})


def _current_tag(connection, gzip_ok: bool, layerset: str, variant: str, z: int, x: int, y: int) -> Tag | None:
    """The kept tile's current tag (sql.CACHE_TAG), asked through libpq itself on Django's connection.

    A cache hit is the hot path of a busy map and this lookup its only database work: psycopg's cursor (adapting
    each parameter, its own statement cache, result loaders) costs as much CPU as the round trip, so the statement
    is prepared once per connection and run with its parameters as text. libpq lets other threads run while it
    waits (the GIL is released), and an error comes back as psycopg's own exception, which Django's wrapper turns
    into its own as for any query.

    psycopg deallocates every prepared statement of a connection after a ROLLBACK or a DROP it runs; the lookup
    then prepares it again and asks once more. Inside a transaction, where a failed statement would abort it, and
    with prepared statements off (DATABASE_PREPARED_STATEMENTS), the statement is sent whole instead.
    """
    if connection.connection is None:
        connection.ensure_connection()
    raw = connection.connection
    pgconn = raw.pgconn
    params = [b"t" if gzip_ok else b"f", layerset.encode(), variant.encode(), b"%d" % z, b"%d" % x, b"%d" % y]
    if raw.prepare_threshold is None or pgconn.transaction_status != _IDLE:
        result = _checked(raw, pgconn.exec_params(sql.CACHE_TAG, params))
    else:
        result = pgconn.exec_prepared(_TAG_STATEMENT, params) if raw in _TAG_PREPARED else None
        if result is None or result.error_field(_SQLSTATE) == _NO_SUCH_STATEMENT:
            _checked(raw, pgconn.prepare(_TAG_STATEMENT, sql.CACHE_TAG))
            _TAG_PREPARED.add(raw)
            result = pgconn.exec_prepared(_TAG_STATEMENT, params)
        _checked(raw, result)
    if not result.ntuples:
        return None
    return Tag(result.get_value(0, 0).decode(), result.get_value(0, 1) == b"t")


def _checked(raw: psycopg.Connection, result):
    """``result`` of a libpq call on ``raw``, or the exception psycopg raises for its error: OperationalError for a
    lost connection (its result carries no SQLSTATE), the SQLSTATE's own class otherwise."""
    if result.status in _RESULT_OK:
        return result
    if raw.pgconn.status == psycopg.pq.ConnStatus.BAD:
        raise psycopg.OperationalError(result.get_error_message(encoding=raw.info.encoding) or "connection lost")
    raise psycopg.errors.error_from_result(result, encoding=raw.info.encoding)


def cached(layerset: str, variant: str, z: int, x: int, y: int, *, gzip_ok: bool = True, if_none_match: str = "",
           using: str = DEFAULT_DB_ALIAS) -> Tile | None:
    """The kept tile in the one form the client takes, or None.

    Every hit asks the database which tag is current (one indexed lookup, the tile's bytes not read), so a tile an
    edit has deleted is never served. The bytes come from this process's memory when it sent that very tag lately
    (``BODIES``), else from the database. A tag matching ``if_none_match`` (the client's If-None-Match) returns the
    tile without its bytes (``body`` empty), which is all a 304 needs.
    """
    connection = connections[using]
    with connection.wrap_database_errors:
        found = _current_tag(connection, gzip_ok, layerset, variant, z, x, y)
        if found is None:
            return None
        hit = _without_fetching(found, if_none_match)
        if hit is not None:
            return hit
        cursor = _lookup_cursor(connection)
        cursor.execute(sql.CACHE_BODY, (found.gzipped, layerset, variant, z, x, y, found.etag), prepare=True,
                       binary=True)
        row = cursor.fetchone()
        if row is None:
            return None  # replaced or deleted since the first look: draw it afresh
        body = bytes(row[0])
        BODIES.put((found.etag, found.gzipped), body)
    return Tile(body, found.gzipped, found.etag, cached=True)


def _without_fetching(found: Tag, if_none_match: str) -> Tile | None:
    """The tile of a known tag without reading its bytes from the database: none for a client that holds it (a
    304), this process's copy otherwise; None when the bytes must be fetched."""
    if if_none_match and etag_matches(if_none_match, found.etag):
        return Tile(b"", found.gzipped, found.etag, cached=True)
    body = BODIES.get((found.etag, found.gzipped))
    return None if body is None else Tile(body, found.gzipped, found.etag, cached=True)


def etag_matches(if_none_match: str, etag: str) -> bool:
    """``If-None-Match`` names this tile, in either form (the gzip body's tag ends in ``-gz``)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    for candidate in if_none_match.split(","):
        value = candidate.strip().removeprefix("W/").strip('"')
        if value.removesuffix("-gz") == etag:
            return True
    return False


@dataclass(frozen=True)
class Drawn:
    """A freshly drawn tile in both forms."""

    data: bytes
    data_gz: bytes | None  # None for an empty tile, or when nobody asked for gzip and nothing is kept
    etag: str

    def as_sent(self, gzip_ok: bool) -> Tile:
        if gzip_ok and self.data_gz is not None:
            return Tile(self.data_gz, True, self.etag, cached=False)
        return Tile(self.data, False, self.etag, cached=False)


def store(layerset: str, variant: str, z: int, x: int, y: int, drawn: Drawn, sources: list[str], snapshot: str,
          *, lookups: list[str] = (), using: str = DEFAULT_DB_ALIAS) -> bool:
    """Keeps the tile unless its tables (drawn from or joined) changed since ``snapshot``; True when kept."""
    connection = connections[using]
    params = {"layerset": layerset, "variant": variant, "z": z, "x": x, "y": y, "etag": drawn.etag,
              "data": drawn.data, "data_gz": drawn.data_gz, "sources": sources, "lookups": list(lookups),
              "snapshot": snapshot}
    with connection.wrap_database_errors, _cursor(using) as cursor:
        cursor.execute(sql.CACHE_PUT, params, prepare=True, binary=True)
        return cursor.rowcount == 1


def make_tile(data: bytes, *, compress: bool = True) -> Drawn:
    # Level 1: three times faster than the default 6 on a large tile, for 5% more bytes.
    data_gz = gzip.compress(data, compresslevel=1, mtime=0) if data and compress else None
    return Drawn(data, data_gz, etag_of(data))


_LOOKUPS: dict[tuple, list[str]] = {}


def _lookups(views: tuple[LayerView, ...]) -> list[str]:
    key = tuple(view.key for view in views)
    found = _LOOKUPS.get(key)
    if found is None:
        found = _LOOKUPS[key] = sql.lookups_of(views)
    return found


def cache_key(views: tuple[LayerView, ...]) -> str:
    """The layer set as kept in the cache: its layers by name (tiles.access.parse_layerset), so the
    same layers asked in another order are one tile, drawn and kept once; with the digest of its SQL, so a changed
    layer definition (properties, filter, generalisation, zooms) never serves tiles drawn under the old one."""
    return f"{','.join(view.layer.name for view in views)}@{sql.definition_digest(views)}"


def get_tile(layers: Layerset, z: int, x: int, y: int, *, use_cache: bool = True, gzip_ok: bool = True,
             if_none_match: str = "", using: str = DEFAULT_DB_ALIAS) -> Tile:
    """The tile of ``layers`` (tiles.access.resolve) from the cache, or drawn (and kept, unless ``use_cache`` is
    off); gzip when ``gzip_ok``. A cached tile whose tag matches ``if_none_match`` comes without its bytes."""
    check_tile_address(z, x, y)
    if use_cache:
        hit = cached(layers.key, layers.variant, z, x, y, gzip_ok=gzip_ok, if_none_match=if_none_match, using=using)
        if hit is not None:
            return hit
    data, snapshot = render(layers.views, z, x, y, using=using)
    drawn = make_tile(data, compress=use_cache or gzip_ok)
    if use_cache:
        try:
            store(layers.key, layers.variant, z, x, y, drawn, sql.sources_of(layers.views), snapshot,
                  lookups=_lookups(layers.views), using=using)
        except OperationalError as error:
            if not disk_full(error):
                raise
            # The database's disk is full: the tile is sent, only not kept (the writes' own pages say it in words).
    return drawn.as_sent(gzip_ok)


def clear_cache(*, using: str = DEFAULT_DB_ALIAS) -> int:
    with connections[using].cursor() as cursor:
        cursor.execute(sql.CACHE_CLEAR)
        return cursor.rowcount


@dataclass(frozen=True)
class Pruned:
    dropped: int
    dropped_bytes: int
    kept: int
    kept_bytes: int


def cache_size(*, using: str = DEFAULT_DB_ALIAS) -> tuple[int, int]:
    """(tiles, bytes) in the cache."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql.CACHE_SIZE)
        tiles, size = cursor.fetchone()
    return tiles, int(size)


def prune_cache(max_bytes: int, *, before=None, using: str = DEFAULT_DB_ALIAS) -> Pruned:
    """Drops the oldest tiles until the cache holds at most ``max_bytes``, and every tile kept before ``before``
    (a datetime, or None). Tiles are drawn again when next asked for, so this only trades disk for drawing time."""
    if max_bytes < 0:
        raise InputError(_("The cache limit cannot be negative."), code="bad_limit", where={"max_bytes": max_bytes})
    with connections[using].cursor() as cursor:
        cursor.execute(sql.CACHE_PRUNE, {"keep": max_bytes, "before": before})
        dropped, dropped_bytes = cursor.fetchone()
    kept, kept_bytes = cache_size(using=using)
    return Pruned(dropped, int(dropped_bytes), kept, kept_bytes)


# --- invalidation triggers ----------------------------------------------------------------------------------


def layer_tables() -> dict[str, str]:
    """{table: stored EPSG:3857 column} of every registered layer, and {table: ""} of the tables layers only join."""
    tables: dict[str, str] = {}
    joined: set[str] = set()
    for layer in registry.all_layers():
        model = layer.get_model()
        column = model._meta.get_field(layer.tile_geometry_field).column
        previous = tables.setdefault(model._meta.db_table, column)
        if previous != column:
            raise ValueError(f"table {model._meta.db_table} has two tile geometry columns: {previous}, {column}")
        joined |= sql.joined_tables(layer)
    for table in joined - set(tables):
        tables[table] = ""
    return tables


def watched_columns() -> dict[str, list[str]]:
    """{table: the columns that layers drawn from other tables read of it through joins}: an UPDATE of a lookup
    table that changes none of them (an area's outline, its population) leaves those layers' tiles alone."""
    watched: dict[str, set[str]] = {}
    for layer in registry.all_layers():
        own = layer.get_model()._meta.db_table
        for table, columns in sql.read_columns(layer).items():
            if table != own:
                watched.setdefault(table, set()).update(columns)
    return {table: sorted(columns) for table, columns in watched.items()}


def _primary_key(cursor, table: str) -> str:
    cursor.execute(sql.PRIMARY_KEY, [table])
    row = cursor.fetchone()
    return row[0] if row else ""


def install_triggers(*, using: str = DEFAULT_DB_ALIAS, verbosity: int = 1) -> dict[str, list[str]]:
    """Creates the cache functions and the triggers of every layer table; drops triggers no layer needs."""
    done: dict[str, list[str]] = {"installed": [], "removed": [], "missing": []}
    tables = layer_tables()
    watched = watched_columns()
    with connections[using].cursor() as cursor:
        cursor.execute(sql.FUNCTIONS)
        for table, column in sorted(tables.items()):
            cursor.execute(sql.TABLE_EXISTS, [table])
            if not cursor.fetchone()[0]:
                done["missing"].append(table)
                continue
            cursor.execute(sql.trigger_sql(table, column, _primary_key(cursor, table), watched.get(table, [])))
            done["installed"].append(f"{table}.{column or '(joined)'}")
        cursor.execute(sql.INSTALLED_TRIGGERS, [sql.TRIGGER_PREFIX])
        for table, trigger in cursor.fetchall():
            column = tables.get(table)
            if column is None or not trigger.startswith(f"{sql.trigger_base(column)}_"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {ident(trigger)} ON {ident(table)}")
                done["removed"].append(f"{table}.{trigger}")
    if verbosity and done["missing"]:
        log.warning("tile invalidation: tables not yet created: %s", ", ".join(done["missing"]))
    return done
