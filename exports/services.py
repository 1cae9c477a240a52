"""Export workflows: a file for a profile and a layer (full or since a txid), the feed reads, and their log."""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import area_prefixes, has_role
from core.ratelimit import TooManyRequests
from exports import sql
from exports.models import Consumer, ExportLog
from exports.profiles import Context, get_profile
from exports.sources import CHUNK_ROWS, AreaNames, Chunk, Filters, Source
from exports.writers import Warnings
from gis.errors import InputError, PermissionDenied


class Progress(Protocol):
    """What an export reports to as it goes (a tqdm bar is one): the rows to come, once known, and each chunk."""

    total: int | None

    def update(self, n: int) -> object: ...


@dataclass
class ExportResult:
    files: list[Path]
    records: int
    warnings: Warnings
    txid: int  # the feed position the export reflects: the next incremental export starts here
    log: ExportLog | None = None
    warnings_file: Path | None = None
    notes: list[str] = field(default_factory=list)


# -- who may read what --------------------------------------------------------------------------------------------
def consumer_of(user) -> Consumer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Consumer.objects.filter(user=user, active=True).prefetch_related("areas").first()


def allowed_prefixes(user, consumer: Consumer | None) -> tuple[str, ...] | None:
    """The code12 prefixes a reader may see: the consumer's areas, else the user's own regions."""
    if consumer is not None and consumer.areas.exists():
        return tuple(sorted(area.prefix for area in consumer.areas.all()))
    return area_prefixes(user)


def platform_grant(user) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """What a platform account's exports give it, for the REST API (accounts.drf): its layers (None: all) and
    the code12 prefixes of its areas."""
    consumer = consumer_of(user)
    layers = tuple(consumer.layers) if consumer is not None and consumer.layers else None
    return layers, allowed_prefixes(user, consumer)


def check_layer_access(user, consumer: Consumer | None, layer_name: str) -> Source:
    source = Source.named(layer_name)
    if not _granted(consumer, source.layer):
        raise PermissionDenied(_("This platform account may not read the layer %(layer)s.") % {"layer": source.layer.title}, code="layer_not_allowed",
                               where={"layer": layer_name, "allowed": consumer.layers})
    if not _role_allows(user, source.layer):
        raise PermissionDenied(_("The layer %(layer)s is for certain roles only.") % {"layer": source.layer.title}, code="role_required")
    return source


def _granted(consumer: Consumer | None, layer) -> bool:
    return consumer is None or not consumer.layers or layer.name in consumer.layers


def _role_allows(user, layer) -> bool:
    return not layer.roles or has_role(user, *layer.roles)


def may_read_layer(user, consumer: Consumer | None, layer) -> bool:
    """Whether the reader may export ``layer`` (what check_layer_access refuses otherwise): its roles, and for a
    platform the layers of its grant."""
    return _granted(consumer, layer) and _role_allows(user, layer)


def may_export(user) -> bool:
    return has_role(user, Role.OFFICER, Role.REVIEWER, Role.PLATFORM_CONSUMER)


def scoped_filters(user, consumer: Consumer | None, filters: Filters, *, area_code: str = "") -> Filters:
    """The reader's filters narrowed to what it may see; asking for an area outside its regions is refused, naming
    the area as the reader gave it (``area_code``), not its internal prefix."""
    allowed = allowed_prefixes(user, consumer)
    if allowed is not None and filters.prefixes is not None:
        outside = [p for p in filters.prefixes if not any(p.startswith(a) for a in allowed)]
        if outside:
            raise PermissionDenied(_("The chosen area is outside your region or your grant."), code="outside_region",
                                   where={"area": area_code or outside[0]})
    return filters.narrowed_to(allowed)


# -- files --------------------------------------------------------------------------------------------------------
def export_file(*, profile: str, layer: str, out: Path, filters: Filters | None = None,
                encoding: str | None = None, since: int | None = None, user=None, consumer: Consumer | None = None,
                progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS) -> ExportResult:
    """Writes ``layer`` in ``profile``'s format to ``out`` (a file path; Baidu may add .partN files).

    With ``since`` only the records whose exported state changed after that txid, each with its operation
    (insert/update/delete) in a leading ``dm_op`` column. ``user`` (None for the command line, which runs as the
    operator) narrows everything to the user's regions.
    """
    started = time.monotonic()
    chosen = get_profile(profile)
    encoding = encoding or chosen.default_encoding
    if encoding not in chosen.encodings:
        raise InputError(_("%(title)s does not take the encoding %(encoding)s (it takes %(encodings)s).")
                         % {"title": chosen.title, "encoding": encoding, "encodings": ", ".join(chosen.encodings)},
                         code="bad_encoding", where={"encoding": encoding})
    source = chosen.source(layer)
    upto = sql.latest_txid()
    if since is not None:
        sql.check_reached(since, "since", upto)
        sql.check_horizon(since, "since")
    filters = filters or Filters()
    if user is not None:
        check_layer_access(user, consumer, layer)
        filters = scoped_filters(user, consumer, filters)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    warnings = Warnings()
    ctx = Context(source=source, areas=AreaNames(), warnings=warnings, incremental=since is not None)
    header = chosen.full_header(source, ctx.incremental)
    writer = chosen.writer(out, source, encoding, warnings, header)
    chunks = (_changed_chunks(source, filters, since, upto, chosen.geometry, chunk_rows) if since is not None
              else _all_chunks(source, filters, chosen.geometry, chunk_rows, progress))
    records = 0
    for chunk in chunks:
        writer.write(chosen.output(chunk, ctx))
        records += len(chunk)
        if progress is not None:
            progress.update(len(chunk))
    files = writer.close()
    warnings_file = warnings.write(out.with_name(out.stem + ".warnings.csv"))
    log = ExportLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None, consumer=consumer,
        kind=ExportLog.Kind.FILE, profile=profile, layer=layer, area_code=_area_label(filters),
        parameters={"encoding": encoding, "since": since, "txid": upto, "kinds": list(filters.kinds),
                    "statuses": list(filters.statuses)},
        records=records, warnings=warnings.count, files=[f.name for f in files], finished=True,
        seconds=round(time.monotonic() - started, 3))
    return ExportResult(files=files, records=records, warnings=warnings, txid=upto, log=log,
                        warnings_file=warnings_file)


def _area_label(filters: Filters) -> str:
    return ",".join(filters.prefixes)[:12] if filters.prefixes else ""


def _all_chunks(source: Source, filters: Filters, geometry: str | None, chunk_rows: int,
                progress: Progress | None) -> Iterator[Chunk]:
    if progress is not None:
        progress.total = source.count(filters)
    yield from source.chunks(filters, geometry=geometry, chunk_rows=chunk_rows)


def _changed_chunks(source: Source, filters: Filters, since: int, upto: int, geometry: str | None,
                    chunk_rows: int) -> Iterator[Chunk]:
    """The feed's events since ``since``, each joined with the record's current row (deletes carry the id only)."""
    events = sql.net_changes(source.layer.name, since, upto, filters)
    while batch := list(itertools.islice(events, chunk_rows)):
        ops = {e.record_pk: e.op for e in batch if e.op != "delete"}
        rows, ops_out, lon, lat = [], [], [], []
        if ops:
            pk_index = source.index_of("ex_pk")
            for chunk in source.chunks(Filters(), geometry=geometry, pks=ops.keys(), chunk_rows=chunk_rows):
                for i, row in enumerate(chunk.rows):
                    ops_out.append(ops[str(row[pk_index])])
                    rows.append(row)
                    lon.append(chunk.lon[i])
                    lat.append(chunk.lat[i])
        blank = (None,) * (len(source.columns) - 1 + (1 if geometry else 0))
        for event in batch:
            if event.op == "delete":
                rows.append((event.fid, *blank))
                ops_out.append("delete")
                lon.append(float("nan"))
                lat.append(float("nan"))
        yield Chunk(rows, np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64), ops_out)


# -- the feed's log and rate limit --------------------------------------------------------------------------------
def start_feed_read(user, consumer: Consumer | None, kind: str, layer: str = "", parameters=None,
                    area_code: str = "") -> ExportLog:
    """Logs a feed read before it streams; refuses it when the reader is over its rate: a platform account's is
    set on its consumer, everyone else's is FEED_READS_PER_MINUTE."""
    if consumer is not None:
        limit, recent = consumer.requests_per_minute, ExportLog.objects.reads_by(consumer)
    else:
        limit, recent = settings.FEED_READS_PER_MINUTE, ExportLog.objects.reads_of_user(user)
    if recent.count() >= limit:
        # Asked again once the oldest read of the last minute is more than a minute old.
        oldest = recent.order_by("at").values_list("at", flat=True).first() or timezone.now()
        wait = math.ceil(60 - (timezone.now() - oldest).total_seconds())
        raise TooManyRequests(_("Too many requests: at most %(limit)s a minute.") % {"limit": limit},
                              where={"limit_per_minute": limit}, retry_after=wait)
    return ExportLog.objects.create(user=user if getattr(user, "is_authenticated", False) else None,
                                    consumer=consumer, kind=kind, layer=layer, parameters=parameters or {},
                                    area_code=area_code, at=timezone.now())


def finish_feed_read(log: ExportLog, records: int, started: float, *, complete: bool = True) -> None:
    ExportLog.objects.filter(pk=log.pk).update(records=records, finished=complete,
                                               seconds=round(time.monotonic() - started, 3))
