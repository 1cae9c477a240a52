"""The floor under any tile cache that asks the database: a bare WSGI app that answers every request with one
prepared ``SELECT 1`` on a persistent connection and a fixed 6 KB body. bench.tiles serves it with the same server
and process model as ours, to show how much of a cached tile's time is left to save."""

import os
import threading

import psycopg

BODY = b"\x1a" * 6 * 1024
_local = threading.local()


def application(environ, start_response):
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = psycopg.connect(os.environ["BENCH_FLOOR_DSN"], autocommit=True)
    conn.execute("SELECT 1", prepare=True).fetchone()
    start_response("200 OK", [("Content-Type", "application/vnd.mapbox-vector-tile"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]
