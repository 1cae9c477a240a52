"""The change feed as NDJSON lines, in the manner of Denmark's address register (DAR).

``latest`` is the newest committed transaction number; ``snapshot(layer, T)`` is the full state as of T;
``events(layer, A, B)`` every insert, update and delete of transactions A to B (both included), each carrying the
number of its own transaction, in commit order, under the reader's filters (a record leaving the reader's region
is a delete, one entering it an insert). Any transaction number a reader received is a safe place to resume from:
``from=<it>`` sends that transaction again, which changes nothing (every event carries a whole state).

Every read ends with one line ``{"op": "end", ...}`` that gives the range used and the count of the lines before
it, and ``next``, the ``from`` to continue with; a stream without it was cut (an error, a lost database, a deadline)
and is not complete. Positions after the newest transaction are refused: they would skip changes still to come.
Lines are built in chunks; geometries move to GCJ-02 or BD-09 per chunk on numpy arrays when asked.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator

import numpy as np
import shapely
from django.utils.translation import gettext as _

from exports import sql
from exports.sources import Filters
from gis import coords
from gis.errors import InputError

COORDINATE_SYSTEMS = {"wgs84": None, "cgcs2000": None, "gcj02": coords.wgs84_to_gcj02, "bd09": coords.wgs84_to_bd09}
LINES_PER_CHUNK = 2000


def transform_function(name: str):
    if name not in COORDINATE_SYSTEMS:
        raise InputError(_("Unsupported coordinate system %(name)s (choose from %(choices)s).") % {"name": name, "choices": ", ".join(COORDINATE_SYSTEMS)}, code="unknown_crs",
                         where={"coords": name})
    return COORDINATE_SYSTEMS[name]


def snapshot_lines(layer: str, txid: int, filters: Filters, crs: str = "wgs84",
                   bounds: sql.Bounds | None = None) -> Iterator[str]:
    """The state as of ``txid``, then ``{"op": "end", "layer", "txid", "count", "next"}``."""
    sql.check_reached(txid, "txid", sql.latest_txid())
    sql.check_horizon(txid, "txid")  # before the first line: a refusal is a 410, not a cut stream
    rows = sql.snapshot_rows(layer, txid, filters, bounds or sql.Bounds.from_settings())
    return _ended(ndjson(layer, rows, crs), {"op": "end", "layer": layer, "txid": txid, "next": txid + 1})


def event_lines(layer: str, txid_from: int, txid_to: int, filters: Filters, crs: str = "wgs84",
                bounds: sql.Bounds | None = None) -> Iterator[str]:
    """The changes of transactions ``txid_from`` to ``txid_to``, then ``{"op": "end", "layer", "from", "to",
    "count", "next"}``; ``from`` may be ``to + 1`` (nothing yet: the reader is up to date)."""
    latest = sql.latest_txid()
    sql.check_reached(txid_to, "to", latest)
    sql.check_reached(txid_from, "from", latest, ahead=1)
    if txid_from > txid_to + 1:
        raise InputError(_("from must not be greater than to."), code="bad_range", where={"from": txid_from, "to": txid_to})
    sql.check_horizon(txid_from, "from")
    rows = sql.event_rows(layer, txid_from, txid_to, filters, bounds or sql.Bounds.from_settings())
    return _ended(ndjson(layer, rows, crs),
                  {"op": "end", "layer": layer, "from": txid_from, "to": txid_to, "next": txid_to + 1})


def _ended(blocks: Iterator[str], end: dict) -> Iterator[str]:
    """The blocks, then the end line with the count of lines before it: only a read that ran to its end has it."""
    count = 0
    for block in blocks:
        count += block.count("\n")
        yield block
    yield json.dumps({**end, "count": count}, ensure_ascii=False) + "\n"


def ndjson(layer: str, rows: Iterable[sql.FeedRow], crs: str = "wgs84") -> Iterator[str]:
    """One JSON object per line: txid (events only), op, layer, id, area_code12, kind, properties, geometry,
    label."""
    transform = transform_function(crs)
    rows = iter(rows)
    layer_json = json.dumps(layer, ensure_ascii=False)
    while chunk := list(itertools.islice(rows, LINES_PER_CHUNK)):
        geometries = [row.geometry_json for row in chunk]
        labels = [(row.lon, row.lat) for row in chunk]
        if transform is not None:
            geometries, labels = _transformed(geometries, labels, transform)
        out = []
        for row, geometry, label in zip(chunk, geometries, labels, strict=True):
            txid = "" if row.txid is None else f'"txid":{row.txid},'
            head = f'{{{txid}"op":"{row.op}","layer":{layer_json},"id":{json.dumps(row.fid, ensure_ascii=False)}'
            if row.op == "delete":
                out.append(head + "}\n")
                continue
            out.append(head + f',"area_code12":{json.dumps(row.area_code12)},'
                       f'"kind":{json.dumps(row.kind, ensure_ascii=False)},'
                       f'"properties":{row.properties_json or "{}"},"geometry":{geometry or "null"},'
                       f'"label":{_label_json(label)}}}\n')
        yield "".join(out)


def _label_json(label) -> str:
    lon, lat = label
    return "null" if lon is None else f"[{lon!r},{lat!r}]"


def _transformed(geometries: list[str | None], labels: list, transform):
    present = [i for i, g in enumerate(geometries) if g]
    if present:
        parsed = shapely.from_geojson([geometries[i] for i in present])
        moved = shapely.transform(parsed, lambda xy: _move(xy, transform))
        texts = shapely.to_geojson(moved)
        geometries = list(geometries)
        for i, text in zip(present, texts, strict=True):
            geometries[i] = text
    have = [i for i, (lon, _lat) in enumerate(labels) if lon is not None]
    if have:
        xy = np.array([labels[i] for i in have], dtype=np.float64)
        lon, lat = transform(xy[:, 0], xy[:, 1])
        labels = list(labels)
        for j, i in enumerate(have):
            labels[i] = (float(lon[j]), float(lat[j]))
    return geometries, labels


def _move(xy, transform):
    lon, lat = transform(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])
