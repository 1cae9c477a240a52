"""What a server process remembers of the tile cache: the tag of each tile it found there, kept current by the
database's own notices, so that a hit on a busy public map needs no database round trip.

The tile cache in the database (``tiles_tilecache``) stays the authority. An edit's trigger deletes, in the editing
transaction, every kept tile the edit touches. A trigger on the cache table itself (``tiles_forget``, installed with
the invalidation triggers) names the rows that went on the channel ``tiles_forget`` (NOTIFY), which PostgreSQL
delivers at commit. Each process keeps ``{tile: (row id, tag)}`` for tiles it looked up, listens on one connection
of its own, and forgets an entry when its row is named, or everything on ``*`` (a truncate, a large prune).

How far behind it can be, by construction: while tiles are asked for, the listener makes a round trip on its
connection every half ``TILES_MEMORY_TRUST_MS``. PostgreSQL sends every pending notice ahead of the answer, so once
the answer is in, every commit from before the round trip began has been applied. Memory answers only until
``TILES_MEMORY_TRUST_MS`` after that beginning; past it (a busy server whose round trip is late, a lost connection)
the database answers. So a tile answered from memory is never older than the database by more than
``TILES_MEMORY_TRUST_MS`` (20 ms by default). Most notices come much sooner:
before each answer the process takes in whatever has reached its socket, under the same lock as the answer, and
PostgreSQL signals listeners during the commit, before the writer hears that it committed (microseconds on an idle
server; bench.tiles measures it under load).

The database answers, exactly, whenever memory cannot be sure or must not be used:
- a request by anyone signed in (session or API token: tiles.views), so whoever may edit sees each edit at once;
- a request that asks to revalidate (``Cache-Control: no-cache`` or ``max-age=0``, ``Pragma: no-cache``);
- inside a transaction (its own deletes are not notified before it commits; tests run in transactions);
- another database than the default one; offline packages (tiles.pmtiles_export).
``sync()`` applies every notice committed before it (tests use it). ``TILES_MEMORY_TAGS=0`` (or a trust of 0)
turns memory off.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import pq

from config.db import own_connection
from tiles.sql import FORGET_CHANNEL

log = logging.getLogger(__name__)

CHANNEL = FORGET_CHANNEL
IDLE_BEAT = 1.0  # seconds between round trips when no tile was asked for lately (the connection is still checked)
STUCK = 10.0  # seconds after which an unanswered round trip means a lost connection
IDLE_AFTER = 5.0  # seconds without a tile request before the listener slows down
RETRY = (0.5, 30.0)  # first and longest wait before listening again after a failure

Key = tuple  # (layerset, variant, z, x, y, gzip_ok)


@dataclass(frozen=True)
class Remembered:
    row: int  # tiles_tilecache.id
    etag: str
    gzipped: bool


class TagMemory:
    """The remembered tags of one process (``MEMORY``); see the module's text for when it answers.

    One lock guards everything, including the listening connection, and is never held across a wait: round trips
    are sent and their answers read without blocking (libpq's asynchronous calls), by whichever thread finds them on
    the socket, so a round trip in flight never holds up a request.
    """

    def __init__(self, limit: int | None = None, using: str = DEFAULT_DB_ALIAS):
        self._limit = limit  # None: TILES_MEMORY_TAGS, read when the listener starts
        self.using = using
        self._pid: int | None = None
        self._start_lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[Key, Remembered] = {}
        self.by_row: dict[int, list[Key]] = {}
        self.generation = 0  # counts every notice applied and every loss of the connection
        self.trusted_until = 0.0  # time.monotonic() up to which memory may answer
        self.asked = 0.0  # time.monotonic() of the last request that wanted memory
        self.limit = 0
        self.trust = 0.0  # seconds from a round trip's start during which memory may answer (TILES_MEMORY_TRUST_MS)
        self.beat = IDLE_BEAT  # seconds between round trips while tiles are asked for: half the trust
        self.forgotten = 0  # entries dropped by notices (tests, the bench)
        self._conn: psycopg.Connection | None = None
        self._fd = -1
        self._broken = False
        self._in_flight: float | None = None  # when the round trip under way was sent
        self._proved = 0.0  # when the last answered round trip was sent
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._wake_r, self._wake_w = -1, -1

    @property
    def started(self) -> bool:
        return self._pid is not None

    def state(self) -> dict:
        """This process's memory as /healthz reports it (operators: is it listening, how much it holds)."""
        if self._pid != os.getpid():
            return {"started": False}
        with self.lock:
            now = time.monotonic()
            return {"started": True, "on": self.limit > 0,
                    "listening": self._conn is not None and not self._broken,
                    "trusted": now < self.trusted_until, "trust_ms": round(self.trust * 1000),
                    "last_round_trip_ms_ago": round((now - self._proved) * 1000) if self._proved else None,
                    "remembered": len(self.entries), "limit": self.limit, "forgotten": self.forgotten}

    # --- the request side ---------------------------------------------------------------------------------------

    def usable(self, using: str) -> bool:
        """Whether a lookup on ``using`` may be answered from here now (the listener starts with the first call in a
        process; an idle listener is woken, and the database answers until its next round trip is in)."""
        if using != self.using or connections[using].in_atomic_block:
            return False
        if self._pid != os.getpid():
            self._start()
        if self.limit <= 0:
            return False
        now = time.monotonic()
        self.asked = now
        if now < self.trusted_until:
            return True
        if self._in_flight is None:
            self._wake()  # the listener sends a round trip now rather than when it next looks
        return False

    def look(self, key: Key) -> Remembered | None:
        """The remembered tag of ``key`` once everything that reached the socket is applied; None when not
        remembered or not trusted now (then the database answers)."""
        with self.lock:
            if self._fd < 0:
                return None
            self._take_in(read=bool(select.select((self._fd,), (), (), 0)[0]))
            now = time.monotonic()
            if self._in_flight is None and now >= self._proved + self.beat:
                self._send_beat()  # busy requests keep the round trips going themselves
            if self._broken or now >= self.trusted_until:
                return None
            return self.entries.get(key)

    def mark(self) -> int:
        """Taken before the database is asked: ``remember`` keeps the answer only if no notice came in between."""
        return self.generation

    def remember(self, key: Key, found: Remembered, mark: int) -> None:
        with self.lock:
            if mark != self.generation or self._broken or self.limit <= 0:
                return  # something was forgotten since the database answered: that answer may be the stale one
            previous = self.entries.pop(key, None)
            if previous is not None:
                self._unlink(previous.row, key)
            self.entries[key] = found
            self.by_row.setdefault(found.row, []).append(key)
            while len(self.entries) > self.limit:
                oldest = next(iter(self.entries))
                self._unlink(self.entries.pop(oldest).row, oldest)

    def _unlink(self, row: int, key: Key) -> None:
        keys = self.by_row.get(row)
        if keys is not None:
            if key in keys:
                keys.remove(key)
            if not keys:
                del self.by_row[row]

    # --- the listening connection (every method below: under the lock) ------------------------------------------

    def _apply(self, payload: str) -> None:
        """One notice: ``*`` or comma-separated row ids."""
        self.generation += 1
        if payload == "*":
            self.forgotten += len(self.entries)
            self.entries.clear()
            self.by_row.clear()
            return
        for part in payload.split(","):
            try:
                row = int(part)
            except ValueError:
                log.warning("tile memory: unreadable notice %r, forgetting everything", payload[:80])
                self._apply("*")
                return
            for key in self.by_row.pop(row, ()):
                if self.entries.pop(key, None) is not None:
                    self.forgotten += 1

    def _take_in(self, *, read: bool) -> None:
        """Reads what waits on the socket (``read``), finishes the round trip under way if its answer is complete,
        and applies every notice received, in the order PostgreSQL sent them."""
        conn = self._conn
        if conn is None or self._broken:
            return
        pg = conn.pgconn
        try:
            if self._in_flight is not None:
                pg.flush()  # the rest of a round trip the socket did not take at once, if any
            if read:
                pg.consume_input()
            answered = failed = False
            while self._in_flight is not None and not pg.is_busy():
                result = pg.get_result()
                if result is None:  # ReadyForQuery: the notices sent ahead of it are parsed by now
                    answered = True
                    break
                failed = failed or result.status != pq.ExecStatus.TUPLES_OK
            while (notice := pg.notifies()) is not None:
                self._apply(notice.extra.decode())
        except Exception as error:  # noqa: BLE001 - any failure means notices may be lost
            self._lose(f"reading notices: {error}")
            return
        if pg.status != pq.ConnStatus.OK or failed:
            self._lose(pg.get_error_message() or "the round trip failed")
        elif answered:
            self._proved = self._in_flight
            self.trusted_until = self._in_flight + self.trust
            self._in_flight = None

    def _send_beat(self) -> None:
        """Sends a round trip: every notice committed before it was sent arrives ahead of its answer (PostgreSQL
        sends pending notices before ReadyForQuery), so once answered memory may answer until ``trust`` after."""
        if self._conn is None or self._broken or self._in_flight is not None:
            return
        sent = time.monotonic()
        try:
            self._conn.pgconn.send_query(b"SELECT 1")
            self._conn.pgconn.flush()  # a few bytes: the socket takes them at once
        except Exception as error:  # noqa: BLE001
            self._lose(f"round trip: {error}")
            return
        self._in_flight = sent

    def _lose(self, why: str) -> None:
        """The connection can no longer be trusted: forget everything until it is back."""
        if not self._broken:
            log.warning("tile memory: listening connection lost (%s); tiles are checked in the database", why)
        self._broken = True
        self.trusted_until = 0.0
        self._in_flight = None
        self.generation += 1
        self.entries.clear()
        self.by_row.clear()

    # --- the listener thread ------------------------------------------------------------------------------------

    def _start(self) -> None:
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self._reset()  # a forked child starts from nothing: its parent's connection and thread are not its own
            self._pid = os.getpid()
            self.limit = settings.TILES_MEMORY_TAGS if self._limit is None else self._limit
            self.trust = settings.TILES_MEMORY_TRUST_MS / 1000
            self.beat = min(self.trust / 2, IDLE_BEAT)
            if self.limit <= 0 or self.trust <= 0:
                self.limit = 0
                return
            self._wake_r, self._wake_w = os.pipe()
            os.set_blocking(self._wake_w, False)
            self._thread = threading.Thread(target=self._listen, name="tile-memory", daemon=True)
            self._thread.start()

    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"w")
        except OSError:
            pass  # the pipe is full (the listener is awake anyway) or closed (stopping)

    def _connect(self) -> psycopg.Connection:
        # A dead peer is noticed within seconds, not the kernel's quarter of an hour.
        conn = own_connection(self.using, keepalives=1, keepalives_idle=10, keepalives_interval=5,
                              keepalives_count=3, tcp_user_timeout=10_000)
        conn.execute(f"LISTEN {CHANNEL}")  # from here on, round trips and notices go through libpq directly
        return conn

    def _listen(self) -> None:
        wait = RETRY[0]
        while not self._stop.is_set():
            conn = None
            try:
                conn = self._connect()
                with self.lock:
                    self._conn, self._fd, self._broken, self._in_flight = conn, conn.pgconn.socket, False, None
                    self.generation += 1
                    self.entries.clear()
                    self.by_row.clear()
                    self._send_beat()
                wait = RETRY[0]
                self._serve()
            except Exception as error:  # noqa: BLE001 - the listener must outlive any failure
                with self.lock:
                    self._lose(str(error))
            finally:
                with self.lock:
                    self._conn, self._fd, self._in_flight = None, -1, None
                    self.trusted_until = 0.0
                if conn is not None:
                    conn.close()
            if self._stop.wait(wait):
                break
            wait = min(wait * 2, RETRY[1])

    def _serve(self) -> None:
        """Reads notices and answers as they come, and sends a round trip every ``beat`` while tiles are asked for
        (every IDLE_BEAT otherwise, or at once when a request wakes it)."""
        while not self._stop.is_set():
            now = time.monotonic()
            busy = now - self.asked < IDLE_AFTER
            in_flight = self._in_flight
            if in_flight is not None:
                if now - in_flight > STUCK:
                    with self.lock:
                        pg = self._conn.pgconn
                        self._lose(f"no answer to a round trip in {STUCK:.0f} s (busy {pg.is_busy()}, "
                                   f"transaction status {pg.transaction_status.name}, output {pg.flush()})")
                    return
                timeout = self.beat  # a request may read the answer first: look again then
            else:
                timeout = max(0.0, self._proved + (self.beat if busy else IDLE_BEAT) - now)
            readable = select.select((self._fd, self._wake_r), (), (), timeout)[0]
            woken = self._wake_r in readable
            if woken:
                os.read(self._wake_r, 4096)
                if self._stop.is_set():
                    return
            with self.lock:
                self._take_in(read=self._fd in readable)
                if self._in_flight is None and (
                        woken or time.monotonic() >= self._proved + (self.beat if busy else IDLE_BEAT)):
                    self._send_beat()
                if self._broken:
                    return

    def sync(self, timeout: float = 10.0) -> bool:
        """Waits until the listener is up, then for a round trip sent after this call to be answered: every notice
        committed before the call is then applied, and memory may answer for ``trust`` from the call. False when
        that did not happen within ``timeout`` seconds (or memory is off)."""
        if self._pid != os.getpid():
            self._start()
        if self.limit <= 0:
            return False
        called = time.monotonic()
        deadline = called + timeout
        while time.monotonic() < deadline:
            with self.lock:
                self.asked = time.monotonic()
                if self._proved >= called and not self._broken:
                    return True
                self._send_beat()  # unless one is under way: the next one is sent when it is answered
            self._wake()
            time.sleep(0.002)
        return False

    def stop(self) -> None:
        """Stops this process's listener and forgets everything (tests; a process that exits needs nothing)."""
        with self._start_lock:
            thread = self._thread
            if thread is not None and self._pid == os.getpid():
                self._stop.set()
                self._wake()
                thread.join(timeout=15)
                os.close(self._wake_r)
                os.close(self._wake_w)
            self._pid = None
            self._reset()


MEMORY = TagMemory()
