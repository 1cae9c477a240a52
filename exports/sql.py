"""Every raw SQL statement of the exports: change capture triggers and the feed's state queries.

Capture. Exported records change through ORM saves, bulk COPY loads and raw SQL, so PostgreSQL itself records
them. For each layer of the registry we generate ``exports_capture__<layer>(pks text[])``: it computes the layer's
exported state of those records with the very SQL the ORM builds for ``Layer.queryset()`` (published rows, public
properties, joins included), compares it with each record's last committed version and writes a version where
they differ: I when the record enters the export, U when its exported state changed, D when it leaves (deleted,
retired, no longer approved). Statement-level triggers with transition tables call it once per statement on the
layer's table, and on every table the layer's query joins (a road renamed changes its doorplates' road name), so a
COPY of a million rows is one set-based capture, not a million calls.

State. The state of a record at txid T is its latest version in a transaction numbered <= T; it is visible to a
consumer when that version is not D and matches the consumer's filters (areas, kinds). Filters are applied to
states, not to changes, so a record that moves out of a consumer's region arrives as a delete and one that moves
in as an insert.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.db.models.functions import JSONObject
from django.db.models.sql.datastructures import Join
from django.utils import timezone
from django.utils.translation import gettext as _

from core.sql import ident, literal
from exports.sources import Filters, Source
from gis.db.functions import LabelPoint
from gis.errors import Gone, InputError
from gis.layers import exportable_layers

log = logging.getLogger(__name__)

TRIGGER_PREFIX = "exports_changed"
FUNCTION_PREFIXES = ("exports_capture__", "exports_changed__")


def short_name(prefix: str, *parts: str) -> str:
    """An identifier under PostgreSQL's 63-byte limit, readable when it fits."""
    name = "__".join((prefix, *parts))
    if len(name.encode()) <= 63:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:10]
    return f"{name.encode()[:50].decode(errors='ignore')}_{digest}"


# -- the state query of a layer ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class StateQuery:
    sql: str  # SELECT ex_pk, ex_pkn, ex_fid, ex_area, ex_kind, ex_props, ex_geom, ex_label FROM ...
    pk_type: str  # the SQL type of the primary key (uuid, bigint ...)
    table: str
    pk_column: str
    base_alias: str
    # (table, its column, SQL of that column over the layer's FROM; None when the column holds the layer's pk)
    dependencies: tuple[tuple[str, str, str | None], ...]
    from_sql: str


def state_query(source: Source) -> StateQuery:
    layer = source.layer
    model = source.model
    qs = source.annotated(source.published()).order_by()
    values = {
        "ex_pkn": F("pk"),
        "ex_props": JSONObject(**{name: F(name) for name in source.properties}),
        "ex_geom": F(layer.geometry_field),
        "ex_label": F(layer.geometry_field) if layer.geometry_type == "Point" else LabelPoint(layer.geometry_field),
    }
    qs = qs.values("ex_pk", "ex_fid", "ex_area", "ex_kind", **values)
    query = qs.query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    sql = connection.ops.compose_sql(sql, params)
    from_parts, from_params = compiler.get_from_clause()
    from_sql = connection.ops.compose_sql(" ".join(from_parts), from_params)
    base_alias = query.get_initial_alias()
    pk = model._meta.pk
    dependencies = []
    for alias, join in query.alias_map.items():
        if not isinstance(join, Join) or not query.alias_refcount.get(alias):
            continue
        for _lhs, rhs in join.join_cols:
            dependencies.append((join.table_name, rhs, f"{ident(alias)}.{ident(rhs)}"))
    # Tables the layer reads through a subquery, declared as (table, column holding the layer's pk).
    for table, column in source.options.get("depends_on", ()):
        dependencies.append((table, column, None))
    return StateQuery(sql=sql, pk_type=pk.db_type(connection), table=model._meta.db_table, pk_column=pk.column,
                      base_alias=base_alias, dependencies=tuple(dependencies), from_sql=from_sql)


def capture_function_sql(source: Source, state: StateQuery) -> str:
    name = short_name("exports_capture", source.layer.name)
    layer = literal(source.layer.name)
    # Each call is planned for its own keys (plan_cache_mode): from its sixth call in a session PL/pgSQL would
    # otherwise run a generic plan, made for an array of ten keys and for the statistics of the tables before the
    # transaction. In a bulk load both are wrong (20,000 keys a statement; a register that grows by hundreds of
    # thousands of rows within the transaction, its statistics still saying empty): the generic plan compared every
    # place with every key, a statement taking over a minute from 100,000 rows on and growing with each. No JIT:
    # its compilation costs more than it saves on statements that look keys up.
    return f"""
CREATE OR REPLACE FUNCTION {ident(name)}(pks text[]) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan SET jit = off AS $capture$
DECLARE
  b bigint;
  written bigint;
BEGIN
  IF pks IS NULL OR cardinality(pks) = 0 THEN
    RETURN;
  END IF;
  b := exports_batch();
  -- Versions this transaction wrote already for these records give way to the one below. Each key is looked up
  -- in the (batch, layer, record_pk) index whatever the statistics say (as "record_pk = ANY(pks)" a plan could
  -- scan every version of the batch, which a bulk load grows by the key count each statement).
  DELETE FROM exports_featureversion WHERE id = ANY(ARRAY(
    SELECT w.id FROM (SELECT DISTINCT unnest(pks) AS pk) c
    CROSS JOIN LATERAL (SELECT v.id FROM exports_featureversion v
                        WHERE v.batch = b AND v.layer = {layer} AND v.record_pk = c.pk OFFSET 0) w));
  INSERT INTO exports_featureversion (batch, layer, record_pk, fid, op, area_code12, kind, properties, geom, label)
  SELECT b, {layer}, c.pk, coalesce(s.ex_fid, before.fid),
         CASE WHEN s.ex_pk IS NULL THEN 'D' WHEN before.op IS NULL OR before.op = 'D' THEN 'I' ELSE 'U' END,
         s.ex_area, s.ex_kind, s.ex_props, s.ex_geom, s.ex_label
  FROM (SELECT DISTINCT unnest(pks) AS pk) c
  LEFT JOIN (SELECT * FROM ({state.sql}) s0 WHERE s0.ex_pkn = ANY(pks::{state.pk_type}[])) s ON s.ex_pk = c.pk
  LEFT JOIN LATERAL (
    SELECT v.op, v.fid, v.area_code12, v.kind, v.properties, v.geom
    FROM exports_featureversion v JOIN exports_feedtransaction t ON t.batch = v.batch
    WHERE v.layer = {layer} AND v.record_pk = c.pk
    ORDER BY t.txid DESC LIMIT 1
  ) before ON true
  WHERE CASE WHEN s.ex_pk IS NULL THEN coalesce(before.op, 'D') <> 'D'
        ELSE before.op IS NULL OR before.op = 'D'
             OR s.ex_fid IS DISTINCT FROM before.fid OR s.ex_area IS DISTINCT FROM before.area_code12
             OR s.ex_kind IS DISTINCT FROM before.kind OR s.ex_props IS DISTINCT FROM before.properties
             OR ST_AsEWKB(s.ex_geom) IS DISTINCT FROM ST_AsEWKB(before.geom) END;
  GET DIAGNOSTICS written = ROW_COUNT;
  IF written > 0 THEN
    PERFORM exports_register_batch(b);  -- after the versions: an IMMEDIATE stamp must find them
  END IF;
END $capture$;
"""


def _keys_sql(source: Source, state: StateQuery, table: str, column: str, key: str | None, rows: str) -> str:
    """SQL selecting the layer's record keys touched by the rows of ``table`` in transition table ``rows``."""
    if table == state.table and column == state.pk_column:
        return f"SELECT r.{ident(column)}::text FROM {rows} r"
    if key is None:  # a declared dependency: the column holds the layer's pk
        return f"SELECT r.{ident(column)}::text FROM {rows} r"
    return (f"SELECT {ident(state.base_alias)}.{ident(state.pk_column)}::text FROM {state.from_sql} "
            f"WHERE {key} IN (SELECT r.{ident(column)} FROM {rows} r)")


EVENTS = {"ins": ("INSERT", "REFERENCING NEW TABLE AS exports_new", ("exports_new",)),
          "upd": ("UPDATE", "REFERENCING OLD TABLE AS exports_old NEW TABLE AS exports_new",
                  ("exports_old", "exports_new")),
          "del": ("DELETE", "REFERENCING OLD TABLE AS exports_old", ("exports_old",))}


def trigger_sql(table: str, watchers: list[tuple[Source, StateQuery, str, str | None]]) -> list[str]:
    """Functions and triggers on ``table`` calling each watching layer's capture with the keys it touches.

    A TRUNCATE of a layer's own table re-captures every record the feed holds as present: they all become D."""
    statements = []
    for event, (verb, referencing, rows_tables) in EVENTS.items():
        calls = []
        for source, state, column, key in watchers:
            parts = [_keys_sql(source, state, table, column, key, rows) for rows in rows_tables]
            calls.append(f"  PERFORM {_capture_name(source)}(ARRAY({' UNION '.join(parts)}));")
        statements += _trigger(table, event, f"AFTER {verb} ON {ident(table)} {referencing}", calls)
    truncated = [f"  PERFORM {_capture_name(source)}(ARRAY(SELECT DISTINCT record_pk FROM exports_featureversion "
                 f"WHERE layer = {literal(source.layer.name)}));"
                 for source, state, column, _key in watchers if column == state.pk_column and table == state.table]
    if truncated:
        statements += _trigger(table, "trunc", f"AFTER TRUNCATE ON {ident(table)}", truncated)
    return statements


def _capture_name(source: Source) -> str:
    return ident(short_name("exports_capture", source.layer.name))


def _trigger(table: str, event: str, when: str, calls: list[str]) -> list[str]:
    function = short_name("exports_changed", table, event)
    body = "\n".join(calls)
    return [f"""
CREATE OR REPLACE FUNCTION {ident(function)}() RETURNS trigger LANGUAGE plpgsql AS $changed$
BEGIN
{body}
  RETURN NULL;
END $changed$;""", f"CREATE TRIGGER {ident(TRIGGER_PREFIX + '_' + event)} {when} FOR EACH STATEMENT "
                   f"EXECUTE FUNCTION {ident(function)}();"]


def existing_tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def uninstall_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("""SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                          WHERE NOT t.tgisinternal AND t.tgname LIKE %(triggers)s""", {"triggers": TRIGGER_PREFIX + "%"})
        triggers = cursor.fetchall()
        cursor.execute("""SELECT p.oid::regprocedure::text FROM pg_proc p
                          JOIN pg_namespace n ON n.oid = p.pronamespace
                          WHERE n.nspname = current_schema() AND (p.proname LIKE ANY(%(functions)s))""",
                       {"functions": [prefix + "%" for prefix in FUNCTION_PREFIXES]})
        functions = [row[0] for row in cursor.fetchall()]
    return ([f"DROP TRIGGER IF EXISTS {ident(name)} ON {ident(table)};" for table, name in triggers]
            + [f"DROP FUNCTION IF EXISTS {signature};" for signature in functions])


class CaptureFailed(ImproperlyConfigured):
    """A layer's change capture could not be built or installed: the feed would have a silent hole."""


def install_capture(sources: list[Source] | None = None) -> dict[str, list[str]]:
    """(Re)creates every capture function and trigger; returns {table: [layers watching it]}.

    A layer whose tables are missing (its app not migrated yet) waits for them; a layer whose capture cannot be
    built or installed is an error (CaptureFailed, naming it), never a hole in the feed.
    """
    sources = sources if sources is not None else [Source(layer) for layer in exportable_layers()]
    tables = existing_tables()
    statements, watchers, failed = [], {}, []
    for source in sources:
        try:
            state = state_query(source)
        except Exception as exc:
            failed.append(f"{source.layer.name}: {exc}")
            continue
        needed = {state.table, *(table for table, _c, _k in state.dependencies)}
        if not needed <= tables:
            log.info("exports: layer %s waits for tables %s", source.layer.name, sorted(needed - tables))
            continue
        statements.append(capture_function_sql(source, state))
        watchers.setdefault(state.table, []).append((source, state, state.pk_column, None))
        for table, column, key in state.dependencies:
            if (table, column) != (state.table, state.pk_column):
                watchers.setdefault(table, []).append((source, state, column, key))
    if failed:
        raise CaptureFailed("change capture cannot be built for " + "; ".join(failed))
    for table, watching in sorted(watchers.items()):
        statements.extend(trigger_sql(table, watching))
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in uninstall_statements():
                cursor.execute(statement)
            for statement in statements:
                cursor.execute(statement)
    except DatabaseError as exc:
        raise CaptureFailed(f"change capture could not be installed: {exc}") from exc
    return {table: sorted({s.layer.name for s, *_rest in watching}) for table, watching in watchers.items()}


CAPTURE_FUNCTIONS = "SELECT proname FROM pg_proc WHERE proname LIKE %(prefix)s"


def missing_capture(sources: list[Source] | None = None) -> list[str]:
    """The layers whose tables all exist but whose capture function is not in the database."""
    sources = sources if sources is not None else [Source(layer) for layer in exportable_layers()]
    tables = existing_tables()
    with connection.cursor() as cursor:
        cursor.execute(CAPTURE_FUNCTIONS, {"prefix": FUNCTION_PREFIXES[0] + "%"})
        installed = {row[0] for row in cursor.fetchall()}
    missing = []
    for source in sources:
        state = state_query(source)
        needed = {state.table, *(table for table, _c, _k in state.dependencies)}
        if needed <= tables and short_name("exports_capture", source.layer.name) not in installed:
            missing.append(source.layer.name)
    return missing


def uninstall_capture() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in uninstall_statements():
            cursor.execute(statement)


def stamp() -> int | None:
    """Closes the current batch: what was captured so far gets its txid now (a feed commit point)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT exports_stamp()")
        return cursor.fetchone()[0]


def capture_all(source: Source) -> None:
    """Captures every record of a layer now (after installing capture on existing data, or a TRUNCATE)."""
    state = state_query(source)
    capture = _capture_name(source)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {capture}(ARRAY(SELECT {ident(state.pk_column)}::text FROM {ident(state.table)} "
                       f"UNION SELECT record_pk FROM exports_featureversion WHERE layer = %(layer)s))",
                       {"layer": source.layer.name})


def seed_missing(sources: list[Source] | None = None) -> list[str]:
    """Captures the layers that have rows but no versions yet (capture installed on existing data)."""
    sources = sources if sources is not None else [Source(layer) for layer in exportable_layers()]
    seeded = []
    for source in sources:
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM exports_featureversion WHERE layer = %(layer)s)",
                           {"layer": source.layer.name})
            if cursor.fetchone()[0]:
                continue
        if source.published().exists():
            capture_all(source)
            seeded.append(source.layer.name)
    return seeded


# -- reading the feed -------------------------------------------------------------------------------------------
# Compaction up to a horizon H: of each record's versions in transactions <= H only the latest stays (its state at
# H), and not even that when it is a delete (a missing state reads as "not there", the same). Transaction H itself
# keeps its versions and what they changed from (the version before each), because events are read from H on,
# transaction H included. Transactions left without versions go too. Versions of transactions not yet stamped (still
# open) are not touched.
PRUNE_VERSIONS = """
DELETE FROM exports_featureversion v USING (
  SELECT v.id, v.op, t.txid, row_number() OVER w AS n, first_value(t.txid) OVER w AS newest
  FROM exports_featureversion v JOIN exports_feedtransaction t ON t.batch = v.batch
  WHERE t.txid <= %(horizon)s
  WINDOW w AS (PARTITION BY v.layer, v.record_pk ORDER BY t.txid DESC)
) old
WHERE v.id = old.id AND old.txid < %(horizon)s
  AND (old.n > 2 OR old.op = 'D' OR (old.n = 2 AND old.newest < %(horizon)s))
"""
PRUNE_TRANSACTIONS = """
DELETE FROM exports_feedtransaction t
WHERE t.txid < %(horizon)s
  AND NOT EXISTS (SELECT 1 FROM exports_featureversion v WHERE v.batch = t.batch)
"""
HORIZON_BEFORE = "SELECT coalesce(max(txid), 0) FROM exports_feedtransaction WHERE committed_at < %(before)s"


@dataclass(frozen=True)
class Pruned:
    horizon: int
    versions: int
    transactions: int


def feed_horizon() -> int:
    """The oldest transaction number the feed still answers for (0: everything is kept)."""
    from exports.models import FeedHorizon

    return FeedHorizon.objects.filter(pk=1).values_list("txid", flat=True).first() or 0


def check_horizon(txid: int, name: str) -> None:
    horizon = feed_horizon()
    if txid < horizon:
        raise Gone(_("%(name)s=%(txid)s is before the start of the kept change feed, %(horizon)s: take a full snapshot at %(horizon)s or later first, then the changes from there.") % {"name": name, "txid": txid, "horizon": horizon},
                   code="feed_pruned", where={name: txid, "horizon": horizon})


def check_reached(txid: int, name: str, latest: int, *, ahead: int = 0) -> None:
    """Refuses a position after the latest transaction (``ahead`` more for a reader's next position, which may be
    one past it): reading from there would skip the changes still to come, and its empty answer would read as
    "nothing changed"."""
    if txid > latest + ahead:
        raise InputError(_("%(name)s=%(value)s is after the latest transaction %(latest)s: a position not yet reached cannot be read.") % {"name": name, "value": txid, "latest": latest}, code="future_position",
                         where={name: txid, "latest": latest})


@transaction.atomic
def prune_feed(before) -> Pruned:
    """Compacts the history of transactions committed before ``before`` (a datetime)."""
    from exports.models import FeedHorizon

    with connection.cursor() as cursor:
        cursor.execute(HORIZON_BEFORE, {"before": before})
        horizon = cursor.fetchone()[0]
        if horizon <= feed_horizon():
            return Pruned(feed_horizon(), 0, 0)
        cursor.execute(PRUNE_VERSIONS, {"horizon": horizon})
        versions = cursor.rowcount
        cursor.execute(PRUNE_TRANSACTIONS, {"horizon": horizon})
        transactions = cursor.rowcount
    FeedHorizon.objects.update_or_create(pk=1, defaults={"txid": horizon, "pruned_at": timezone.now()})
    return Pruned(horizon, versions, transactions)


def latest_txid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(txid), 0) FROM exports_feedtransaction")
        return cursor.fetchone()[0]


def _visible(alias: str, filters: Filters, column_prefix: str = "") -> str:
    """SQL for "this state is visible to the reader": not deleted and inside its filters (parameters
    ``prefixes`` and ``kinds``, from ``_filter_params``); its columns are ``alias.<column_prefix>op`` ..."""
    op, area, kind = (f"{alias}.{column_prefix}{column}" for column in ("op", "area_code12", "kind"))
    sql = [f"{op} IS NOT NULL", f"{op} <> 'D'"]
    if filters.prefixes is not None:
        if not filters.prefixes:
            return "false"
        sql.append(f"{area} LIKE ANY(%(prefixes)s)")
    if filters.kinds:
        sql.append(f"{kind} = ANY(%(kinds)s)")
    return "coalesce(" + " AND ".join(sql) + ", false)"


def _filter_params(filters: Filters) -> dict:
    return {"prefixes": [p + "%" for p in filters.prefixes or ()], "kinds": list(filters.kinds)}


@dataclass
class FeedRow:
    txid: int | None  # the transaction of the change (events); None in a snapshot
    op: str  # insert / update / delete; snapshot rows are inserts
    record_pk: str
    fid: str
    area_code12: str | None
    kind: str | None
    properties_json: str | None
    geometry_json: str | None
    lon: float | None
    lat: float | None


@dataclass(frozen=True)
class Bounds:
    """What one statement of a feed read may take, and when the whole read must have ended (time.monotonic())."""

    statement_ms: int
    deadline: float

    @classmethod
    def from_settings(cls) -> Bounds:
        return cls(statement_ms=settings.FEED_STATEMENT_SECONDS * 1000,
                   deadline=time.monotonic() + settings.FEED_STREAM_SECONDS)


FEED_CHUNK_ROWS = 5000  # rows per statement of a feed read


class StreamCut(Exception):
    """A feed read stopped before its end (deadline passed, or the feed was pruned past it): the reader sees no end
    record, and resumes from the last transaction number it received."""


def _chunk(sql: str, params: dict, bounds: Bounds, *, sorted_by_index: bool = False) -> list[tuple]:
    """One statement of a feed read, in a transaction of its own that ends with it: nothing is held open between
    chunks, so a reader that stalls holds no transaction ("idle in transaction") and no snapshot.

    ``sorted_by_index``: the statement reads its rows in the order of an index, not by sorting them all. A chunk of
    the snapshot takes the first rows of a DISTINCT ON subquery, which PostgreSQL plans for reading whole (its outer
    ORDER BY keeps the LIMIT from reaching it): it sorted every version of the layer on disk for each chunk of 5,000
    (1.1 s a chunk at 1.17 million plates, 0.05 s in index order)."""
    if time.monotonic() > bounds.deadline:
        raise StreamCut("feed read past its deadline")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %(ms)s, true), "
                       "set_config('idle_in_transaction_session_timeout', %(ms)s, true), "
                       "set_config('enable_sort', %(sort)s, true)",
                       {"ms": str(bounds.statement_ms), "sort": "off" if sorted_by_index else "on"})
        cursor.execute(sql, params)
        return cursor.fetchall()


def _still_answered(txid: int) -> None:
    """The feed was not pruned past ``txid`` while the read went on (the rest would not be exact)."""
    if feed_horizon() > txid:
        raise StreamCut(f"feed pruned past {txid} during the read")


# Each record's latest version in a transaction <= txid, when visible, by record key after %(after)s: a snapshot is
# read in chunks of %(limit)s, each its own statement, and versions up to txid never change (pruning only ever drops
# what precedes the horizon, and a read older than the horizon stops).
SNAPSHOT_CHUNK = """
SELECT s.record_pk, s.fid, s.area_code12, s.kind, s.properties::text, ST_AsGeoJSON(s.geom, 9, 0),
       ST_X(s.label), ST_Y(s.label)
FROM (
  SELECT DISTINCT ON (v.record_pk) v.record_pk, v.op, v.fid, v.area_code12, v.kind, v.properties, v.geom, v.label
  FROM exports_featureversion v JOIN exports_feedtransaction t ON t.batch = v.batch
  WHERE v.layer = %(layer)s AND v.record_pk > %(after)s AND t.txid <= %(txid)s
  ORDER BY v.record_pk, t.txid DESC
) s
WHERE {visible}
ORDER BY s.record_pk
LIMIT %(limit)s
"""


def snapshot_rows(layer: str, txid: int, filters: Filters, bounds: Bounds, chunk: int | None = None) -> Iterator[FeedRow]:
    """The full state as of ``txid``: each record's latest version in a transaction <= txid, when visible."""
    chunk = chunk or FEED_CHUNK_ROWS
    sql = SNAPSHOT_CHUNK.format(visible=_visible("s", filters))
    params = {"layer": layer, "txid": txid, "after": "", "limit": chunk, **_filter_params(filters)}
    while True:
        _still_answered(txid)
        rows = _chunk(sql, params, bounds, sorted_by_index=True)
        for row in rows:
            yield FeedRow(None, "insert", *row)
        if len(rows) < chunk:
            return
        params["after"] = rows[-1][0]


# Every change in transactions from %(from)s to %(to)s, transaction by transaction, record by record, after the
# position (%(txid)s, %(after)s): each version against the one before it (what the reader had), seen through the
# reader's filters: entering them is an insert, leaving them a delete, a change inside them an update; a change
# outside them is nothing. Each event carries its own transaction's number, so any number a reader received is a
# safe place to resume from (from=that number: its transaction is sent again, which changes nothing). Each
# transaction's versions are read in key order through the (batch, layer, record_pk) index, at most %(limit)s.
EVENTS_CHUNK = """
SELECT t.txid, e.record_pk,
       CASE WHEN NOT {before_visible} THEN 'insert' WHEN NOT {now_visible} THEN 'delete' ELSE 'update' END,
       e.fid, e.area_code12, e.kind, e.properties::text, ST_AsGeoJSON(e.geom, 9, 0), ST_X(e.label), ST_Y(e.label)
FROM (SELECT txid, batch FROM exports_feedtransaction
      WHERE txid >= %(txid)s AND txid <= %(to)s ORDER BY txid) t
CROSS JOIN LATERAL (
  SELECT v.record_pk, v.fid, v.op, v.area_code12, v.kind, v.properties, v.geom, v.label,
         b.op AS b_op, b.area_code12 AS b_area_code12, b.kind AS b_kind
  FROM exports_featureversion v
  LEFT JOIN LATERAL (
    SELECT p.op, p.area_code12, p.kind
    FROM exports_featureversion p JOIN exports_feedtransaction pt ON pt.batch = p.batch
    WHERE p.layer = %(layer)s AND p.record_pk = v.record_pk AND pt.txid < t.txid
    ORDER BY pt.txid DESC LIMIT 1
  ) b ON true
  WHERE v.batch = t.batch AND v.layer = %(layer)s
    AND v.record_pk > CASE WHEN t.txid = %(txid)s THEN %(after)s ELSE '' END  -- an index bound, not a filter
    AND ({version_visible} OR {prior_visible})
  ORDER BY v.record_pk
  LIMIT %(limit)s
) e
ORDER BY t.txid, e.record_pk
LIMIT %(limit)s
"""


def event_rows(layer: str, txid_from: int, txid_to: int, filters: Filters, bounds: Bounds,
               chunk: int | None = None) -> Iterator[FeedRow]:
    """Every change the reader sees in transactions ``txid_from`` to ``txid_to`` (both included), in commit order."""
    chunk = chunk or FEED_CHUNK_ROWS
    sql = EVENTS_CHUNK.format(now_visible=_visible("e", filters), before_visible=_visible("e", filters, "b_"),
                              version_visible=_visible("v", filters), prior_visible=_visible("b", filters))
    params = {"layer": layer, "txid": txid_from, "after": "", "to": txid_to, "limit": chunk,
              **_filter_params(filters)}
    while True:
        _still_answered(params["txid"])
        rows = _chunk(sql, params, bounds)
        for row in rows:
            if row[2] == "delete":
                yield FeedRow(row[0], "delete", row[1], row[3], None, None, None, None, None, None)
            else:
                yield FeedRow(row[0], row[2], *row[1:2], *row[3:])
        if len(rows) < chunk:
            return
        params["txid"], params["after"] = rows[-1][0], rows[-1][1]


MANY_BATCHES = 10_000


def _touched(layer: str, since: int, upto: int) -> tuple[str, dict]:
    """SQL for the records with a version in (since, upto]. The batches are looked up first and passed as values,
    so the planner sees how few versions a short range holds (the version table's batches are very uneven: one
    seeding batch may hold a million) and reads them through the (batch, layer) index."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT batch FROM exports_feedtransaction WHERE txid > %(since)s AND txid <= %(upto)s "
                       "LIMIT %(most)s", {"since": since, "upto": upto, "most": MANY_BATCHES + 1})
        batches = [row[0] for row in cursor.fetchall()]
    if len(batches) <= MANY_BATCHES:
        return ("SELECT DISTINCT v.record_pk FROM exports_featureversion v "
                "WHERE v.batch = ANY(%(batches)s) AND v.layer = %(layer)s", {"batches": batches})
    return ("""SELECT DISTINCT v.record_pk FROM exports_feedtransaction t
               JOIN exports_featureversion v ON v.batch = t.batch AND v.layer = %(layer)s
               WHERE t.txid > %(since)s AND t.txid <= %(upto)s""", {})


def _state_at(alias: str, bound: str) -> str:
    return f"""LEFT JOIN LATERAL (
          SELECT t.txid, v.op, v.fid, v.area_code12, v.kind, v.properties, v.geom, v.label
          FROM exports_featureversion v JOIN exports_feedtransaction t ON t.batch = v.batch
          WHERE v.layer = %(layer)s AND v.record_pk = k.record_pk AND t.txid <= %({bound})s
          ORDER BY t.txid DESC LIMIT 1) {alias} ON true"""


def net_changes(layer: str, since: int, upto: int, filters: Filters, chunk: int = 5000) -> Iterator[FeedRow]:
    """Per record touched in (since, upto]: the one transition between its visible states at ``since`` and
    ``upto`` (an incremental export file: one line per record, its current row joined by the caller)."""
    visible_a = _visible("a", filters)
    visible_b = _visible("b", filters)
    touched, touched_params = _touched(layer, since, upto)
    sql = f"""
        SELECT coalesce(b.txid, 0),
               CASE WHEN NOT {visible_a} THEN 'insert' WHEN NOT {visible_b} THEN 'delete' ELSE 'update' END,
               k.record_pk, coalesce(b.fid, a.fid), b.area_code12, b.kind, b.properties::text,
               ST_AsGeoJSON(b.geom, 9, 0), ST_X(b.label), ST_Y(b.label)
        FROM ({touched}) k
        {_state_at("a", "since")}
        {_state_at("b", "upto")}
        WHERE ({visible_a} OR {visible_b})
          AND NOT ({visible_a} AND {visible_b} AND a.fid = b.fid AND a.area_code12 IS NOT DISTINCT FROM b.area_code12
                   AND a.kind IS NOT DISTINCT FROM b.kind AND a.properties = b.properties
                   AND ST_AsEWKB(a.geom) IS NOT DISTINCT FROM ST_AsEWKB(b.geom))
        ORDER BY 1, 4"""
    params = {"layer": layer, "since": since, "upto": upto, **touched_params, **_filter_params(filters)}
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            for row in rows:
                if row[1] == "delete":
                    yield FeedRow(row[0], "delete", row[2], row[3], None, None, None, None, None, None)
                else:
                    yield FeedRow(row[0], row[1], *row[2:])
