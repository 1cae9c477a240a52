"""The change feed as NDJSON lines, in the manner of Denmark's address register (DAR).

``latest`` is the newest committed transaction number; ``snapshot(layer, T)`` is the full state as of T;
``events(layer, A, B)`` the inserts, updates and deletes that carry a state at A to the state at B, per record,
under the reader's filters (a record leaving the reader's region is a delete, one entering it an insert).
Lines are built in chunks; geometries move to GCJ-02 or BD-09 per chunk on numpy arrays when asked.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator

import numpy as np
import shapely

from exports import sql
from exports.sources import Filters
from gis import coords
from gis.errors import InputError

COORDINATE_SYSTEMS = {"wgs84": None, "cgcs2000": None, "gcj02": coords.wgs84_to_gcj02, "bd09": coords.wgs84_to_bd09}
LINES_PER_CHUNK = 2000


def transform_function(name: str):
    if name not in COORDINATE_SYSTEMS:
        raise InputError(f"不支持的坐标系 {name}（可选：{', '.join(COORDINATE_SYSTEMS)}）。", code="unknown_crs",
                         where={"coords": name})
    return COORDINATE_SYSTEMS[name]


def snapshot_lines(layer: str, txid: int, filters: Filters, crs: str = "wgs84") -> Iterator[str]:
    sql.check_horizon(txid, "txid")  # before the first line: a refusal is a 410, not a cut stream
    return ndjson(layer, sql.snapshot_rows(layer, txid, filters), crs)


def event_lines(layer: str, txid_from: int, txid_to: int, filters: Filters, crs: str = "wgs84") -> Iterator[str]:
    if txid_from > txid_to:
        raise InputError("from 不能大于 to。", code="bad_range", where={"from": txid_from, "to": txid_to})
    sql.check_horizon(txid_from, "from")
    return ndjson(layer, sql.event_rows(layer, txid_from, txid_to, filters), crs)


def ndjson(layer: str, rows: Iterable[sql.FeedRow], crs: str = "wgs84") -> Iterator[str]:
    """One JSON object per line: txid, op, layer, id, area_code12, kind, properties, geometry, label."""
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
            head = (f'{{"txid":{row.txid},"op":"{row.op}","layer":{layer_json},'
                    f'"id":{json.dumps(row.fid, ensure_ascii=False)}')
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
